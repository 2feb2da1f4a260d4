#!/usr/bin/env python3
"""Turns the benchmarks' RESULT lines into one table with the wasm/native ratio.

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
    header = f"{'benchmark':<10} {'metric':<28} {'native':>12} {'wasm':>12} {'wasm/native':>12}  unit"
    print(header)
    print("-" * len(header))
    for name, by_kind in runs.items():
        keys = []
        for rows in by_kind.values():
            keys += [k for k in rows if k not in keys]
        for key in keys:
            native = by_kind.get("native", {}).get(key)
            wasm = by_kind.get("wasm", {}).get(key) or by_kind.get("browser", {}).get(key)
            unit = (native or wasm)[1]
            n = f"{native[0]:.3f}" if native else "-"
            w = f"{wasm[0]:.3f}" if wasm else "-"
            ratio = f"{wasm[0] / native[0]:.2f}x" if native and wasm and native[0] and unit in ("ms", "s") else ""
            print(f"{key[0]:<10} {key[1]:<28} {n:>12} {w:>12} {ratio:>12}  {unit}")


if __name__ == "__main__":
    main()
