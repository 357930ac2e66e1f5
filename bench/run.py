"""What a student feels, measured against the pack's budgets (issue 15): ``make bench``.

Usage: .venv/bin/python bench/run.py [--runs 3] [--lessons 00,05] [--steps 12] [--skip maketest]
                                     [--out bench/results.json]

Every lesson is opened in JupyterLab in real Chromium (Playwright, the system browser; servers and
page helpers from tests/browser/harness.py), once per run, each time with a fresh kernel:

- open -> live: seconds from opening the lesson (JupyterLab already loaded, as a student has it)
  through Run All to every widget and figure drawn;
- kernel -> browser bytes: what the lesson's kernel WebSocket delivered meanwhile (JupyterLab's
  own page, loaded before the clock starts and cached by a browser, is not counted);
- kernel memory: the kernel's RSS after Run All;
- key -> redraw: for every slider, keydown (ArrowRight/ArrowLeft on its focused handle) to the
  first change of a figure drawn on the page (of a readout, for a slider that moves no figure);
  the next key only after the kernel WebSocket and the page have been quiet for 150 ms;
- figure while dragging (lessons 02-05): a fast mouse, a Playwright mouse move every ~8 ms for
  2 s from the slider's minimum to 85% of its track, where the elapsed time puts the pointer.
  Redraws per second are animation frames in which a figure changed while the button was down
  (plotly.js's own ``plotly_afterplot``/``plotly_react`` events are counted beside them); "final
  drawn" is the time from releasing the button to the last change of a figure (the page then quiet
  for 500 ms). A slider whose value changes less often than 15 times a second during the drag
  (few steps) is held to the rate its value changes. Chromium hands a page at most one mouse
  move per frame, as with a real mouse, and Playwright waits until each is taken, so a page busy
  drawing takes fewer moves: the report says how many it took.
- key -> redraw is split, for diagnosis, at the last widget message from the kernel before the
  figure changed (JupyterLab's kernel ``anyMessage`` signal): the kernel's part (round trip,
  model, message) and the browser's (a frame, then plotly.js drawing).

Then ``make test`` once with the environment ready (warm), and the size of widgets/ beside
commit adb403b's. Medians over the runs (key -> redraw: median and p95 of every key press of the
lesson's sliders, all runs pooled). Prints every row with its required value beside the measured
one, writes bench/results.json and bench/results.md, and exits 1 when a budget is missed (2 when
something could not be measured). MB here is 10^6 bytes. The machine is shared: compare runs, not
digits. --skip takes any of: lab, drag, maketest.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import harness  # noqa: E402  (tests/browser/harness.py: servers, Chromium, page helpers)

MB = 1_000_000
BUDGETS = {  # issue 15's table, plus make test
    "drag_redraws_per_s": 15.0,  # at least
    "drag_release_to_final_ms": 150.0,
    "key_median_ms": 35.0,
    "key_p95_ms": 60.0,
    "open_to_live_s": 4.0,
    "kernel_bytes_mb": 6.0,
    "kernel_rss_mb": 180.0,
    "make_test_s": 60.0,
}
DRAG_LESSONS = tuple(os.environ.get("BENCH_DRAG_LESSONS", "02,03,04,05").split(","))
RSS_LESSONS = ("04", "05")  # the budget's lessons; every lesson is reported
DRAG_S = 2.0
MOVE_EVERY_S = 0.008
END_AT = 0.85  # of the track
BASELINE = ("adb403b", 12_864)  # lines of widgets/**/*.py before issue 15

# Instruments the notebook: per key press, the time to the first change of any output and of a
# figure; while a drag counts, the animation frames in which a figure changed, every figure
# change, and plotly.js's redraw events.
PROBE_JS = """
(scope) => {
  if (window.__pcdB) return;
  const root = document.querySelector(scope);
  const B = window.__pcdB = {keys: [], last: 0, counting: false, figFlag: false, frames: [],
                             figMuts: [], events: 0, values: new Set(), down: 0, up: 0};
  const kind = (node) => {  // 2: a figure, 1: another output (a readout), 0: neither
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el || el.closest('[data-pcd-poked]')) return 0;
    if (el.closest('.js-plotly-plot')) return el.closest('.modebar-container, .hoverlayer') ? 0 : 2;
    return el.closest('.jp-OutputArea-output') ? 1 : 0;
  };
  document.addEventListener('keydown', () => {
    B.keys.push({t0: performance.now(), kernel: null, any: null, fig: null}); }, true);
  // JupyterLab's public kernel API: the last widget message from the kernel before the figure
  // changed (ipywidgets echoes the slider's value first; the figure's update comes after)
  const kernel = window.__pcdPanel && window.__pcdPanel.sessionContext.session.kernel;
  if (kernel) kernel.anyMessage.connect((_, m) => {
    const key = B.keys[B.keys.length - 1];
    if (m.direction !== 'recv' || m.msg.header.msg_type !== 'comm_msg') return;
    if (key && key.fig === null) key.kernel = performance.now() - key.t0;
  });
  document.addEventListener('pointerdown', () => { B.down = performance.now(); }, true);
  document.addEventListener('pointerup', () => { B.up = performance.now(); }, true);
  new MutationObserver((muts) => {
    let k = 0;
    for (const m of muts) { k = Math.max(k, kind(m.target)); if (k === 2) break; }
    if (!k) return;
    const now = performance.now();
    B.last = now;
    const key = B.keys[B.keys.length - 1];
    if (key && key.any === null) key.any = now - key.t0;
    if (k === 2) {
      if (key && key.fig === null) key.fig = now - key.t0;
      B.figFlag = true;
      if (B.counting) B.figMuts.push(now);
    }
  }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                    attributeFilter: ['d', 'transform', 'points', 'width', 'height', 'x', 'y']});
  const loop = () => {
    if (B.counting && B.figFlag) B.frames.push(performance.now());
    B.figFlag = false;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}
