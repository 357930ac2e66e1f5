"""The pack's performance benchmark, against its budgets: ``make bench``.

Usage: .venv/bin/python bench/run.py [--steps N] [--skip WHAT,...] [--out bench/results.json]

Measured side by side in one run, on this machine (its specs are printed first):

- keyboard step on each slider -> first redraw of a figure or readout, in real Chromium, in
  JupyterLab and in Voilà (median and p95 per slider; method of
  /work/shared/research/latency-floor.md: capturing keydown -> first MutationObserver record in a
  plotly figure or an output, next key only after the kernel WebSocket and the page have been
  quiet for 150 ms);
- mouse drag of each slider end to end: redraws per second while dragging (animation frames in
  which a figure or readout changed) and the time from releasing the mouse to the last redraw;
- per notebook, in JupyterLab: seconds from opening it (JupyterLab already loaded) to every widget
  and figure live after Run All; bytes the kernel WebSockets delivered to the browser meanwhile;
  kernel RSS after Run All. Also in Voilà: seconds from requesting the page to everything live;
- ``make test`` wall time with the environment ready, and ``make setup`` in a fresh clone;
- size of notebooks/ on disk;
- every other bench/bench_*.py (bench_kernel.py: in-kernel callback timings; ...): the JSON objects
  they print, one per line, are folded in (keys median_ms/budget_ms, or value/unit/budget).

Prints every figure beside its budget, writes bench/results.json and bench/results.md (the README
table), and exits 1 when a budget is missed (2 when something could not be measured).
MB here is 10^6 bytes. Timings on a shared 2-core machine are noisy: compare runs, not digits.
--skip takes any of: lab, voila, drag, maketest, setup, kernel.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
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
BUDGETS = {
    "lab_key_median_ms": 30.0,
    "lab_key_p95_ms": 50.0,
    "voila_key_median_ms": 20.0,
    "drag_redraws_per_s": 20.0,  # at least
    "drag_release_to_final_ms": 100.0,
    "open_to_live_s": 4.0,
    "kernel_bytes_mb": 6.0,
    "kernel_rss_mb": 180.0,
    "make_test_s": 60.0,
    "notebooks_mb": 1.5,
}

LATENCY_JS = """
(scope) => {
  const root = document.querySelector(scope);
  const L = window.__pcdLat = {t0: null, lat: [], frame: [], lastMut: 0, mutTimes: [],
                               flag: false, counting: false, redrawFrames: [], down: 0, up: 0};
  document.addEventListener('keydown', () => { L.t0 = performance.now(); }, true);
  document.addEventListener('pointerdown', () => { L.down = performance.now(); }, true);
  document.addEventListener('pointerup', () => { L.up = performance.now(); }, true);
  const relevant = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el || el.closest('[data-pcd-poked]')) return false;
    if (el.closest('.js-plotly-plot')) return !el.closest('.modebar-container, .hoverlayer');
    return !!el.closest('.jp-OutputArea-output');
  };
  new MutationObserver((muts) => {
    if (!muts.some(m => relevant(m.target))) return;
    const now = performance.now();
    L.lastMut = now; L.mutTimes.push(now); L.flag = true;
    if (L.t0 !== null) {
      const t0 = L.t0; L.t0 = null; L.lat.push(now - t0);
      requestAnimationFrame(() => L.frame.push(performance.now() - t0));
    }
  }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                    attributeFilter: ['d', 'transform', 'points', 'width', 'height', 'x', 'y']});
  const loop = () => {
    if (L.counting && L.flag) L.redrawFrames.push(performance.now());
    L.flag = false;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}
