"""Benchmark of the hormone simulators (lessons 02 and 03): callback time and kernel memory.

Usage::

    .venv/bin/python bench/bench_hormones.py               # in a fresh ipykernel per lesson
    .venv/bin/python bench/bench_hormones.py --in-process  # callback timings in this process only

Not a test: it measures and prints, one JSON line per measurement, with the keys ``name``,
``value``, ``unit`` and ``budget`` (``null`` when there is none), and always exits 0. Budgets (from
the lessons' issue):

* a slider callback recomputes and updates every trace in **<= 1 ms** (median, in the kernel);
* the kernel holding one lesson's widgets stays **<= 180 MB** resident (MB = 10^6 bytes).

Default mode, per lesson: start a fresh ``python3`` kernel with jupyter_client (as JupyterLab
does), run the lesson notebook's code cells (so the kernel holds exactly that lesson's imports
and widgets), read ``VmRSS`` from ``/proc/self/status`` in the kernel, explore the widget as a
student would (every control through its range and back, three times, 4 ms between moves) and read
``VmRSS`` again (the model's and the figure's caches are full by then; the budget applies to both
readings), then time the lesson's widget from inside the kernel: set every control through its
range and back, one value at a time, as a keyboard user would (10 warm-up updates first, then 200
or more timed ones). Each update is made as a browser's message makes it (ipywidgets'
``set_state``, what the kernel runs when a slider moves in the page): the observer runs the
callback, which asks the model for new curves and readouts and sends one plotly update carrying
the readout table over the kernel's comm (serialised onto ZMQ; no browser is attached), plus
whatever ipywidgets itself sends back for the move. The figure has 4 markers × 600 points (plus
the half-life bands and the labels).

Six callback figures per widget. Building a simulator computes the response of every curve at
every slider position with the other sliders at their starting values (``precompute``); moving a
slider then rescales those and remembers what it built (levels, readouts, rounded copies, the
readout table). ``warm`` times revisited positions (every control swept up and down, five
sweeps); ``first pass`` starts each of five rounds as a freshly built simulator would (remembered
pieces emptied) and moves each control once through its values, so every update is a setting not
seen before (what a student's first exploration costs). The budget applies to both; the lowest and
highest round medians are printed too, because one sweep's median varies up to twofold from run
to run on the shared machine. Those moves come back to back; the same two kinds are measured
once more ``20 ms apart`` (one round each; warm: 100 moves), as a person's moves come, for scale:
on the 2-core virtual development machine a move after a pause costs two to three times as
much, in CPU time too. The same happens in a plain Python process with a busy loop instead of the
pause, so it is the machine (most likely its caches refilled; not established), not the kernel.
The timed moves come back to back, faster than the test client reads the kernel's messages, so up to
a thousand of them (ZeroMQ's high-water mark; later ones are dropped) queue up in the kernel: its
heap grows by a few tens of MB that it keeps (glibc does not hand such freed memory back by itself),
which is why the RSS is read before them, and why result lines are printed only at the end, once the
queue has drained. ``nothing remembered`` empties the remembered pieces before every update (even
unchanged curves are rebuilt) and ``cold`` also the precomputed responses, so every curve is
recomputed from the closed form: stricter than any use, printed for scale.

Also for scale, ``floor`` lines time the cheapest possible update of the same kind: one and four
bare 600-point traces restyled, with no model and no readout, with plotly's own FigureWidget
(four comm messages per restyle: two edit counters, the restyle set and cleared) and with the
pack's ``widgets._ui.FigureWidget`` (one message). ``--in-process`` measures the same updates in
this process, where ipywidgets uses a dummy comm (messages are built but not sent).

Timings are wall clock (the budgets apply to them) on a shared machine: compare runs, not digits.
A CPU-time median (this thread only; less sensitive to other load) is printed beside each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLBACK_BUDGET_MS = 1.0
RSS_BUDGET_MB = 180.0
WARMUP = 10
MIN_UPDATES = 200
ROUNDS = 5  # warm sweeps per widget: single sweeps' medians vary up to 2x on the shared machine

LESSONS = {
    "lesson02": ("02-the-body-after-orgasm.ipynb", "dropoff"),
    "lesson03": ("03-intensity-stress-and-the-drop.ipynb", "explorer"),
}

# Runs where the widget lives (this process or the kernel); prints one JSON line per figure.
DRIVER = (
    r'''
import json as _json, statistics as _statistics, time as _time
from collections.abc import MutableMapping as _MutableMapping
import ipywidgets as _ipw


# Result lines are kept and printed at the end (_flush): printed while the timed moves' messages
# are queued, a line could be dropped by the kernel's message socket (ZeroMQ drops what comes
# once a slow reader has a thousand waiting).
_LINES = []


def _emit(line):
    _LINES.append(line)


def _flush():
    _time.sleep(1.0)  # let the kernel's queued messages go out first
    print("\n".join(_LINES), flush=True)
    _LINES.clear()


def _rss(name):
    """This process's resident memory (VmRSS) as a result line, MB = 10^6 bytes."""
    import re as _re
    kb = int(_re.search(r"VmRSS:\s+(\d+) kB", open("/proc/self/status").read()).group(1))
    _emit(_json.dumps({"name": name, "value": round(kb * 1024 / 1e6, 1), "unit": "MB",
                       "budget": __RSS_BUDGET__}))


