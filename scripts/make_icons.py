#!/usr/bin/env python3
"""Draws the app icon (a person on the accent colour, as in web/icon.svg) as PNG files for
home screens that do not take SVG icons. Standard library only.
usage: make_icons.py <output folder>"""
import math
import pathlib
import struct
import sys
import zlib

ACCENT = (0x25, 0x63, 0xEB)


def pixel(x, y, n):
    # Coordinates in the 512-unit space of icon.svg; 2x2 supersampling for smooth edges.
    s = 512.0 / n
    hits = [0, 0]
    for dx in (0.25, 0.75):
        for dy in (0.25, 0.75):
            u, v = (x + dx) * s, (y + dy) * s
            r = 112
            cx, cy = min(max(u, r), 512 - r), min(max(v, r), 512 - r)
            if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
                continue
            hits[0] += 1
            head = (u - 256) ** 2 + (v - 196) ** 2 <= 76 ** 2
            d = math.hypot(u - 256, v - 420)
            body = v <= 420 and 100 <= d <= 144 or (v > 420 and v < 442 and (abs(u - 122) < 22 or abs(u - 390) < 22))
            if head or body:
                hits[1] += 1
    a = hits[0] / 4.0
    w = hits[1] / 4.0
    rgb = tuple(int(c * (1 - w / max(a, 1e-9)) + 255 * (w / max(a, 1e-9))) if a else 0 for c in ACCENT)
    return rgb + (int(a * 255),)


def write_png(path, n):
    rows = bytearray()
    for y in range(n):
        rows.append(0)
        for x in range(n):
            rows.extend(pixel(x, y, n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    path.write_bytes(png)


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for n in (192, 512):
        write_png(out / f"icon-{n}.png", n)
