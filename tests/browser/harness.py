"""Shared machinery for the real-browser tests (tests/browser) and the benchmark (bench/).

Starts JupyterLab or Voilà on 127.0.0.1 (free port, random token, temporary settings, workspace
and runtime folders), launches the system Chromium through Playwright (never a downloaded browser),
and drives notebooks the way a student does: open, wait for the kernel, Run All, scroll every cell
into view, then work each control from the keyboard.

Nothing here knows which notebooks or widgets exist: notebooks are ``notebooks/*.ipynb`` and
controls are found in the page (ipywidgets sliders, toggle buttons, checkboxes, dropdowns, radio
buttons). Method and baselines: /work/shared/research/latency-floor.md and feasibility-browser.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("PCD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}
RESULTS = ROOT / "test-results"
# The pack's Voilà template (jupyter/voila/templates/pcd): the stock "lab" template without its two
# font-awesome style sheets from cdn.jsdelivr.net, so a presented page loads nothing from outside.
JUPYTER_PATH = ROOT / "jupyter"
VOILA_TEMPLATE = os.environ.get("PCD_VOILA_TEMPLATE", "pcd")

HOW_TO_ENABLE = (
    "Browser tests need Chromium at {path}. Install it (Debian/Ubuntu: `sudo apt-get install "
    "chromium`) or point PCD_CHROMIUM at a Chromium binary, then run `make test-browser`. "
    "No browser is ever downloaded. CI sets PCD_REQUIRE_BROWSER=1, which turns this skip into "
    "a failure."
)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
STDERR_MIME = "application/vnd.jupyter.stderr"
BAD_TEXT = ("Error displaying widget", "model not found", "Loading widget...")
# Page errors known to be harmless, with the reason. Anything else fails the render tests.
KNOWN_PAGE_ERRORS = {
    # jupyterlab-plotly's static renderer writes a PNG back into the output model after drawing;
    # Voilà's output model has no setData (feasibility-browser.md). The figure itself is drawn.
    "r.setData is not a function": "voila",
}


def page_errors(recorder: Recorder, frontend: str) -> list[str]:
    return [
        e
        for e in recorder.errors
        if not any(k in e and f == frontend for k, f in KNOWN_PAGE_ERRORS.items())
    ]


# --------------------------------------------------------------------------------------------
# notebooks


def notebook_dir() -> Path:
    """The folder served and tested: notebooks/ (PCD_NOTEBOOK_DIR overrides it: harness work)."""
    return Path(os.environ.get("PCD_NOTEBOOK_DIR", ROOT / "notebooks")).resolve()


def notebooks() -> list[Path]:
    return sorted(notebook_dir().glob("*.ipynb"))


@dataclass(frozen=True)
class Expected:
    """What the stored outputs of a notebook promise a run will show."""

    code_cells: int
    plotly: int  # static figures (application/vnd.plotly.v1+json)
    widgets: int  # widget views (ipywidgets controls, FigureWidgets, readouts)


def expected(path: Path) -> Expected:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    outs = [o for c in code for o in c.get("outputs", []) if "data" in o]
    return Expected(
        code_cells=len(code),
        plotly=sum(PLOTLY_MIME in o["data"] for o in outs),
        widgets=sum(WIDGET_MIME in o["data"] for o in outs),
    )


# --------------------------------------------------------------------------------------------
# chromium


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def chromium_version() -> str:
    try:
        out = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# Wraps window.WebSocket in every page: stamps the last message in either direction (the
# "quiet WebSocket" settle of latency-floor.md) and counts bytes received.
WS_INIT_SCRIPT = """
(() => {
  if (window.__pcdWs) return;
  const st = window.__pcdWs = {last: 0, recvBytes: 0, recvMsgs: 0, sent: 0};
  const Orig = window.WebSocket;
  class PcdWebSocket extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        st.last = performance.now(); st.recvMsgs++;
        const d = ev.data;
        st.recvBytes += typeof d === 'string' ? d.length : (d.byteLength || d.size || 0);
      });
    }
    send(data) { st.last = performance.now(); st.sent++; return super.send(data); }
  }
  window.WebSocket = PcdWebSocket;
})();
"""


def launch_context(playwright, user_data_dir: Path):
    """The system Chromium with the agreed flags and a fresh profile; never a downloaded browser."""
    if user_data_dir.exists():
        shutil.rmtree(user_data_dir)
    user_data_dir.mkdir(parents=True)
    ctx = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport=VIEWPORT,
    )
    ctx.add_init_script(WS_INIT_SCRIPT)
    ctx.set_default_timeout(60_000)
    return ctx


@dataclass
class Recorder:
    """Everything a page asked for and complained about, for the offline check and the report."""

    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    ws_bytes_in: int = 0
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> Recorder:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("websocket", self._websocket)
        return self

    def _console(self, msg) -> None:
        self.console.append(f"{msg.type}: {msg.text}")

    def _websocket(self, ws) -> None:
        self.websockets.append(ws.url)
        if "/api/kernels/" in ws.url:
            ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.ws_bytes_in += len(payload.encode() if isinstance(payload, str) else payload)

    def external(self) -> list[str]:
        """Every URL that did not go to this machine's loopback address."""
        bad = []
        for url in self.requests + self.websockets:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "blob", "about", "file", "chrome-error"):
                continue
            if parts.hostname != "127.0.0.1":
                bad.append(url)
        return sorted(set(bad))


