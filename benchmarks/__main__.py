"""Run every benchmarks/bench_*.py (or those named on the command line) and print a table."""

from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    rows: list[tuple[str, str, str]] = []
    failed = 0
    for name in names:
        module_name = name if name.startswith("bench_") else f"bench_{name}"
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{module_name}")
            for metric, value, unit in module.run():
                rows.append((metric, f"{value:,.3f}" if isinstance(value, float) else f"{value:,}", unit))
        except Exception:
            failed += 1
            traceback.print_exc()
            rows.append((f"{module_name}: FAILED", "-", ""))
        print(f"  ({module_name} took {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'metric':<{width}}  {'value':>14}  unit")
    print("-" * (width + 24))
    for metric, value, unit in rows:
        print(f"{metric:<{width}}  {value:>14}  {unit}")
    return 1 if failed else 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # PySide6 6.12 aborts in the interpreter's final garbage collection after many widgets were
    # created and deleted ("bool_dealloc ... refcount error in a C extension"); the figures are
    # printed by now, so leave without that collection rather than report a false failure.
    os._exit(code)