"""

QUIET_JS = """(ms) => performance.now() - Math.max(window.__pcdB.last,
    (window.__pcdWs && window.__pcdWs.last) || 0) > ms"""


# ------------------------------------------------------------------------------------ helpers


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def specs() -> dict:
    def first(path: str, key: str) -> str:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
        return "unknown"

    versions = {}
    for pkg in ("jupyterlab", "ipywidgets", "anywidget", "plotly", "playwright"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[pkg] = importlib.metadata.version(pkg)
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    with contextlib.suppress(OSError):
        vm = "hypervisor" in Path("/proc/cpuinfo").read_text()
    cores = os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"a shared {cores}-core {'virtual machine' if vm else 'machine'}"
        " (other people's jobs run on it too: timings are noisy)",
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": cores,
        "ram_gb": round(int(first("/proc/meminfo", "MemTotal").split()[0]) / 1024**2, 1),
        "os": first("/etc/os-release", "PRETTY_NAME").strip('"'),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "chromium": harness.chromium_version(),
        "packages": versions,
        "git": git + (" (with uncommitted changes)" if _dirty() else ""),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def _dirty() -> bool:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return bool(out.strip())


def settle(page, quiet_ms: int = 150, timeout_ms: int = 15_000) -> None:
    with contextlib.suppress(Exception):
        page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=timeout_ms, polling=20)


def wait_live(page, scope: str, want, timeout_s: float = 60) -> bool:
    """Poll (without scrolling, so the clock is not inflated) until everything is drawn."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not harness.render_problems(harness.page_state(page, scope), want, ran=True):
            return True
        page.wait_for_timeout(100)
    state = harness.wait_rendered(page, scope, want, ran=True, timeout_s=30)  # scroll, try again
    return not harness.render_problems(state, want, ran=True)


def poked(page, scope: str, control: dict):
    """The control's box, marked so that its own changes (handle, value label) are not counted."""
    box = harness.control_box(page, scope, control)
    box.evaluate("el => el.setAttribute('data-pcd-poked', '1')")
    return box


def keyboard(page, scope: str, control: dict, steps: int) -> dict:
    """keydown -> first change of a figure and of any output, `steps` times, bouncing between
    the slider's ends."""
    box = poked(page, scope, control)
    try:
        handle = box.locator(".noUi-handle").nth(control.get("handle", 0))
        handle.scroll_into_view_if_needed()
        settle(page)
        handle.focus()
        page.evaluate("() => { window.__pcdB.keys = []; }")
        key, missed = "ArrowRight", 0
        for i in range(steps):
            now = float(handle.get_attribute("aria-valuenow") or 0)
            lo = float(handle.get_attribute("aria-valuemin") or -1e300)
            hi = float(handle.get_attribute("aria-valuemax") or 1e300)
            if key == "ArrowRight" and now >= hi:
                key = "ArrowLeft"
            elif key == "ArrowLeft" and now <= lo:
                key = "ArrowRight"
            page.keyboard.press(key)
            try:
                page.wait_for_function(
                    f"() => {{ const k = window.__pcdB.keys[{i}]; return k && k.any !== null; }}",
                    timeout=10_000,
                    polling=10,
                )
            except Exception:
                missed += 1
            settle(page)
        keys = page.evaluate("() => window.__pcdB.keys")
    finally:
        box.evaluate("el => el.removeAttribute('data-pcd-poked')")
    fig = [k["fig"] for k in keys if k["fig"] is not None]
    anyc = [k["any"] for k in keys if k["any"] is not None]
    moves_figure = len(fig) >= len(keys) / 2
    # the part after the kernel's update arrived: the browser drawing (a frame, then plotly.js)
    drawing = [k["fig"] - k["kernel"] for k in keys if k["fig"] is not None and k["kernel"]]
    return {
        "presses": len(keys),
        "missed": missed,
        "moves_figure": moves_figure,
        "ms": [round(v, 1) for v in (fig if moves_figure else anyc)],
        "kernel_ms": [round(k["kernel"], 1) for k in keys if k["kernel"] is not None],
        "drawing_ms": [round(v, 1) for v in drawing],
    }