"""

QUIET_JS = """(ms) => performance.now() - Math.max(window.__pcdLat.lastMut,
    (window.__pcdWs && window.__pcdWs.last) || 0) > ms"""


# ------------------------------------------------------------------------------------ helpers


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1)))]


def specs() -> dict:
    def first(path: str, key: str) -> str:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
        return "unknown"

    versions = {}
    for pkg in ("jupyterlab", "voila", "ipywidgets", "plotly", "anywidget", "playwright"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[pkg] = importlib.metadata.version(pkg)
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "ram_gb": round(int(first("/proc/meminfo", "MemTotal").split()[0]) / 1024**2, 1),
        "os": first("/etc/os-release", "PRETTY_NAME").strip('"'),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "chromium": harness.chromium_version(),
        "packages": versions,
        "git": git,
        "load_average_start": os.getloadavg(),
    }


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


def keyboard_latency(page, scope: str, control: dict, steps: int) -> dict:
    """keydown -> first redraw, `steps` times, bouncing between the slider's ends."""
    box = harness.control_box(page, scope, control)
    box.evaluate("el => el.setAttribute('data-pcd-poked', '1')")
    handle = box.locator(".noUi-handle").nth(control.get("handle", 0))
    handle.scroll_into_view_if_needed()
    page.evaluate("() => { window.__pcdLat.lat = []; window.__pcdLat.frame = []; }")
    settle(page)
    handle.focus()
    key, missed = "ArrowRight", 0
    for _ in range(steps):
        now = float(handle.get_attribute("aria-valuenow") or 0)
        lo = float(handle.get_attribute("aria-valuemin") or -1e300)
        hi = float(handle.get_attribute("aria-valuemax") or 1e300)
        if key == "ArrowRight" and now >= hi:
            key = "ArrowLeft"
        elif key == "ArrowLeft" and now <= lo:
            key = "ArrowRight"
        before = page.evaluate("() => window.__pcdLat.lat.length")
        page.keyboard.press(key)
        try:
            page.wait_for_function(
                f"() => window.__pcdLat.lat.length > {before}", timeout=10_000, polling=10
            )
        except Exception:
            missed += 1
            page.evaluate("() => { window.__pcdLat.t0 = null; }")
        settle(page)
    lat = page.evaluate("() => window.__pcdLat.lat")
    frame = page.evaluate("() => window.__pcdLat.frame")
    box.evaluate("el => el.removeAttribute('data-pcd-poked')")
    if not lat:
        return {"n": 0, "missed": missed}
    return {
        "n": len(lat),
        "missed": missed,
        "median_ms": round(statistics.median(lat), 1),
        "p95_ms": round(pct(lat, 0.95), 1),
        "min_ms": round(min(lat), 1),
        "max_ms": round(max(lat), 1),
        "frame_median_ms": round(statistics.median(frame), 1) if frame else None,
    }


DRAG_JS = """
async ({x0, x1, y, ms}) => {
  // A hand dragging for `ms`: at every animation frame the pointer is where the elapsed time puts
  // it. When the page is busy, frames (and so pointer moves) come late, as real input is coalesced.
  const t0 = performance.now();
  // noUiSlider (ipywidgets' slider) follows mouse events on the document while a handle is held.
  const move = (x) => document.documentElement.dispatchEvent(new MouseEvent('mousemove', {
    bubbles: true, cancelable: true, clientX: x, clientY: y, screenX: x, screenY: y, buttons: 1}));
  await new Promise((resolve) => {
    const step = () => {
      const f = Math.min(1, (performance.now() - t0) / ms);
      move(x0 + (x1 - x0) * f);
      if (f < 1) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
}
"""