# Pages open right now, so that a failing test can leave a screenshot and logs behind:
# name -> (page, Recorder, Server or None).
PAGES: dict[str, tuple] = {}


def save_artifacts(
    name: str, page, recorder: Recorder | None, server: Server | None = None
) -> Path:
    """Screenshot and logs of a page in test-results/<name>.*; returns the screenshot path."""
    RESULTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150]
    shot = RESULTS / f"{stem}.png"
    with contextlib.suppress(Exception):
        page.screenshot(path=str(shot), full_page=True, timeout=15_000)
    lines = []
    if recorder is not None:
        lines += ["== page errors", *recorder.errors, "== console", *recorder.console[-200:]]
        lines += ["== requests", *recorder.requests[-400:], "== websockets", *recorder.websockets]
    if server is not None:
        lines += ["== server log (tail)", server.log_tail(200)]
    (RESULTS / f"{stem}.log").write_text("\n".join(lines), encoding="utf-8")
    return shot


# --------------------------------------------------------------------------------------------
# servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    kind: str
    proc: subprocess.Popen
    port: int
    token: str
    tmp: Path
    log_path: Path
    base: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def ready(self, path: str) -> bool:
        """True once the server answers path (with the token) with a success status."""
        sep = "&" if "?" in path else "?"
        try:
            with urllib.request.urlopen(
                f"{self.url}{path}{sep}token={self.token}", timeout=10
            ) as r:
                return r.status < 400
        except Exception:
            return False

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def kernel_pids(self) -> list[int]:
        """Processes this server started (its kernels), found through their parent ids."""
        parents: dict[int, int] = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = (d / "stat").read_text()
                    parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [], [self.proc.pid]
        while frontier:
            pid = frontier.pop()
            kids = [c for c, ppid in parents.items() if ppid == pid]
            found += kids
            frontier += kids
        return found

    def kernel_pid(self, kernel_id: str) -> int | None:
        return next((pid for pid in self.kernel_pids() if kernel_id in _cmdline(pid)), None)

    def shutdown_kernels(self) -> None:
        """Stop every session and kernel of this server (between notebooks, and at the end)."""
        with contextlib.suppress(Exception):
            for s in self.api("/api/sessions") or []:
                with contextlib.suppress(Exception):
                    self.api(f"/api/sessions/{s['id']}", method="DELETE")
        with contextlib.suppress(Exception):
            for k in self.api("/api/kernels") or []:
                with contextlib.suppress(Exception):
                    self.api(f"/api/kernels/{k['id']}", method="DELETE")

    def stop(self) -> None:
        self.shutdown_kernels()
        leftovers = {pid: _cmdline(pid) for pid in self.kernel_pids()}
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        # Kernels run in their own sessions: stop any that outlived the server.
        for pid, cmd in leftovers.items():
            if cmd and _cmdline(pid) == cmd:  # still the same process, not a reused pid
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def _server_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),  # ignore ~/.jupyter of whoever runs the tests
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_DATA_DIR=str(tmp / "data"),  # notebook-signing key and the like stay in tmp
        IPYTHONDIR=str(tmp / "ipython"),
        PLOTLY_RENDERER="plotly_mimetype",  # the same renderer as make test and make outputs
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        JUPYTER_PLATFORM_DIRS="1",
    )
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_PATH), os.environ.get("JUPYTER_PATH", "")) if p
    )
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _lab_settings(settings: Path) -> None:
    """Temporary user settings: no autosave (opened notebooks are never written back), no news."""
    files = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "checkForUpdates": False,
            "fetchNews": "false",
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for rel, value in files.items():
        p = settings / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(value), encoding="utf-8")