def drag(page, scope: str, control: dict) -> dict:
    """A fast mouse drag across the slider's track: a move every ~8 ms for 2 s."""
    box = poked(page, scope, control)
    try:
        box.scroll_into_view_if_needed()
        handle = box.locator(".noUi-handle").nth(control.get("handle", 0))
        handle.focus()
        page.keyboard.press("Home")  # noUiSlider: to the minimum
        settle(page, 300, 30_000)
        h = handle.bounding_box()
        track = box.locator(".noUi-target").first.bounding_box()
        if not h or not track:
            return {"error": "slider not on screen"}
        # how many values the slider has (noUiSlider's documented `options`: range and step)
        span = box.locator(".noUi-target").first.evaluate(
            """el => { const o = el.noUiSlider && el.noUiSlider.options;
                if (!o || !o.step) return null;
                return Math.round((o.range.max - o.range.min) / o.step) + 1; }"""
        )
        x0, y = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
        # to 85% of the track: the value still changes as the button is released, so "final
        # drawn" times a fresh value (a drag past the end would reach the end, and draw it, early)
        x1 = track["x"] + END_AT * track["width"]
        page.evaluate(
            """() => { const B = window.__pcdB;
                B.frames = []; B.figMuts = []; B.events = {}; B.values = new Set();
                B.counting = true;
                const hd = document.querySelector('[data-pcd-poked] .noUi-handle');
                B.valueObs = new MutationObserver(
                  () => B.values.add(hd.getAttribute('aria-valuenow')));
                B.valueObs.observe(hd, {attributes: true, attributeFilter: ['aria-valuenow']});
                B.names = ['plotly_afterplot', 'plotly_react'];
                B.count = B.names.map(name => () => {
                  if (B.counting && B.up < B.down) B.events[name] = (B.events[name] || 0) + 1; });
                B.gds = [...document.querySelectorAll('.js-plotly-plot')]
                  .filter(gd => typeof gd.on === 'function');
                B.gds.forEach(gd => B.names.forEach((n, i) => gd.on(n, B.count[i]))); }"""
        )
        page.mouse.move(x0, y)
        page.mouse.down()
        start = time.perf_counter()
        moves, t = 0, start
        while True:
            f = min(1.0, (time.perf_counter() - start) / DRAG_S)
            page.mouse.move(x0 + (x1 - x0) * f, y)
            moves += 1
            if f >= 1.0:
                break
            t += MOVE_EVERY_S
            time.sleep(max(0.0, t - time.perf_counter()))
        page.mouse.up()
        settle(page, 500, 30_000)
        r = page.evaluate(
            """() => { const B = window.__pcdB; B.counting = false; B.valueObs.disconnect();
                B.gds.forEach(gd => B.names.forEach((n, i) => gd.removeListener(n, B.count[i])));
                return {down: B.down, up: B.up, frames: B.frames, muts: B.figMuts,
                        events: B.events, values: B.values.size}; }"""
        )
    finally:
        box.evaluate("el => el.removeAttribute('data-pcd-poked')")
    seconds = max(1e-3, (r["up"] - r["down"]) / 1000)
    during = [t for t in r["frames"] if r["down"] <= t <= r["up"]]
    after = [t for t in r["muts"] if t > r["up"]]
    return {
        "drag_s": round(seconds, 2),
        "mouse_moves": moves,
        "move_every_ms": round(1000 * seconds / max(1, moves), 1),
        "values_passed": r["values"],
        "redraws": len(during),
        "redraws_per_s": round(len(during) / seconds, 1),
        "afterplot_per_s": round(r["events"].get("plotly_afterplot", 0) / seconds, 1),
        "react_per_s": round(r["events"].get("plotly_react", 0) / seconds, 1),
        "slider_values": span,
        # how often the value changes when a hand moves at this speed (the most redraws it needs)
        "value_rate_per_s": round(
            (math.floor((span - 1) * END_AT) if span else r["values"]) / seconds, 1
        ),
        "release_to_final_ms": round(max(after) - r["up"], 1) if after else 0.0,
    }