def drag(page, scope: str, control: dict, ms: int = 1000) -> dict:
    """Drag the handle from one end of the track to the other in about `ms` (a pointer move per
    animation frame); count redraws while dragging and time the last one after release."""
    box = harness.control_box(page, scope, control)
    box.evaluate("el => el.setAttribute('data-pcd-poked', '1')")
    box.scroll_into_view_if_needed()
    handle = box.locator(".noUi-handle").nth(control.get("handle", 0))
    handle.focus()
    page.keyboard.press("Home")  # noUiSlider: to the minimum
    settle(page, 300, 30_000)
    h = handle.bounding_box()
    track = box.locator(".noUi-target").first.bounding_box()
    if not h or not track:
        return {"error": "slider not on screen"}
    x0, y = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
    left, right = track["x"] - 10, track["x"] + track["width"] + 10
    x1 = right if abs(right - x0) >= abs(x0 - left) else left
    page.evaluate(
        """() => { const L = window.__pcdLat;
            L.redrawFrames = []; L.mutTimes = []; L.values = []; L.counting = true;
            const hd = document.querySelector('[data-pcd-poked] .noUi-handle');
            L.valueObs = new MutationObserver(
              () => L.values.push(hd.getAttribute('aria-valuenow')));
            L.valueObs.observe(hd, {attributes: true, attributeFilter: ['aria-valuenow']}); }"""
    )
    page.mouse.move(x0, y)
    page.mouse.down()
    page.evaluate(DRAG_JS, {"x0": x0, "x1": x1, "y": y, "ms": ms})
    page.mouse.move(x1, y)
    page.mouse.up()
    settle(page, 500, 30_000)
    r = page.evaluate(
        """() => { const L = window.__pcdLat; L.counting = false; L.valueObs.disconnect();
            return {down: L.down, up: L.up, frames: L.redrawFrames, muts: L.mutTimes,
                    values: [...new Set(L.values)].length}; }"""
    )
    box.evaluate("el => el.removeAttribute('data-pcd-poked')")
    seconds = max(1e-3, (r["up"] - r["down"]) / 1000)
    during = [t for t in r["frames"] if r["down"] <= t <= r["up"]]
    last = max(r["muts"], default=r["up"])
    return {
        "drag_s": round(seconds, 2),
        "values_passed": r["values"],
        "redraws_during_drag": len(during),
        "redraws_per_s": round(len(during) / seconds, 1),
        # a slider with few steps cannot redraw more often than its value changes
        "needed_per_s": round(min(BUDGETS["drag_redraws_per_s"], r["values"] / seconds), 1),
        "redraws_after_release": len([t for t in r["frames"] if t > r["up"]]),
        "release_to_final_ms": round(max(0.0, last - r["up"]), 1),
    }


def sliders(page, scope: str) -> list[dict]:
    return [c for c in harness.controls(page, scope) if c["kind"] == "slider" and c["enabled"]]


# ---------------------------------------------------------------------------------- measures


def measure_sliders(page, scope: str, steps: int, do_drag: bool) -> list[dict]:
    """Keyboard latency (and, with do_drag, drag redraws) for every slider in the page."""
    page.evaluate(LATENCY_JS, scope)
    out = []
    for c in sliders(page, scope):
        entry = {"slider": c["name"], "keyboard": keyboard_latency(page, scope, c, steps)}
        if do_drag:
            entry["drag"] = drag(page, scope, c)
        out.append(entry)
    return out


def bench_lab(ctx, server, steps: int, do_drag: bool) -> list[dict]:
    out = []
    for path in harness.notebooks():
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
            live = wait_live(page, harness.LAB_SCOPE, want)
            t1 = time.monotonic()
            row.update(
                open_to_kernel_s=round(t_kernel - t0, 2),
                open_to_live_s=round(t1 - t0, 2),
                live=live,
                kernel_bytes=rec.ws_bytes_in - bytes0,
            )
            settle(page, 500)
            pid = server.kernel_pid(harness.lab_kernel_id(page))
            row["kernel_rss_bytes"] = harness.rss_bytes(pid) if pid else None
            row["server_rss_bytes"] = harness.rss_bytes(server.proc.pid)
            row["sliders"] = measure_sliders(page, harness.LAB_SCOPE, steps, do_drag)
        except Exception as exc:  # keep measuring the other notebooks
            row["error"] = f"{type(exc).__name__}: {exc}"[:500]
            harness.save_artifacts(f"bench-lab-{path.stem}", page, rec, server)
        finally:
            page.close()
            server.shutdown_kernels()
        print(f"  lab   {path.name}: {json.dumps(row)[:400]}", flush=True)
        out.append(row)
    return out