def _start(kind: str, tmp: Path, argv_for_port, ready_path: str, timeout_s: float = 90) -> Server:
    tmp.mkdir(parents=True, exist_ok=True)
    for sub in ("config", "runtime", "ipython", "data"):
        (tmp / sub).mkdir(exist_ok=True)
    last_error = ""
    for attempt in range(3):
        port, token = free_port(), secrets.token_hex(16)
        log_path = tmp / f"{kind}-{attempt}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                argv_for_port(port, token),
                cwd=ROOT,
                env=_server_env(tmp),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(kind, proc, port, token, tmp, log_path)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and proc.poll() is None:
            if server.ready(ready_path):
                return server
            time.sleep(0.25)
        last_error = server.log_tail()
        server.stop()
    raise RuntimeError(f"{kind} did not start on 127.0.0.1; last log:\n{last_error}")


def start_lab(tmp: Path, root_dir: Path | None = None) -> Server:
    root_dir = root_dir or notebook_dir()
    _lab_settings(tmp / "settings")
    (tmp / "workspaces").mkdir(parents=True, exist_ok=True)

    def argv(port: int, token: str) -> list[str]:
        args = [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            f"--LabApp.user_settings_dir={tmp / 'settings'}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--LabApp.news_url=",
        ]
        if os.geteuid() == 0:
            args.append("--allow-root")
        return args

    return _start("lab", tmp, argv, "/api/status")


def voila_argv(root_dir: Path, port: int, token: str) -> list[str]:
    """`make present`'s set-up (tools/present.sh): Voilà on 127.0.0.1 serving the notebooks folder,
    code hidden, light theme, the pack's template; plus a token, and tracebacks for the report."""
    return [
        str(BIN / "voila"),
        str(root_dir),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        f"--template={VOILA_TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=True",
        "--theme=light",
    ]


def start_voila(tmp: Path, root_dir: Path | None = None) -> Server:
    root_dir = root_dir or notebook_dir()
    return _start("voila", tmp, lambda port, token: voila_argv(root_dir, port, token), "/")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# --------------------------------------------------------------------------------------------
# in-page helpers (both front ends)

LAB_SCOPE = "[data-pcd-panel] .jp-Notebook"
VOILA_SCOPE = "#rendered_cells"

CHECK_JS = """
(scope) => {
  const root = document.querySelector(scope);
  if (!root) return {missing: true};
  const vis = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const arrayish = (v) => Array.isArray(v) || ArrayBuffer.isView(v);
  const plots = [...root.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.querySelector('.main-svg') || gd.data).map((gd, i) => {
    const data = gd._fullData || gd.data || [];
    const fromCalc = (gd.calcdata || []).reduce((n, cd) => n + (cd ? cd.length : 0), 0);
    const fromArrays = data.reduce((n, t) => n + Math.max(0, ...Object.values(t)
        .filter(arrayish).map(a => a.length)), 0);
    const drawn = gd.querySelectorAll('.main-svg .trace, .main-svg .hm, .main-svg .contour').length;
    const title = gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title);
    return {i, traces: data.length, points: Math.max(fromCalc, fromArrays), drawn, visible: vis(gd),
            title: title || ''};
  });
  // Output nodes: mime renderers mark theirs with data-mime-type; jupyterlab-plotly's static
  // renderer with .jp-RenderedPlotly; what is left is a widget view (ipywidgets, anywidget).
  const outputs = [...root.querySelectorAll('.jp-OutputArea-output')];
  const plotlyOutputs = outputs.filter(o => o.classList.contains('jp-RenderedPlotly'));
  const widgetOutputs = outputs.filter(
      o => !o.dataset.mimeType && !o.classList.contains('jp-RenderedPlotly'));
  const deadWidgets = widgetOutputs.filter(o => !o.firstElementChild ||
      /Error displaying widget|model not found|Loading widget/.test(o.textContent)).length;
  const deadPlotly = plotlyOutputs.filter(o => !o.querySelector('.main-svg')).length;
  const controls = [...root.querySelectorAll(
      '.widget-slider, .widget-toggle-buttons, .widget-checkbox, .widget-dropdown, ' +
      '.widget-radio, .widget-select, .widget-button, .widget-toggle-button, .widget-text')];
  const text = root.innerText;
  return {
    plots, widgetOutputs: widgetOutputs.length, deadWidgets,
    plotlyOutputs: plotlyOutputs.length, deadPlotly,
    controls: controls.length,
    hiddenControls: controls.filter(c => !vis(c))
      .map(c => c.className + ': ' + c.innerText.slice(0, 60)),
    stderr: [...root.querySelectorAll('[data-mime-type="%STDERR%"]')]
      .map(e => e.innerText.slice(0, 400)),
    badText: %BAD%.filter(b => text.includes(b)),
  };
}
""".replace("%STDERR%", STDERR_MIME).replace("%BAD%", json.dumps(list(BAD_TEXT)))


