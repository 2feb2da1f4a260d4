#!/usr/bin/env python3
"""Turns the benchmarks' RESULT lines into one table with the wasm/native ratio.
Browser runs (Chromium, IndexedDB) get their own column and a chromium/native ratio.

usage: bench_table.py <folder>   (files <bench>.native, <bench>.wasm, <bench>.browser)
Each line "RESULT <benchmark> <metric> <value> <unit>" is one cell of the table.
"""
import pathlib
import sys


def read(path):
    rows = {}
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 5 and parts[0] == "RESULT":
                rows[(parts[1], parts[2])] = (float(parts[3]), parts[4])
    return rows


def main():
    folder = pathlib.Path(sys.argv[1])
    runs = {}
    for f in sorted(folder.iterdir()):
        runs.setdefault(f.stem, {})[f.suffix[1:]] = read(f)
    header = (f"{'benchmark':<10} {'metric':<28} {'native':>10} {'wasm':>10} {'wasm/nat':>9}"
              f" {'chromium':>10} {'chr/nat':>8}  unit")
    print(header)
    print("-" * len(header))

    def cell(v):
        return f"{v[0]:.3f}" if v else "-"

    def ratio(v, native, unit):
        return f"{v[0] / native[0]:.2f}x" if v and native and native[0] and unit in ("ms", "s") else ""

    for name, by_kind in runs.items():
        keys = []
        for rows in by_kind.values():
            keys += [k for k in rows if k not in keys]
        for key in keys:
            native = by_kind.get("native", {}).get(key)
            wasm = by_kind.get("wasm", {}).get(key)
            chromium = by_kind.get("browser", {}).get(key)
            unit = (native or wasm or chromium)[1]
            print(f"{key[0]:<10} {key[1]:<28} {cell(native):>10} {cell(wasm):>10} {ratio(wasm, native, unit):>9}"
                  f" {cell(chromium):>10} {ratio(chromium, native, unit):>8}  {unit}")


if __name__ == "__main__":
    main()