def bench_voila(ctx, server, steps: int, do_drag: bool) -> list[dict]:
    out = []
    for path in harness.notebooks():
        page = ctx.new_page()
        rec = harness.Recorder().attach(page)
        row: dict = {"notebook": path.name}
        try:
            want = harness.expected(path)
            t0 = time.monotonic()
            harness.voila_open(page, server, path.name)
            live = wait_live(page, harness.VOILA_SCOPE, want)
            row.update(page_to_live_s=round(time.monotonic() - t0, 2), live=live)
            row["kernel_bytes"] = rec.ws_bytes_in
            settle(page, 500)
            kid = harness.voila_kernel_id(page)
            pid = server.kernel_pid(kid) if kid else None
            row["kernel_rss_bytes"] = harness.rss_bytes(pid) if pid else None
            row["sliders"] = measure_sliders(page, harness.VOILA_SCOPE, steps, do_drag)
        except Exception as exc:
            row["error"] = f"{type(exc).__name__}: {exc}"[:500]
            harness.save_artifacts(f"bench-voila-{path.stem}", page, rec, server)
        finally:
            page.close()
        print(f"  voila {path.name}: {json.dumps(row)[:400]}", flush=True)
        out.append(row)
    return out


def timed(cmd: list[str], cwd: Path, log: Path) -> dict:
    start = time.monotonic()
    with open(log, "wb") as f:
        rc = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT).returncode
    return {"seconds": round(time.monotonic() - start, 1), "returncode": rc, "log": str(log)}


def bench_make_test() -> dict:
    harness.RESULTS.mkdir(exist_ok=True)
    return timed(["make", "test"], ROOT, harness.RESULTS / "bench-make-test.log")


def bench_fresh_setup(tmp: Path) -> dict:
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    try:
        harness.RESULTS.mkdir(exist_ok=True)
        return timed(["make", "setup"], clone, harness.RESULTS / "bench-fresh-setup.log")
    finally:
        shutil.rmtree(clone, ignore_errors=True)


# The budgets apply inside a real kernel, so the scripts that can also time in-process run there.
SCRIPT_ARGS = {"bench_kernel.py": ["--kernel"]}


def bench_scripts() -> list[dict]:
    """Run every other bench/bench_*.py (bench_kernel.py: in-kernel callback timings, ...) and fold
    in the JSON objects they print, one per line, each tagged with its script."""
    rows = []
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        try:
            proc = subprocess.run(
                [sys.executable, str(script), *SCRIPT_ARGS.get(script.name, [])],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=env,
                timeout=1800,
            )
        except subprocess.TimeoutExpired:
            rows.append({"script": script.name, "error": "timed out after 1800 s"})
            continue
        for line in proc.stdout.splitlines():
            with contextlib.suppress(ValueError):
                obj = json.loads(line)
                if isinstance(obj, dict):
                    rows.append({"script": script.name, **obj})
        if proc.returncode:
            rows.append({"script": script.name, "error": proc.stderr[-1000:]})
    return rows


def notebooks_size() -> int:
    folder = ROOT / "notebooks"
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------ verdict


