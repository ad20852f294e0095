"""`make bench`: run every benchmarks/bench_*.py and print their figures.

Each module has ``main(argv) -> int`` (0 = every figure within its bar). Arguments after the
module selection go to every benchmark, e.g. ``make bench BENCH_ARGS="--rows 5000"``;
``--only import`` runs bench_import only.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", add_help=False)
    parser.add_argument("--only", action="append", default=[], help="run only bench_<NAME>.py")
    known, rest = parser.parse_known_args(argv)
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if known.only:
        names = [n for n in names if n.removeprefix("bench_") in known.only]
    status = 0
    for name in names:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        status |= int(module.main(rest) or 0)
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