def sliders(page, scope: str) -> list[dict]:
    return [c for c in harness.controls(page, scope) if c["kind"] == "slider" and c["enabled"]]


# ---------------------------------------------------------------------------------- measures


def bench_lesson(ctx, server, path: Path, steps: int, do_drag: bool) -> dict:
    page = ctx.new_page()
    rec = harness.Recorder().attach(page)
    row: dict = {"notebook": path.name}
    try:
        # JupyterLab loaded first (a student has it open), then the clock starts.
        page.goto(f"{server.url}/lab?reset&token={server.token}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
        page.evaluate("async () => { await jupyterapp.started; await jupyterapp.restored; }")
        want = harness.expected(path)
        bytes0 = rec.ws_bytes_in
        t0 = time.monotonic()
        harness.lab_open_in_app(page, path.name)
        t_kernel = time.monotonic()
        harness.lab_run_all(page)
        t_ran = time.monotonic()
        live = wait_live(page, harness.LAB_SCOPE, want)
        t1 = time.monotonic()
        row.update(
            open_to_kernel_s=round(t_kernel - t0, 2),
            open_to_ran_s=round(t_ran - t0, 2),
            open_to_live_s=round(t1 - t0, 2),
            live=live,
            kernel_bytes=rec.ws_bytes_in - bytes0,
        )
        page.evaluate(PROBE_JS, harness.LAB_SCOPE)
        settle(page, 500)
        pid = server.kernel_pid(harness.lab_kernel_id(page))
        row["kernel_rss_bytes"] = harness.rss_bytes(pid) if pid else None
        row["heavy_imports"] = heavy_imports(page)
        row["sliders"] = []
        for c in sliders(page, harness.LAB_SCOPE):
            entry = {"slider": c["name"], "keyboard": keyboard(page, harness.LAB_SCOPE, c, steps)}
            if do_drag and path.name[:2] in DRAG_LESSONS:
                entry["drag"] = drag(page, harness.LAB_SCOPE, c)
            row["sliders"].append(entry)
    except Exception as exc:  # keep measuring the other lessons
        row["error"] = f"{type(exc).__name__}: {exc}"[:500]
        harness.save_artifacts(f"bench-lab-{path.stem}", page, rec, server)
    finally:
        page.close()
        server.shutdown_kernels()
    return row


HEAVY = ("pandas", "scipy", "statsmodels", "plotly.graph_objects", "anywidget", "frictionless")
IMPORTS_JS = """async (code) => {
  // JupyterLab's public kernel API; the output goes to this request only, not to a cell
  const kernel = window.__pcdPanel.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let out = '';
  future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
  await future.done;
  return out;
}"""


def heavy_imports(page) -> list[str] | None:
    """Which of the big libraries the lesson's kernel has imported (after RSS is read)."""
    code = f"import sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    try:
        return page.evaluate(IMPORTS_JS, code).split()
    except Exception:
        return None


def brief(row: dict) -> str:
    if "error" in row:
        return f"ERROR {row['error'][:200]}"
    parts = [
        f"live {row['open_to_live_s']} s",
        f"{row['kernel_bytes'] / MB:.2f} MB",
        f"RSS {(row['kernel_rss_bytes'] or 0) / MB:.0f} MB",
    ]
    for s in row["sliders"]:
        k = s["keyboard"]
        bit = f"{s['slider'][:28]}: key {median(k['ms'])} ms"
        if "drag" in s and "error" not in s["drag"]:
            d = s["drag"]
            bit += f", drag {d['redraws_per_s']}/s, final {d['release_to_final_ms']} ms"
        parts.append(bit)
    return "; ".join(parts)


def bench_make_test() -> dict:
    harness.RESULTS.mkdir(exist_ok=True)
    log = harness.RESULTS / "bench-make-test.log"
    start = time.monotonic()
    with open(log, "wb") as f:
        rc = subprocess.run(["make", "test"], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
    return {
        "seconds": round(time.monotonic() - start, 1),
        "returncode": rc.returncode,
        "log": str(log),
    }


def py_lines(files: list[str], read) -> int:
    return sum(len(read(f).splitlines()) for f in files)


def widgets_size() -> dict:
    now = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "widgets").rglob("*.py"))
    lines = py_lines(now, lambda f: (ROOT / f).read_text(encoding="utf-8"))
    commit, before = BASELINE
    with contextlib.suppress(subprocess.SubprocessError, OSError):
        names = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", commit, "widgets"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()

        def show(f: str) -> str:
            return subprocess.run(
                ["git", "show", f"{commit}:{f}"], cwd=ROOT, capture_output=True, text=True
            ).stdout

        before = py_lines([f for f in names if f.endswith(".py")], show)
    return {"lines": lines, "files": len(now), "before_lines": before, "before_commit": commit}