def checks(results: dict) -> list[dict]:
    """One row per figure: what, value, budget, ok (None: informational, no budget)."""
    rows = []

    def add(what, value, unit, budget=None, at_least=False, note=""):
        ok = None
        if budget is not None and value is not None:
            ok = value >= budget if at_least else value <= budget
        rows.append(
            {
                "what": what,
                "value": value,
                "unit": unit,
                "budget": budget,
                "at_least": at_least,
                "ok": ok,
                "note": note,
            }
        )

    for frontend in ("lab", "voila"):
        for nb in results.get(frontend) or []:
            stem = nb["notebook"].removesuffix(".ipynb")
            if "error" in nb:
                rows.append(
                    {
                        "what": f"{frontend}: {stem}",
                        "value": None,
                        "unit": "",
                        "budget": None,
                        "at_least": False,
                        "ok": False,
                        "note": nb["error"],
                    }
                )
                continue
            for s in nb.get("sliders", []):
                name = f"{stem} · {s['slider']}"
                k = s["keyboard"]
                if frontend == "lab":
                    add(
                        f"Lab key→redraw median: {name}",
                        k.get("median_ms"),
                        "ms",
                        BUDGETS["lab_key_median_ms"],
                        note=f"n={k['n']}, missed={k['missed']}",
                    )
                    add(
                        f"Lab key→redraw p95: {name}",
                        k.get("p95_ms"),
                        "ms",
                        BUDGETS["lab_key_p95_ms"],
                    )
                else:
                    add(
                        f"Voilà key→redraw median: {name}",
                        k.get("median_ms"),
                        "ms",
                        BUDGETS["voila_key_median_ms"],
                        note=f"n={k['n']}, missed={k['missed']}",
                    )
                    add(f"Voilà key→redraw p95: {name}", k.get("p95_ms"), "ms")
                d = s.get("drag")
                if d and "error" not in d:
                    label = "Lab" if frontend == "lab" else "Voilà"
                    add(
                        f"{label} drag redraws/s: {name}",
                        d["redraws_per_s"],
                        "/s",
                        d["needed_per_s"],
                        at_least=True,
                        note=f"{d['redraws_during_drag']} redraws, {d['values_passed']} values "
                        f"in {d['drag_s']} s",
                    )
                    add(
                        f"{label} drag release→final: {name}",
                        d["release_to_final_ms"],
                        "ms",
                        BUDGETS["drag_release_to_final_ms"],
                    )
            if frontend == "lab":
                add(
                    f"Lab open→live after Run All: {stem}",
                    nb["open_to_live_s"],
                    "s",
                    BUDGETS["open_to_live_s"],
                    note="" if nb["live"] else "NOT all live",
                )
                add(
                    f"kernel→browser bytes: {stem}",
                    round(nb["kernel_bytes"] / MB, 2),
                    "MB",
                    BUDGETS["kernel_bytes_mb"],
                )
                rss = nb.get("kernel_rss_bytes")
                add(
                    f"kernel RSS after Run All: {stem}",
                    rss and round(rss / MB, 1),
                    "MB",
                    BUDGETS["kernel_rss_mb"],
                )
            else:
                add(
                    f"Voilà page→live: {stem}",
                    nb["page_to_live_s"],
                    "s",
                    note="" if nb["live"] else "NOT all live",
                )
    if "make_test" in results:
        mt = results["make_test"]
        add(
            "make test, environment ready",
            mt["seconds"],
            "s",
            BUDGETS["make_test_s"],
            note="" if mt["returncode"] == 0 else f"make test FAILED (rc={mt['returncode']})",
        )
    if "fresh_setup" in results:
        fs = results["fresh_setup"]
        add(
            "fresh clone: make setup",
            fs.get("seconds"),
            "s",
            note="" if fs.get("returncode") == 0 else f"FAILED: {fs}",
        )
    add(
        "notebooks/ on disk",
        round(results["notebooks_bytes"] / MB, 3),
        "MB",
        BUDGETS["notebooks_mb"],
    )
    for k in results.get("kernel_callbacks", []):
        label = f"{k['script']}: {k.get('name', '?')}"
        if "what" in k:
            label += f" ({k['what'][:40]})"
        if "error" in k:
            rows.append(
                {
                    "what": k["script"],
                    "value": None,
                    "unit": "",
                    "budget": None,
                    "at_least": False,
                    "ok": False,
                    "note": k["error"][-200:],
                }
            )
        elif "median_ms" in k:  # bench_kernel.py's schema
            add(
                label,
                k["median_ms"],
                "ms",
                k.get("budget_ms"),
                note=f"cpu {k.get('cpu_median_ms')} ms",
            )
        elif isinstance(k.get("value"), int | float):  # name, value, unit, budget
            add(label, k["value"], k.get("unit", ""), k.get("budget"))
    return rows