# __END_OF_RESULT_HELPERS__
def _sweep(control):
    """Every value of a control, up and back down, one step at a time."""
    if isinstance(control, _ipw.FloatSlider):
        n = round((control.max - control.min) / control.step)
        values = [round(control.min + i * control.step, 6) for i in range(n + 1)]
        return values + values[::-1]
    if isinstance(control, _ipw.ToggleButtons):
        values = [value for _, value in control.options]
        return values * 10
    return [True, False] * 10  # checkbox


def _plan(widget):
    controls = [c for c in widget.controls.children if c is not widget.log_time]
    steps = []
    while len(steps) < __MIN_UPDATES__:
        for control in controls:
            steps += [(control, value) for value in _sweep(control)]
    return steps


def _move(control, value):
    """Move a control as a browser's message does: ipywidgets' set_state with the synced key
    (selection widgets sync the index). Its observers run the simulator's callback, and
    ipywidgets sends whatever it sends back to the browser for such a move (an "echo_update",
    unless the control turns it off, as the simulators' controls do)."""
    if "value" in control.keys:
        control.set_state({"value": value})
    else:
        control.set_state({"index": [v for _, v in control.options].index(value)})


def _first_pass(widget):
    """Each control once through its values, one after the other: every update is a setting not
    seen before (the others stay where the previous sweep left them)."""
    steps = []
    for control in widget.controls.children:
        if control is widget.log_time:
            continue
        values = _sweep(control)
        if isinstance(control, _ipw.FloatSlider):
            values = values[: len(values) // 2]  # up only: down would revisit
            if control.value == values[0]:
                values = values[::-1]
        else:
            values = values[:2]
        steps += [(control, value) for value in values]
    return steps


# Every cache between a slider and the browser, by owner. "Precomputed" ones are filled for every
# slider position when a simulator is built (the unit responses and their sources); "memo" ones
# fill as positions are visited.
_PRECOMPUTED = {"engine": ("_cache", "_pinned"), "model": ("_sources", "_cache")}
_MEMO = {
    "engine": ("_stacks", "_blocks", "_readouts"),  # unit stacks; levels, readouts by intensity
    "model": ("_scenario_sources", "_curve_sets", "_scenarios"),  # per whole scenario
    "parts": ("_plotted",),  # rounded arrays sent to the figure
    "table": ("_rows",),  # readout table rows as HTML
}


def _clear_caches(widget, kinds):
    owners = {"engine": widget.model._engine, "model": widget.model, "parts": widget._parts,
              "table": widget._readout_rows}
    for kind in kinds:
        for owner, names in kind.items():
            for name in names:
                cache = getattr(owners[owner], name, None)  # not every model has every cache
                if isinstance(cache, _MutableMapping):
                    cache.clear()


# What is forgotten, and when: ("each", caches) before every timed update, ("round", caches)
# once before a round (as if the simulator had just been built).
# The third item is the pause before each timed move: 0 times moves back to back; a person's moves
# come tens of milliseconds apart (keyboard auto-repeat: about 30 per second), and after such a
# pause the kernel is idle and the next move costs more on a virtual machine.
_PAUSE = 0.02
_KINDS = {
    "warm": ("each", (), 0.0),  # revisiting positions: nothing is rebuilt
    "first pass": ("round", (_MEMO,), 0.0),  # new settings in a fresh session, one pass per control
    "warm, 20 ms apart": ("each", (), _PAUSE),
    "first pass, 20 ms apart": ("round", (_MEMO,), _PAUSE),
    "nothing remembered": ("each", (_MEMO,), 0.0),  # stricter: even unchanged curves rebuilt
    "cold": ("each", (_MEMO, _PRECOMPUTED), 0.0),  # also the precomputed responses (not in use)
}
_BUDGETED = ("warm", "first pass")
_ONE_ROUND = ("warm, 20 ms apart", "first pass, 20 ms apart", "cold")  # slow to run: one round


def _measure(widget, steps, kinds, when="each", pause=0.0, by_control=None):
    """Wall-clock and CPU (this thread) seconds of each update (also appended, by control
    description, to ``by_control`` when given)."""
    wall, cpu = [], []
    if when == "round":
        _clear_caches(widget, kinds)
    for control, value in steps:
        if control.value == value:
            continue
        if kinds and when == "each":
            _clear_caches(widget, kinds)
        if pause:
            _time.sleep(pause)
        start, start_cpu = _time.perf_counter(), _time.thread_time()
        _move(control, value)
        cpu.append(_time.thread_time() - start_cpu)
        wall.append(_time.perf_counter() - start)
        if by_control is not None:
            by_control.setdefault(control.description, []).append(wall[-1])
    return wall, cpu


def _explore(widget, label, pause=0.004, sweeps=3):
    """Kernel RSS after a student-paced exploration: every control through its range and back,
    ``sweeps`` times, ``pause`` seconds between moves (so that the client reading the kernel's
    messages keeps up, as a browser does with a person's moves; back to back, up to a thousand
    queued messages would inflate the heap instead)."""
    steps = _plan(widget)
    moves = 0
    for _ in range(sweeps):
        for control, value in steps:
            if control.value == value:
                continue
            _time.sleep(pause)
            _move(control, value)
            moves += 1
    _rss(f"{label}: kernel RSS after {moves} moves ({1000 * pause:g} ms apart)")
    widget.reset()


def _floor(label, mode):
    """The same kind of update with no model and no readout: bare 600-point traces restyled, with
    plotly's FigureWidget (four messages per edit) and the pack's (one message)."""
    import numpy as _np
    import plotly.graph_objects as _go
    from widgets._ui import FigureWidget as _FigureWidget

    for kind, cls in (("plotly's FigureWidget", _go.FigureWidget),
                      ("widgets._ui.FigureWidget", _FigureWidget)):
        for traces in (1, 4):
            fig = cls()
            for _ in range(traces):
                fig.add_scatter(x=_np.arange(600.0), y=_np.zeros(600))
            times, cpu = [], []
            for i in range(__WARMUP__ + __MIN_UPDATES__):
                ys = [_np.full(600, float(i + k)) for k in range(traces)]
                start, start_cpu = _time.perf_counter(), _time.thread_time()
                with fig.batch_update():
                    fig.plotly_restyle({"y": ys}, trace_indexes=list(range(traces)))
                cpu.append(_time.thread_time() - start_cpu)
                times.append(_time.perf_counter() - start)
            times = sorted(1000 * t for t in times[__WARMUP__:])
            name = (f"{label}: floor, {traces} bare 600-point trace(s) restyled, {kind} "
                    f"({len(times)} updates, {mode})")
            _emit(_json.dumps({"name": name + ", median",
                               "value": round(_statistics.median(times), 3),
                               "unit": "ms", "budget": None}))
            _emit(_json.dumps({"name": name + ", CPU median (this thread)",
                               "value": round(1000 * _statistics.median(cpu[__WARMUP__:]), 3),
                               "unit": "ms", "budget": None}))
            fig.close()


def _report(widget, label, mode):
    steps = _plan(widget)
    for control, value in steps[:__WARMUP__]:
        _move(control, value)
    for kind, (when, kinds, pause) in _KINDS.items():
        wall, cpu, round_medians, by_control = [], [], [], {}
        for _ in range(1 if kind in _ONE_ROUND else __ROUNDS__):
            if kind.startswith("first pass"):
                widget.reset()
                w, c = _measure(widget, _first_pass(widget), kinds, when, pause, by_control)
            else:
                w, c = _measure(widget, steps[: 100 if pause else None], kinds, when, pause)
            wall += w
            cpu += c
            round_medians.append(1000 * _statistics.median(w))
        times = sorted(1000 * t for t in wall)
        rounds = f", {len(round_medians)} rounds" if len(round_medians) > 1 else ""
        name = f"{label}: slider callback ({kind}{rounds}, {len(times)} updates, {mode})"
        median = _statistics.median(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        cpu_median = 1000 * _statistics.median(cpu)
        budget = __BUDGET__ if kind in _BUDGETED else None
        _emit(_json.dumps({"name": name + ", median", "value": round(median, 3), "unit": "ms",
                           "budget": budget}))
        if len(round_medians) > 1:
            for which, value in (("lowest", min(round_medians)), ("highest", max(round_medians))):
                _emit(_json.dumps({"name": f"{name}, {which} median of one round",
                                   "value": round(value, 3), "unit": "ms", "budget": None}))
        _emit(_json.dumps({"name": name + ", p95", "value": round(p95, 3), "unit": "ms",
                           "budget": None}))
        _emit(_json.dumps({"name": name + ", CPU median (this thread)",
                           "value": round(cpu_median, 3), "unit": "ms", "budget": None}))
        # Per control: intensity and duration change every trace (the budget's case, "every
        # trace recomputed and updated"); a half-life slider or a switch changes one or two.
        for description, times in by_control.items():
            _emit(_json.dumps({"name": f"{name}, median of the {description!r} moves "
                                       f"({len(times)})",
                               "value": round(1000 * _statistics.median(times), 3),
                               "unit": "ms", "budget": None}))
    widget.reset()
'''.replace("__MIN_UPDATES__", str(MIN_UPDATES))
    .replace("__WARMUP__", str(WARMUP))
    .replace("__ROUNDS__", str(ROUNDS))
    .replace("__BUDGET__", repr(CALLBACK_BUDGET_MS))
    .replace("__RSS_BUDGET__", repr(RSS_BUDGET_MB))
)


def _print_lines(text: str) -> None:
    for line in text.splitlines():
        if line.startswith("{"):
            print(line, flush=True)


def in_kernel(lesson: str) -> None:
    """Run one lesson notebook in a fresh kernel, then measure RSS and callbacks there."""
    import nbformat
    from jupyter_client.manager import start_new_kernel

    notebook, variable = LESSONS[lesson]
    path = ROOT / "notebooks" / notebook
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(path.parent), env=env)
    try:

        def run(code: str) -> str:
            msg_id = kc.execute(code)
            out = []
            while True:
                msg = kc.get_iopub_msg(timeout=600)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream" and content["name"] == "stdout":
                    out.append(content["text"])
                elif kind == "error":
                    raise RuntimeError(f"{lesson}: {content['ename']}: {content['evalue']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    return "".join(out)

        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                run(cell.source)
        # First the result helpers alone, for a reading of the notebook's kernel as it is; then
        # the rest of the driver.
        helpers, rest = DRIVER.split("# __END_OF_RESULT_HELPERS__")
        run(helpers + f"\n_rss({lesson + ': kernel RSS after running the notebook'!r})")
        driver = rest + f"\n_explore({variable}, {lesson!r})"
        driver += f"\n_report({variable}, {lesson + ' ' + variable!r}, 'kernel')"
        _print_lines(run(driver + f"\n_floor({lesson!r}, 'kernel')\n_flush()"))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def in_process() -> None:
    """The callback timings in this process (dummy comm), for both widgets."""
    sys.path.insert(0, str(ROOT))
    from widgets.hormones import ui

    namespace: dict = {}
    exec(DRIVER, namespace)
    for lesson, widget in (
        ("lesson02 dropoff", ui.dropoff_simulator()),
        ("lesson03 explorer", ui.timescales_explorer()),
    ):
        namespace["_report"](widget, lesson, "in-process")
    namespace["_floor"]("plotly", "in-process")
    namespace["_flush"]()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", action="store_true", help="no kernel; callbacks only")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.in_process:
        in_process()
    else:
        for lesson in LESSONS:
            in_kernel(lesson)
    print(f"# {time.perf_counter() - start:.1f} s; load average {os.getloadavg()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