# ------------------------------------------------------------------------------------ verdict


def summarise(runs: list[list[dict]]) -> dict:
    """Per lesson: the runs' medians; per slider: pooled key presses and the drags' medians."""
    out: dict = {}
    for run in runs:
        for row in run:
            nb = out.setdefault(row["notebook"], {"runs": [], "errors": [], "sliders": {}})
            if "error" in row:
                nb["errors"].append(row["error"])
                continue
            nb["runs"].append(row)
            for s in row["sliders"]:
                sl = nb["sliders"].setdefault(
                    s["slider"],
                    {"key_ms": [], "kernel_ms": [], "drawing_ms": [], "moves_figure": []}
                    | {"missed": 0, "drags": []},
                )
                sl["key_ms"] += s["keyboard"]["ms"]
                sl["kernel_ms"] += s["keyboard"]["kernel_ms"]
                sl["drawing_ms"] += s["keyboard"]["drawing_ms"]
                sl["moves_figure"].append(s["keyboard"]["moves_figure"])
                sl["missed"] += s["keyboard"]["missed"]
                if "drag" in s:
                    sl["drags"].append(s["drag"])
    return out


def checks(results: dict) -> list[dict]:
    """One row per measured value: what, required, measured, ok (None: informational)."""
    rows: list[dict] = []
    n_runs = results["runs"]

    def add(group, what, value, unit, budget=None, at_least=False, note="", ok=None):
        if ok is None and budget is not None:
            ok = False if value is None else value >= budget if at_least else value <= budget
        rows.append(
            {
                "group": group,
                "what": what,
                "value": value,
                "unit": unit,
                "budget": budget,
                "at_least": at_least,
                "ok": ok,
                "note": note,
            }
        )

    def spread(values, unit=""):
        values = [v for v in values if v is not None]
        if len(values) < 2 or min(values) == max(values):
            return ""
        return f"runs {min(values):g}–{max(values):g}{unit}"

    lessons = results["lessons"]
    skip = results["skip"]
    for name, nb in lessons.items():
        stem = name[:2]
        if nb["errors"]:
            add("errors", f"lesson {stem}", None, "", note="; ".join(nb["errors"])[:300], ok=False)
        ok_runs = nb["runs"]
        if not ok_runs:
            continue
        # figure while dragging
        lesson_rates, lesson_finals = [], []
        for sname, sl in nb["sliders"].items():
            drags = [d for d in sl["drags"] if "error" not in d]
            if not drags:
                continue
            rate = median([d["redraws_per_s"] for d in drags])
            final = median([d["release_to_final_ms"] for d in drags])
            changes = median([d["value_rate_per_s"] for d in drags])
            need = min(BUDGETS["drag_redraws_per_s"], changes)
            if not all(sl["moves_figure"]):  # a readout only: no figure to follow the drag
                need = None
            else:
                lesson_rates.append(rate)
                lesson_finals.append(final)
            note = (
                f"{median([d['redraws'] for d in drags]):g} redraws in "
                f"{median([d['drag_s'] for d in drags]):g} s; "
                f"{median([d['mouse_moves'] for d in drags]):g} mouse moves taken (one per "
                f"{median([d['move_every_ms'] for d in drags]):g} ms), "
                f"{median([d['values_passed'] for d in drags]):g} of "
                f"{sl['drags'][0].get('slider_values')} values shown; plotly_afterplot "
                f"{median([d['afterplot_per_s'] for d in drags]):g}/s"
            )
            if need is None:
                note += "; this slider moves no figure (a readout only): no budget"
            elif need < BUDGETS["drag_redraws_per_s"]:
                note += f"; its value changes only {changes:g} times per s in this drag"
            rs = spread([d["redraws_per_s"] for d in drags])
            note = f"{rs}; {note}" if rs else note
            add("drag", f"{stem} · {sname}: redraws/s", rate, "/s", need, True, note)
            add(
                "drag",
                f"{stem} · {sname}: release → final drawn",
                final,
                "ms",
                BUDGETS["drag_release_to_final_ms"],
                note=spread([d["release_to_final_ms"] for d in drags], " ms"),
            )
        if lesson_rates:
            add(
                "summary",
                f"figure while dragging, lesson {stem}: redraws/s (median of {len(lesson_rates)} "
                "sliders that move a figure; verdicts per slider below)",
                median(lesson_rates),
                "/s",
                BUDGETS["drag_redraws_per_s"],
                True,
                f"sliders {min(lesson_rates):g}–{max(lesson_rates):g}/s",
                ok=all(
                    r["ok"] is not False
                    for r in rows
                    if r["group"] == "drag" and r["what"].startswith(f"{stem} ·")
                ),
            )
            add(
                "summary",
                f"figure while dragging, lesson {stem}: release → final drawn (median of sliders)",
                median(lesson_finals),
                "ms",
                BUDGETS["drag_release_to_final_ms"],
                note=f"sliders {min(lesson_finals):g}–{max(lesson_finals):g} ms",
                ok=max(lesson_finals) <= BUDGETS["drag_release_to_final_ms"],
            )
        # key -> redraw
        pooled = [v for sl in nb["sliders"].values() for v in sl["key_ms"]]
        for sname, sl in nb["sliders"].items():
            if sl["key_ms"]:
                target = "figure" if all(sl["moves_figure"]) else "readout (no figure moves)"
                add(
                    "key",
                    f"{stem} · {sname}: key → redraw median / p95",
                    median(sl["key_ms"]),
                    "ms",
                    note=f"p95 {pct(sl['key_ms'], 0.95):g} ms, n={len(sl['key_ms'])}, "
                    f"missed={sl['missed']}; first change of the {target}; of which key → "
                    f"kernel's update arrived {median(sl['kernel_ms'])} ms, then drawing "
                    f"(a frame + plotly.js) {median(sl['drawing_ms'])} ms (medians)",
                )
        if pooled:
            n = f"n={len(pooled)} key presses on {len(nb['sliders'])} sliders"
            add(
                "summary",
                f"key → redraw, lesson {stem}: median",
                median(pooled),
                "ms",
                BUDGETS["key_median_ms"],
                note=n,
            )
            add(
                "summary",
                f"key → redraw, lesson {stem}: p95",
                round(pct(pooled, 0.95), 1),
                "ms",
                BUDGETS["key_p95_ms"],
            )
        live = [r["open_to_live_s"] for r in ok_runs]
        kernel = median([r["open_to_kernel_s"] for r in ok_runs])
        ran = median([r["open_to_ran_s"] for r in ok_runs])
        note = f"kernel idle after {kernel:g} s, every cell run after {ran:g} s"
        if spread(live):
            note += f"; {spread(live, ' s')}"
        add(
            "summary",
            f"open → every widget live after Run All, lesson {stem}",
            median(live),
            "s",
            BUDGETS["open_to_live_s"],
            note=note + ("" if all(r["live"] for r in ok_runs) else "; NOT all live"),
        )
        mb = [round(r["kernel_bytes"] / MB, 2) for r in ok_runs]
        add(
            "summary",
            f"kernel → browser websocket bytes, lesson {stem}",
            median(mb),
            "MB",
            BUDGETS["kernel_bytes_mb"],
            note=spread(mb, " MB"),
        )
        rss = [r["kernel_rss_bytes"] and round(r["kernel_rss_bytes"] / MB, 1) for r in ok_runs]
        budget = BUDGETS["kernel_rss_mb"] if stem in RSS_LESSONS else None
        add(
            "summary",
            f"kernel memory (RSS) after Run All, lesson {stem}",
            median(rss),
            "MB",
            budget,
            note="; ".join(
                x
                for x in (
                    spread(rss, " MB"),
                    "" if budget else "budget for 04/05 only",
                    "imported: " + ", ".join(ok_runs[-1].get("heavy_imports") or ["?"]),
                )
                if x
            ),
        )
    # lessons 02-05 without any slider drag measured
    for name, nb in lessons.items():
        dragged = any(sl["drags"] for sl in nb["sliders"].values())
        if name[:2] in DRAG_LESSONS and nb["runs"] and "drag" not in skip and not dragged:
            what = f"figure while dragging, lesson {name[:2]}"
            add("summary", what, None, "", note="no slider in this lesson")
    if "make_test" in results:
        mt = results["make_test"]
        add(
            "summary",
            "make test, environment ready (warm)",
            mt["seconds"],
            "s",
            BUDGETS["make_test_s"],
            note="" if mt["returncode"] == 0 else f"make test FAILED (rc={mt['returncode']})",
            ok=(mt["seconds"] <= BUDGETS["make_test_s"] and mt["returncode"] == 0),
        )
    w = results["widgets_size"]
    add(
        "summary",
        f"size of widgets/ (lines of .py; {w['before_lines']:,} at commit {w['before_commit']})",
        w["lines"],
        "lines",
        note=f"{w['files']} files; {w['lines'] - w['before_lines']:+,} lines (informational)",
    )
    for r in rows:
        r["runs"] = n_runs
        r["kind"], r["lesson"] = kind_of(r)
    return rows