def fmt(row: dict) -> tuple[str, str, str]:
    v = "n/a" if row["value"] is None else f"{row['value']:g} {row['unit']}"
    b = (
        ""
        if row["budget"] is None
        else f"{'≥' if row['at_least'] else '≤'} {row['budget']:g} {row['unit']}"
    )
    verdict = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
    return v, b, verdict


def report(results: dict, rows: list[dict]) -> str:
    s = results["specs"]
    print(
        "\n== results (noisy: shared machine; load average "
        f"{s['load_average_start']} at start, {results['load_average_end']} at end)"
    )
    width = max(len(r["what"]) for r in rows) if rows else 10
    for r in rows:
        v, b, verdict = fmt(r)
        print(f"  {r['what']:<{width}}  {v:>12}  {b:>12}  {verdict:<6} {r['note']}")
    md = [
        f"Measured {s['date'][:10]} on {s['cores']} cores ({s['cpu']}), {s['ram_gb']} GB RAM, "
        f"{s['os']}, {s['chromium']}; load average {s['load_average_start'][0]:.1f} at start. "
        "Shared machine: timings are noisy.",
        "",
        "| what | measured | budget | |",
        "|---|---|---|---|",
    ]
    for r in rows:
        v, b, verdict = fmt(r)
        md.append(f"| {r['what']} | {v} | {b} | {verdict} {r['note']} |".replace("  ", " "))
    return "\n".join(md) + "\n"


# ---------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=int(os.environ.get("BENCH_STEPS", 20)))
    ap.add_argument("--skip", default=os.environ.get("BENCH_SKIP", ""))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = ap.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    results: dict = {"specs": specs(), "budgets": BUDGETS, "steps": args.steps}
    s = results["specs"]
    print(
        f"== machine: {s['cpu']}, {s['cores']} cores, {s['ram_gb']} GB RAM, {s['os']}, "
        f"Linux {s['kernel']}, Python {s['python']}, {s['chromium']}"
    )
    print(f"== packages: {s['packages']}; git {s['git']}; load average {s['load_average_start']}")
    tmp = Path(tempfile.mkdtemp(prefix="pcd-bench-"))
    try:
        if not {"lab", "voila"} <= skip:
            if not harness.chromium_available():
                print(harness.HOW_TO_ENABLE.format(path=harness.CHROMIUM))
                return 2
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                ctx = harness.launch_context(p, tmp / "chromium-profile")
                try:
                    if "lab" not in skip:
                        print("== JupyterLab", flush=True)
                        server = harness.start_lab(tmp / "lab")
                        try:
                            results["lab"] = bench_lab(ctx, server, args.steps, "drag" not in skip)
                        finally:
                            server.stop()
                    if "voila" not in skip:
                        print("== Voilà", flush=True)
                        server = harness.start_voila(tmp / "voila")
                        try:
                            results["voila"] = bench_voila(
                                ctx, server, args.steps, "drag" not in skip
                            )
                        finally:
                            server.stop()
                finally:
                    ctx.close()
        if "kernel" not in skip:
            print("== bench/bench_*.py (kernel-side benchmarks)", flush=True)
            results["kernel_callbacks"] = bench_scripts()
        if "maketest" not in skip:
            print("== make test", flush=True)
            results["make_test"] = bench_make_test()
        if "setup" not in skip:
            print("== fresh clone: make setup", flush=True)
            results["fresh_setup"] = bench_fresh_setup(tmp)
        results["notebooks_bytes"] = notebooks_size()
        results["load_average_end"] = os.getloadavg()
        rows = checks(results)
        results["checks"] = rows
        md = report(results, rows)
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
        args.out.with_suffix(".md").write_text(md, encoding="utf-8")
        print(f"\nwrote {args.out} and {args.out.with_suffix('.md')}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    missed = [r for r in rows if r["ok"] is False]
    if missed:
        print(f"\n{len(missed)} budget(s) missed or not measured:")
        for r in missed:
            print(f"  - {r['what']}: {fmt(r)[0]} (budget {fmt(r)[1]}) {r['note']}")
        return 1
    print("\nevery budget met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
