#!/usr/bin/python3
"""Cuts Debian's fonts down to what the app shows, so the page downloads ~1 MB, not 16 MB.

ui-latin.ttf : Noto Sans, Latin + punctuation (the UI font).
ui-cjk.ttf   : Droid Sans Fallback, all 6,763 hanzi of GB 2312 (levels 1 and 2: names use
               the rarer ones), CJK and full-width punctuation, and every non-ASCII
               character in our own sources (translations, demo data), merged into the
               Latin font at runtime.
usage: make_fonts.py <repo root> <output folder>
Cheap when nothing changed: the character set's hash is kept next to the fonts, and the
fonts are cut again only when it (or this script) changes.
"""
import hashlib
import pathlib
import subprocess
import sys

LATIN = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
CJK = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


def gb2312_hanzi():
    # Rows 16-87 of GB 2312 hold the hanzi; decoding the byte pairs yields them.
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def chars_in_sources(root):
    found = set()
    for folder in ("src", "assets"):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".cpp", ".h", ".json", ".txt") and path.is_file():
                found.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F)
    return found


def subset(font, out, unicodes=None, text=None):
    # Debian's fonttools lives in the system Python (the machine's default python3 may differ).
    args = ["/usr/bin/python3", "-m", "fontTools.subset", font, f"--output-file={out}", "--no-hinting", "--desubroutinize",
            "--layout-features=", "--name-IDs=*", "--notdef-outline"]
    if unicodes:
        args.append("--unicodes=" + ",".join(unicodes))
    if text is not None:
        textfile = out.with_suffix(".txt")
        textfile.write_text(text, encoding="utf-8")
        args.append(f"--text-file={textfile}")
    subprocess.run(args, check=True)


def main():
    root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    cjk = set(gb2312_hanzi()) | chars_in_sources(root)
    cjk |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    cjk = "".join(sorted(c for c in cjk if ord(c) >= 0x2E80))   # Latin comes from the Latin font
    stamp = hashlib.sha256((cjk + pathlib.Path(__file__).read_text()).encode()).hexdigest()
    stamp_file = out / "charset.sha256"
    if stamp_file.exists() and stamp_file.read_text() == stamp and (out / "ui-cjk.ttf").exists():
        return
    print("  subsetting fonts")
    subset(LATIN, out / "ui-latin.ttf", unicodes=["U+0020-007E", "U+00A0-00FF", "U+2010-2027", "U+2030-203A", "U+20AC", "U+2122", "U+2190-2193", "U+2212"])
    subset(CJK, out / "ui-cjk.ttf", text=cjk)
    for f in ("ui-latin.ttf", "ui-cjk.ttf"):
        print(f"  {f}: {(out / f).stat().st_size // 1024} KiB")
    stamp_file.write_text(stamp)


if __name__ == "__main__":
    main()