KINDS = [  # issue 15's table, in its order: kind, what a user feels, required, how it reads
    ("drag_rate", "figure while dragging a slider, lessons 02–05 (fast mouse, 2 s)", "≥ 15 /s"),
    ("drag_final", "… the final value drawn after release", "≤ 150 ms"),
    ("key_median", "key → redraw, JupyterLab, median (lessons with a slider)", "≤ 35 ms"),
    ("key_p95", "key → redraw, JupyterLab, p95 (lessons with a slider)", "≤ 60 ms"),
    ("open", "open → every widget live after Run All", "≤ 4 s"),
    ("bytes", "kernel → browser websocket bytes", "≤ 6 MB"),
    ("rss", "kernel memory (RSS) after Run All (budget for 04, 05)", "≤ 180 MB"),
    ("make_test", "`make test`, environment ready (warm)", "≤ 60 s"),
    ("size", "size of widgets/, lines of .py (12,864 at adb403b)", "—"),
]


def kind_of(row: dict) -> tuple[str | None, str | None]:
    what = row["what"]
    lesson = what.split("lesson ", 1)[1][:2] if "lesson " in what else None
    if row["group"] != "summary":
        return None, lesson
    for prefix, kind in (
        ("figure while dragging", "drag_final" if "release" in what else "drag_rate"),
        ("key → redraw", "key_p95" if what.endswith("p95") else "key_median"),
        ("open →", "open"),
        ("kernel → browser", "bytes"),
        ("kernel memory", "rss"),
        ("make test", "make_test"),
        ("size of widgets", "size"),
    ):
        if what.startswith(prefix):
            return kind, lesson
    return None, lesson