def page_state(page, scope: str) -> dict:
    return page.evaluate(CHECK_JS, scope)


def render_problems(state: dict, want: Expected | None, ran: bool) -> list[str]:
    """Why a page does not show what it should (empty list: all good)."""
    if state.get("missing"):
        return ["the notebook is not on the page"]
    problems = []
    if state["badText"]:
        problems.append(f"page shows {state['badText']}")
    if state["stderr"]:
        problems.append(f"error or warning output: {state['stderr'][:3]}")
    if state["deadWidgets"]:
        problems.append(f"{state['deadWidgets']} widget output(s) not rendered")
    if state["deadPlotly"]:
        problems.append(f"{state['deadPlotly']} plotly output(s) not drawn")
    for p in state["plots"]:
        if not (p["traces"] and p["points"] and p["drawn"]):
            problems.append(f"plotly figure {p['i']} ({p['title']!r}) drawn without data: {p}")
        elif not p["visible"]:
            problems.append(f"plotly figure {p['i']} ({p['title']!r}) is not visible")
    if state["hiddenControls"]:
        problems.append(f"controls not visible: {state['hiddenControls']}")
    if want is not None:
        if state["plotlyOutputs"] < want.plotly:
            problems.append(
                f"{state['plotlyOutputs']} plotly figures, stored outputs have {want.plotly}"
            )
        if ran and state["widgetOutputs"] < want.widgets:
            problems.append(
                f"{state['widgetOutputs']} widget outputs, stored outputs have {want.widgets}"
            )
    return problems


def wait_rendered(
    page, scope: str, want: Expected | None, ran: bool, timeout_s: float = 90, stable_s: float = 10
) -> dict:
    """Poll until every output is drawn; give up when the page stops changing for stable_s
    (a lasting problem, such as an error output) or after timeout_s. Returns the last state."""
    deadline = time.monotonic() + timeout_s
    last, since, polls = None, time.monotonic(), 0
    while True:
        if polls % 6 == 0:  # now and then: scroll through, so that lazy outputs get drawn
            scroll_through(page, scope)
        polls += 1
        state = page_state(page, scope)
        if not render_problems(state, want, ran):
            return state
        now = time.monotonic()
        if state != last:
            last, since = state, now
        if now > deadline or now - since > stable_s:
            scroll_through(page, scope)
            return page_state(page, scope)
        page.wait_for_timeout(250)


SCROLL_JS = """
async (scope) => {
  const root = document.querySelector(scope);
  if (!root) return 0;
  // A frame, or 100 ms if no frame comes: a page whose frames stall (seen once in headless
  // Chromium, in the offline run) must not hang the suite, since page.evaluate has no timeout.
  const frame = () => new Promise(r => { requestAnimationFrame(() => r()); setTimeout(r, 100); });
  const outputs = root.querySelectorAll('.jp-OutputArea-output');
  for (const o of outputs) { o.scrollIntoView({block: 'center'}); await frame(); }
  return outputs.length;
}
"""


def scroll_through(page, scope: str) -> None:
    """Scroll every cell into view so that lazily rendered outputs get drawn."""
    page.evaluate(SCROLL_JS, scope)


# ---- JupyterLab


