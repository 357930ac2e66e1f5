"""Kernel-side latency of one widget update: set a control, the callback recomputes and updates the
FigureWidget inside ``fig.batch_update()``. No browser is involved.

Usage::

    .venv/bin/python bench/bench_kernel.py              # in this process (ipywidgets' real objects)
    .venv/bin/python bench/bench_kernel.py --kernel     # inside a fresh ipykernel (real comms)
    .venv/bin/python bench/bench_kernel.py --updates 400

Each measurement prints one JSON line: ``name``, ``what`` was changed, ``updates``, ``median_ms``
(wall clock), ``cpu_median_ms`` (this thread's CPU time, less sensitive to other load on a shared
machine), ``p95_ms``, ``max_ms``, ``budget_ms`` (5 ms for every update, from the issue for lessons
04–05) and ``within_budget`` (wall-clock median <= budget), plus ``mode`` ("in-process" or
"kernel").

In-process, ipywidgets uses a dummy comm: the widget machinery, plotly's validation and the
batched update message are all built, but nothing is serialised onto a socket. ``--kernel`` runs
the same code inside an ipykernel started with jupyter_client, so every update also serialises
its comm messages onto ZMQ (the browser is still absent). Timings are wall clock and sensitive to
other load on the machine; the script runs 10 warm-up updates before each measurement.

The simulators are measured at their largest settings: 100 surveys of 2,000 people (survey
explorer), 100 surveys at each of 7 sizes up to 2,000 (volunteer bias), a survey of 2,000 people
(recall). The prevalence explorer caches each combination of choices, so it is measured twice:
revisiting combinations (the usual case while exploring) and visiting each for the first time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 5.0
WARMUP = 10


def _summary(name: str, what: str, times: tuple[list[float], list[float]], mode: str) -> dict:
    wall, cpu = times
    ms = sorted(1000 * t for t in wall)
    median = statistics.median(ms)
    return {
        "name": name,
        "what": what,
        "updates": len(ms),
        "median_ms": round(median, 3),
        "cpu_median_ms": round(1000 * statistics.median(cpu), 3),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 3),
        "max_ms": round(ms[-1], 3),
        "budget_ms": BUDGET_MS,
        "within_budget": median <= BUDGET_MS,
        "mode": mode,
    }


def _time_each(actions: Iterable[Callable[[], None]]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each action (CPU time is less sensitive to other load)."""
    wall, cpu = [], []
    for act in actions:
        start, start_cpu = time.perf_counter(), time.thread_time()
        act()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return wall, cpu


def _slide(control, values: list) -> tuple[list[float], list[float]]:
    """Time setting ``control.value`` to each value (the observer runs synchronously)."""
    return _time_each(lambda v=v: setattr(control, "value", v) for v in values)


def _distinct(start: float, step: float, count: int, low: float, high: float) -> list[float]:
    """``count`` values from ``start`` in ``step``s, bouncing inside [low, high], none repeated
    back to back (so every update recomputes)."""
    values, v, direction = [], start, 1
    for _ in range(count):
        if not low <= v + direction * step <= high:
            direction = -direction
        v = round(v + direction * step, 6)
        values.append(v)
    return values


def run(updates: int = 200, mode: str = "in-process") -> list[dict]:
    """Measure every widget; return (and print) one dict per measurement."""
    from widgets.prevalence.ui import prevalence_explorer
    from widgets.surveys.ui import recall_explorer, survey_explorer, volunteer_explorer

    results = []

    def report(result: dict) -> None:
        results.append(result)
        print(json.dumps(result), flush=True)

    # 1. Sampling variability and coverage: 100 surveys of 2,000 people.
    survey = survey_explorer(n_people=2000, n_surveys=100)
    slider = survey.controls["prevalence_pct"]
    _slide(slider, _distinct(46.0, 0.1, WARMUP, 0.5, 99.5))
    values = _distinct(30.0, 0.1, updates, 0.5, 99.5)
    report(
        _summary(
            "survey_explorer",
            "true prevalence slider; 100 surveys of n=2000, Wilson",
            _slide(slider, values),
            mode,
        )
    )
    seed = survey.controls["seed"]
    report(
        _summary(
            "survey_explorer",
            "random seed (new surveys); 100 surveys of n=2000, Wilson",
            _slide(seed, list(range(seed.value + 1, seed.value + 1 + updates))),
            mode,
        )
    )

    # 2. Volunteer bias: 100 surveys at each of 7 sizes up to 2,000.
    volunteer = volunteer_explorer(n_surveys=100)
    slider = volunteer.controls["prevalence_pct"]
    _slide(slider, _distinct(20.0, 0.5, WARMUP, 0.5, 99.5))
    report(
        _summary(
            "volunteer_explorer",
            "true prevalence slider; 100 surveys at each of 7 sizes up to n=2000",
            _slide(slider, _distinct(10.0, 0.5, updates, 0.5, 99.5)),
            mode,
        )
    )

    # 3. Recall period: one survey of 2,000 people, two windows.
    recall = recall_explorer(n_people=2000)
    slider = recall.controls["per_encounter_pct"]
    _slide(slider, _distinct(17.0, 0.5, WARMUP, 0.5, 100))
    report(
        _summary(
            "recall_explorer",
            "per-encounter chance slider; survey of n=2000",
            _slide(slider, _distinct(5.0, 0.5, updates, 0.5, 100)),
            mode,
        )
    )

    # 4. Prevalence explorer: every combination of choices, first visit then revisit.
    explorer = prevalence_explorer()
    options = {
        name: [o[1] if isinstance(o, tuple) else o for o in explorer.controls[name].options]
        for name in ("measure", "group", "method", "tau2_method")
    }
    combos = [
        dict(zip(("measure", "group", "method", "pooling", "tau2_method"), c, strict=True))
        for c in itertools.product(
            options["measure"],
            options["group"],
            options["method"],
            (False, True),
            options["tau2_method"],
        )
    ]
    first = _time_each(lambda c=c: explorer.set(**c) for c in combos)
    report(
        _summary(
            "prevalence_explorer",
            f"first visit to each of {len(combos)} combinations (computed, then cached)",
            first,
            mode,
        )
    )
    measure = explorer.controls["measure"]
    explorer.set(group="all", method="wilson", pooling=True, tau2_method="dl")
    cycle = [options["measure"][i % len(options["measure"])] for i in range(1, updates + 1)]
    report(
        _summary(
            "prevalence_explorer",
            "measure menu, revisiting cached combinations (pooling on)",
            _slide(measure, cycle),
            mode,
        )
    )
    return results


def _in_kernel(updates: int) -> int:
    """Run :func:`run` inside a fresh ipykernel and relay its JSON lines."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
    try:
        code = (
            f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]\n"
            "import bench_kernel\n"
            f"_ = bench_kernel.run(updates={updates}, mode='kernel')\n"
        )
        msg_id = kc.execute(code)
        status = 0
        while True:
            msg = kc.get_iopub_msg(timeout=600)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                sys.stdout.write(content["text"])
                sys.stdout.flush()
            elif kind == "error":
                sys.stderr.write("\n".join(content["traceback"]) + "\n")
                status = 1
            elif kind == "status" and content["execution_state"] == "idle":
                break
        return status
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=200, help="updates per measurement (>= 200)")
    parser.add_argument("--kernel", action="store_true", help="run inside a fresh ipykernel")
    args = parser.parse_args(argv)
    if args.updates < 200:
        parser.error("--updates must be at least 200")
    if args.kernel:
        return _in_kernel(args.updates)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")
    run(args.updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