def issue_table(rows: list[dict], runs: int) -> str:
    """The README's table: one line per row of issue 15's table, every lesson in it."""
    out = [
        f"| what a user feels | required | measured (median of {runs} run(s)) | |",
        "|---|---|---|---|",
    ]
    for kind, label, required in KINDS:
        mine = [r for r in rows if r["kind"] == kind and r["value"] is not None]
        if not mine:
            continue
        cells = []
        for r in mine:
            v = r["value"]
            value = f"{v:,}" if isinstance(v, int) else f"{v:.3g}" if v < 1000 else f"{v:,.0f}"
            value = f"{value} {r['unit']}".strip()
            mark = " (missed)" if r["ok"] is False else ""
            cells.append(f"{r['lesson']}: {value}{mark}" if r["lesson"] else f"{value}{mark}")
        missed = [r for r in mine if r["ok"] is False]
        graded = [r for r in mine if r["ok"] is not None]
        if not graded:
            verdict = ""
        elif missed:
            verdict = "**missed**" + (
                f" ({', '.join(r['lesson'] for r in missed)})" if missed[0]["lesson"] else ""
            )
        else:
            verdict = "met"
        out.append(f"| {label} | {required} | {'; '.join(cells)} | {verdict} |")
    return "\n".join(out) + "\n"


def unknown(row: dict) -> bool:
    return row["value"] is None and row["ok"] is False


def fmt(row: dict) -> tuple[str, str, str]:
    v = "n/a" if row["value"] is None else f"{row['value']:g} {row['unit']}"
    b = (
        ""
        if row["budget"] is None
        else f"{'≥' if row['at_least'] else '≤'} {row['budget']:g} {row['unit']}"
    )
    verdict = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
    return v, b, verdict


def machine_line(results: dict) -> str:
    s = results["specs"]
    return (
        f"Measured {s['date'][:16].replace('T', ' ')} UTC on {s['machine']}: {s['cpu']}, "
        f"{s['ram_gb']} GB RAM, {s['os']}, {s['chromium']}; JupyterLab "
        f"{s['packages'].get('jupyterlab', '?')}, git {s['git']}. {results['runs']} run(s), "
        f"each lesson opened in a fresh kernel per run; load average {s['load_average_start'][0]} "
        f"at the start, {results['load_average_end'][0]} at the end."
    )


