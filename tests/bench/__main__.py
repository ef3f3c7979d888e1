"""Run every benchmark, print the table, write RESULTS.md, exit 1 when a target is missed."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.harness import BENCHMARKS, Outcome  # noqa: E402

MODULES = [
    "tests.bench.bench_checklist_view",
    "tests.bench.bench_findings",
    "tests.bench.bench_search",
    "tests.bench.bench_reports",
    "tests.bench.bench_sync",
    "tests.bench.bench_followup",
    "tests.bench.bench_startup",
]

HERE = Path(__file__).resolve().parent


def _table(outcomes: list[Outcome], failures: list[str]) -> str:
    lines = [
        "| benchmark | measured | baseline | ratio | target | sizes | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for o in outcomes:
        mark = "ok" if o.ok else "MISSED"
        unit = o.extra.get("unit", "s")
        if unit == "s":
            measured, baseline = f"{o.measured:.4f} s", f"{o.baseline:.4f} s"
        else:  # an absolute limit: the baseline column holds the limit
            scale = 1000 if unit == "ms" else 1  # durations are kept in seconds
            digits = 1 if "baseline" in o.extra else 0
            measured = f"{o.measured * scale:.{digits}f} {unit}"
            baseline = f"{o.baseline * scale:.{digits}f} {unit}"
            # A limit, unless the row names the same work done bare (a size against zlib).
            baseline += f" ({o.extra.get('baseline', 'limit')})"
        lines.append(
            f"| {o.name} | {measured} | {baseline} | {o.ratio:.2f} | "
            f"≤ {o.target:g} | {o.sizes} | {mark} |"
        )
    for f in failures:
        lines.append(f"| {f} | — | — | — | — | — | ERROR |")
    return "\n".join(lines)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    wanted = sys.argv[1:]
    started = time.perf_counter()
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
        f"{platform.node()} — {_cpu()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    elapsed = time.perf_counter() - started
    print(f"{len(outcomes)} benchmarks in {elapsed:.0f} s", file=sys.stderr)
    if not wanted:
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\n{dt.date.today():%d/%m/%Y} on {machine}; "
            f"`make bench` took {elapsed:.0f} s.\n\n"
            "Each row times our code against a bare baseline doing the same work in the same "
            "run; the ratio is measured / baseline (for memory: measured / limit).\n\n"
            f"{table}\n",
            encoding="utf-8",
        )
    return 0 if all(o.ok for o in outcomes) and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