def lab_open(page, server: Server, nb_name: str) -> None:
    """Load JupyterLab (fresh workspace) and open one notebook in it; kernel connected and idle."""
    page.goto(f"{server.url}/lab?reset&token={server.token}", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
    page.evaluate(
        "async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }"
    )
    lab_open_in_app(page, nb_name)


def lab_open_in_app(page, nb_name: str) -> None:
    page.evaluate(
        """async (path) => {
            document.querySelectorAll('[data-pcd-panel]')
              .forEach(n => n.removeAttribute('data-pcd-panel'));
            const app = window.jupyterapp;
            const panel = await app.commands.execute(
              'docmanager:open', {path, factory: 'Notebook'});
            await panel.context.ready;
            await panel.sessionContext.ready;
            app.shell.activateById(panel.id);
            panel.node.setAttribute('data-pcd-panel', '1');
            window.__pcdPanel = panel;
        }""",
        nb_name,
    )
    lab_wait_kernel(page)


KERNEL_READY_JS = """() => {
  const p = window.__pcdPanel;
  const k = p && p.sessionContext.session && p.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

PROGRESS_JS = """() => {
  const p = window.__pcdPanel;
  const cells = p.content.widgets.filter(
      c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  const done = cells.filter(c => c.model.executionCount !== null).length;
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  const prompts = [...p.content.node.querySelectorAll('.jp-InputPrompt')];
  return {cells: cells.length, done, status: k ? k.status : 'none',
          conn: k ? k.connectionStatus : 'none',
          pending: prompts.some(e => e.textContent.includes('*'))};
}"""


def lab_wait_kernel(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(KERNEL_READY_JS, timeout=timeout_ms, polling=100)


def lab_run_all(page, timeout_s: float = 240) -> dict:
    """Clear stored outputs, Run All, and wait until every code cell ran and the kernel is idle.

    Returns the progress: ``done < cells`` means Run All stopped early (a cell raised; the render
    test reports it). Run All is sent again (once) if no cell has started after 20 s, the failure
    mode seen when the command arrives before the kernel is really ready (latency-floor.md).
    """
    lab_wait_kernel(page)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    deadline = time.monotonic() + timeout_s
    prog: dict = {}
    for attempt in range(2):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        started = time.monotonic()
        idle_since = None
        while time.monotonic() < deadline:
            prog = page.evaluate(PROGRESS_JS)
            idle = prog["status"] == "idle" and not prog["pending"]
            if idle and prog["done"] == prog["cells"]:
                return prog
            idle_since = (idle_since or time.monotonic()) if idle else None
            if idle and prog["done"] and time.monotonic() - idle_since > 10:
                return prog  # stopped part-way: an error, reported by the caller
            if attempt == 0 and not prog["done"] and idle and time.monotonic() - started > 20:
                break  # nothing started: send Run All again
            page.wait_for_timeout(100)
    raise TimeoutError(f"Run All did not finish in {timeout_s:.0f} s: {prog}")


def lab_kernel_id(page) -> str:
    return page.evaluate("() => window.__pcdPanel.sessionContext.session.kernel.id")


def lab_model_errors(page) -> list[str]:
    """Error and stderr outputs held by the notebook model (not only what is on screen)."""
    return page.evaluate(
        """() => window.__pcdPanel.content.widgets.flatMap(c => c.model.type !== 'code' ? [] :
            c.model.outputs.toJSON().filter(o => o.output_type === 'error' ||
                (o.output_type === 'stream' && o.name === 'stderr'))
            .map(o => o.output_type === 'error' ? `${o.ename}: ${o.evalue}`
                                                : String(o.text).slice(0, 300)))"""
    )


# ---- Voilà


def voila_open(page, server: Server, nb_name: str, timeout_ms: int = 180_000) -> None:
    url = f"{server.url}/voila/render/{urllib.parse.quote(nb_name)}?token={server.token}"
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    # voila_finish() shows #rendered_cells once every cell has executed on the server.
    page.wait_for_function(
        "() => { const r = document.querySelector('#rendered_cells');"
        " return r && r.style.display !== 'none'; }",
        timeout=timeout_ms,
    )


def voila_kernel_id(page) -> str | None:
    return page.evaluate(
        "() => { const c = document.querySelector('#jupyter-config-data');"
        " return c ? JSON.parse(c.textContent).kernelId : null; }"
    )


# ---- controls


CONTROLS_JS = """
(scope) => {
  const root = document.querySelector(scope);
  const out = [];
  const clean = (t) => (t || '').replace(/[\\u200b\\s]+/g, ' ').trim();
  const label = (el) => {
    const l = el.querySelector('.widget-label'); return clean(l ? l.innerText : ''); };
  const enabled = (el) => !el.classList.contains('mod-disabled') && !el.querySelector('[disabled]');
  root.querySelectorAll('.widget-slider').forEach((box, index) => {
    box.querySelectorAll('.noUi-handle').forEach((h, handle) => out.push(
      {kind: 'slider', index, handle, label: label(box) || 'slider', enabled: enabled(box)}));
  });
  root.querySelectorAll('.widget-toggle-buttons').forEach((box, index) => out.push(
    {kind: 'toggle-buttons', index, label: label(box) || 'toggle buttons', enabled: enabled(box)}));
  [...root.querySelectorAll('.widget-toggle-button')]
    .filter(b => !b.closest('.widget-toggle-buttons'))
    .forEach((b, index) => out.push({kind: 'toggle-button', index,
      label: clean(b.innerText) || b.title || 'toggle', enabled: !b.disabled}));
  root.querySelectorAll('.widget-checkbox').forEach((box, index) => out.push(
    {kind: 'checkbox', index, label: clean(box.innerText) || 'checkbox', enabled: enabled(box)}));
  root.querySelectorAll('.widget-dropdown').forEach((box, index) => out.push(
    {kind: 'dropdown', index, label: label(box) || 'dropdown', enabled: enabled(box)}));
  root.querySelectorAll('.widget-radio').forEach((box, index) => out.push(
    {kind: 'radio', index, label: label(box) || 'radio buttons', enabled: enabled(box)}));
  return out;
}
"""

CONTAINER = {
    "slider": ".widget-slider",
    "toggle-buttons": ".widget-toggle-buttons",
    "toggle-button": ".widget-toggle-button:not(.widget-toggle-buttons *)",
    "checkbox": ".widget-checkbox",
    "dropdown": ".widget-dropdown",
    "radio": ".widget-radio",
}


def controls(page, scope: str) -> list[dict]:
    """Every control on the page (sliders one entry per handle), with a readable name."""
    found = page.evaluate(CONTROLS_JS, scope)
    for c in found:
        handle = f".{c['handle']}" if c.get("handle") else ""
        c["name"] = f"{c['kind']}[{c['index']}{handle}] {c['label']}"
    return found


def control_box(page, scope: str, control: dict):
    return page.locator(f"{scope} {CONTAINER[control['kind']]}").nth(control["index"])


# A fingerprint of everything a control can change: the shapes and text of every plotly figure and
# the text of every output, except inside the control being driven (its own readout moves anyway).
SIGNATURE_JS = """
(scope) => {
  const root = document.querySelector(scope);
  let h = 0;
  const add = (s) => { for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; };
  root.querySelectorAll('.js-plotly-plot .main-svg').forEach(svg => {
    if (svg.closest('[data-pcd-poked]')) return;
    svg.querySelectorAll('path, text, rect, image').forEach(e => {
      add(e.getAttribute('d') || ''); add(e.getAttribute('transform') || '');
      add(e.getAttribute('href') || ''); add(e.getAttribute('width') || '');
      if (e.tagName === 'text') add(e.textContent);
    });
  });
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('[data-pcd-poked]') || el.closest('.js-plotly-plot')) continue;
    if (!el.closest('.jp-OutputArea-output')) continue;
    add(n.textContent);
  }
  return h;
}
"""


def signature(page, scope: str) -> int:
    return page.evaluate(SIGNATURE_JS, scope)


def settle(page, scope: str, quiet_ms: int = 300, timeout_s: float = 10) -> None:
    """Wait until the kernel WebSocket and the page have been quiet for quiet_ms."""
    deadline = time.monotonic() + timeout_s
    last = signature(page, scope)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = signature(page, scope)
        ws_quiet = page.evaluate(
            f"() => performance.now() - ((window.__pcdWs && window.__pcdWs.last) || 0) > {quiet_ms}"
        )
        if now == last and ws_quiet:
            return
        last = now


def _press(page, scope: str, control: dict) -> str:
    """Focus the control and press one key on it; returns the key pressed."""
    box = control_box(page, scope, control)
    box.scroll_into_view_if_needed()
    kind = control["kind"]
    if kind == "slider":
        handle = box.locator(".noUi-handle").nth(control.get("handle", 0))
        now = float(handle.get_attribute("aria-valuenow") or 0)
        top = float(handle.get_attribute("aria-valuemax") or 1e300)
        key = "ArrowLeft" if now >= top else "ArrowRight"
        handle.focus()
        page.keyboard.press(key)
        return key
    if kind == "toggle-buttons":
        target = box.locator("button:not(.mod-active)").first
        target.focus()
        page.keyboard.press("Space")
        return "Space"
    if kind == "toggle-button":
        box.focus()
        page.keyboard.press("Space")
        return "Space"
    if kind == "checkbox":
        box.locator("input[type=checkbox]").focus()
        page.keyboard.press("Space")
        return "Space"
    if kind == "dropdown":
        # Open the list with Space, move, choose with Enter: what works in both front ends. (Arrow
        # keys and letters on a closed ipywidgets Dropdown are taken by JupyterLab's notebook
        # shortcuts: ArrowDown selects the next cell, "a" inserts a cell above.)
        sel = box.locator("select")
        last = sel.evaluate("s => s.selectedIndex >= s.options.length - 1")
        move = "ArrowUp" if last else "ArrowDown"
        sel.focus()
        for key in ("Space", move, "Enter"):
            page.keyboard.press(key)
            page.wait_for_timeout(50)
        return f"Space {move} Enter"
    if kind == "radio":
        # Space on an unchecked radio button checks it (arrow keys are JupyterLab's, see above).
        target = box.locator("input[type=radio]:not(:checked)").first
        target.focus()
        page.keyboard.press("Space")
        return "Space"
    raise ValueError(kind)


def poke(page, scope: str, control: dict, timeout_s: float = 15) -> tuple[bool, str]:
    """Work one control from the keyboard; True when a figure or readout changed in response.
    The page should be settled first (`settle`); poke leaves it settled."""
    box = control_box(page, scope, control)
    box.evaluate("el => el.setAttribute('data-pcd-poked', '1')")
    try:
        before = signature(page, scope)
        key = _press(page, scope, control)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            if signature(page, scope) != before:
                settle(page, scope)
                return True, key
        return False, key
    finally:
        box.evaluate("el => el.removeAttribute('data-pcd-poked')")


def unresponsive_controls(page, scope: str) -> tuple[list[dict], list[str]]:
    """Move every enabled control from the keyboard; return (controls found, those that changed
    neither a figure nor a readout, as messages). Shared by the JupyterLab and Voilà tests."""
    found = [c for c in controls(page, scope) if c["enabled"]]
    dead = []
    if found:
        settle(page, scope)
    for control in found:
        changed, key = poke(page, scope, control)
        if not changed:
            dead.append(f"{control['name']}: {key} changed no figure and no readout")
    return found, dead


# The hormone simulators' readout tables (lessons 02 and 03) are drawn by a FigureNote view from
# their figure's model: each notebook shows this many, with at least this many rows.
READOUT_TABLES = {
    "02-the-body-after-orgasm.ipynb": (1, 7),
    "03-intensity-stress-and-the-drop.ipynb": (1, 5),
}
READOUT_JS = """
(scope) => [...document.querySelector(scope).querySelectorAll('table.pcd-readout')]
  .map(t => ({rows: t.querySelectorAll('tr').length, text: t.innerText}))
"""


def readout_problems(page, scope: str, name: str) -> list[str]:
    """Why a notebook's readout tables are missing, short or do not follow the intensity slider
    (empty list: all good, or a notebook without them)."""
    if name not in READOUT_TABLES:
        return []
    count, rows = READOUT_TABLES[name]
    tables = page.evaluate(READOUT_JS, scope)
    if len(tables) != count or any(t["rows"] < rows for t in tables):
        return [f"readout tables (rows): {[t['rows'] for t in tables]}; want {count} of {rows}+"]
    slider = next((c for c in controls(page, scope) if c["label"].startswith("Intensity")), None)
    if slider is None:
        return ["no intensity slider"]
    settle(page, scope)
    _press(page, scope, slider)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if [t["text"] for t in page.evaluate(READOUT_JS, scope)] != [t["text"] for t in tables]:
            settle(page, scope)
            return []
    return ["the readout table did not change when the intensity slider moved"]
