"""Run every benchmark, print the table, write RESULTS.md, exit 1 when a target is missed."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.harness import BENCHMARKS, Outcome  # noqa: E402

MODULES = [
    "tests.bench.bench_findings",
]

HERE = Path(__file__).resolve().parent


def _table(outcomes: list[Outcome], failures: list[str]) -> str:
    lines = [
        "| benchmark | measured (s) | baseline (s) | ratio | target | sizes | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for o in outcomes:
        mark = "ok" if o.ok else "MISSED"
        lines.append(
            f"| {o.name} | {o.measured:.4f} | {o.baseline:.4f} | {o.ratio:.2f} | "
            f"≤ {o.target:g} | {o.sizes} | {mark} |"
        )
    for f in failures:
        lines.append(f"| {f} | — | — | — | — | — | ERROR |")
    return "\n".join(lines)


def main() -> int:
    wanted = sys.argv[1:]
    for name in MODULES:
        importlib.import_module(name)
    outcomes: list[Outcome] = []
    failures: list[str] = []
    for bench in BENCHMARKS:
        if wanted and not any(w in bench.__name__ for w in wanted):
            continue
        print(f"… {bench.__name__}", file=sys.stderr, flush=True)
        try:
            outcomes.append(bench())
        except Exception:  # a broken benchmark is reported, the others still run
            traceback.print_exc()
            failures.append(bench.__name__)
    table = _table(outcomes, failures)
    print(table)
    machine = (
        f"{platform.node()} — {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    if not wanted:
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\n{dt.date.today():%d/%m/%Y} on {machine}\n\n{table}\n",
            encoding="utf-8",
        )
    return 0 if all(o.ok for o in outcomes) and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