def report(results: dict, rows: list[dict]) -> str:
    print(f"\n== results: {machine_line(results)}")
    sections = [
        ("summary", "Issue 15's table (medians over the runs)"),
        ("drag", "Figure while dragging, per slider (median over the runs)"),
        ("key", "Key → redraw, per slider (all runs pooled; informational)"),
        ("errors", "Could not be measured"),
    ]
    md = [machine_line(results), "", issue_table(rows, results["runs"])]
    for group, title in sections:
        mine = [r for r in rows if r["group"] == group]
        if not mine:
            continue
        width = max(len(r["what"]) for r in mine)
        print(f"\n-- {title}")
        print(f"  {'what':<{width}}  {'required':>12}  {'measured':>12}")
        md += [
            f"### {title}",
            "",
            "| what | required | measured | | notes |",
            "|---|---|---|---|---|",
        ]
        for r in mine:
            v, b, verdict = fmt(r)
            print(f"  {r['what']:<{width}}  {b:>12}  {v:>12}  {verdict:<6} {r['note']}")
            md.append(f"| {r['what']} | {b} | {v} | {verdict} | {r['note']} |")
        md.append("")
    return "\n".join(md)


# ---------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    ap.add_argument("--steps", type=int, default=int(os.environ.get("BENCH_STEPS", 12)))
    ap.add_argument("--lessons", default=os.environ.get("BENCH_LESSONS", ""))
    ap.add_argument("--skip", default=os.environ.get("BENCH_SKIP", ""))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = ap.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    wanted = {s.strip() for s in args.lessons.split(",") if s.strip()}
    paths = [p for p in harness.notebooks() if not wanted or p.name[:2] in wanted]

    results: dict = {
        "specs": specs(),
        "budgets": BUDGETS,
        "runs": args.runs,
        "steps": args.steps,
        "skip": sorted(skip),
        "lessons_measured": [p.name for p in paths],
    }
    s = results["specs"]
    print(f"== machine: {s['machine']}")
    print(
        f"   {s['cpu']}, {s['ram_gb']} GB RAM, {s['os']}, Linux {s['kernel']}, "
        f"Python {s['python']}, {s['chromium']}"
    )
    print(f"== packages: {s['packages']}; git {s['git']}; load average {s['load_average_start']}")
    tmp = Path(tempfile.mkdtemp(prefix="pcd-bench-"))
    runs: list[list[dict]] = []
    try:
        if "lab" not in skip:
            if not harness.chromium_available():
                print(harness.HOW_TO_ENABLE.format(path=harness.CHROMIUM))
                return 2
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                ctx = harness.launch_context(p, tmp / "chromium-profile")
                server = harness.start_lab(tmp / "lab")
                try:
                    for i in range(args.runs):
                        load = os.getloadavg()[0]
                        print(f"== JupyterLab, run {i + 1} of {args.runs} (load {load:.2f})")
                        run = []
                        for path in paths:
                            row = bench_lesson(ctx, server, path, args.steps, "drag" not in skip)
                            row["load_average"] = round(load, 2)
                            print(f"  {path.name}: {brief(row)}", flush=True)
                            run.append(row)
                        runs.append(run)
                finally:
                    server.stop()
                    ctx.close()
        results["runs"] = len(runs)  # as done (0 with --skip lab)
        results["raw_runs"] = runs
        results["lessons"] = summarise(runs)
        if "maketest" not in skip:
            print("== make test (environment ready)", flush=True)
            results["make_test"] = bench_make_test()
        results["widgets_size"] = widgets_size()
        results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        rows = checks(results)
        results["checks"] = rows
        md = report(results, rows)
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
        args.out.with_suffix(".md").write_text(md, encoding="utf-8")
        print(f"\nwrote {args.out} and {args.out.with_suffix('.md')}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    unmeasured = [r for r in rows if r["group"] == "errors" or unknown(r)]

    missed = [r for r in rows if r["ok"] is False and r not in unmeasured]
    for label, bad in (("missed", missed), ("not measured", unmeasured)):
        if bad:
            print(f"\n{len(bad)} row(s) {label}:")
            for r in bad:
                print(f"  - {r['what']}: {fmt(r)[0]} (required {fmt(r)[1]}) {r['note'][:200]}")
    if unmeasured:
        return 2
    if missed:
        return 1
    print("\nevery budget met" + (f" (skipped: {', '.join(sorted(skip))})" if skip else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
