"""A bounded load test of the class hub on this machine's loopback interface (`make hub-load`).

    .venv/bin/python tools/hub_load.py --students 20 [--lesson NN] [--timeout 900]
                                       [--out bench/hub.json]

It starts its own hub from the pack's files (tools/hub.py, jupyter/jupyterhub_config.py) on
127.0.0.1 with a random class password and throw-away Unix users (prefix `pcdl-`), then all the
students at once: sign in, wait for their server and its first page (lesson 00), open the lesson
(default: 05; with 04 the heaviest to run: measured with one student, 05 costs a little more
server memory and CPU, and its figures' widget messages arrive as binary frames), start its kernel,
run every code cell through the kernel's websocket, move one of the lesson's controls and wait for
the kernel's answer. Recorded per student: start time (sign-in to lesson 00 on screen), time to
finish, server and kernel memory (PSS, from /proc/PID/smaps_rollup) and CPU time, errors.
It writes the results (JSON) and exits 1 on any lost server, lost kernel or cell error.

Bounded: at most 60 students, a wall-clock limit for the whole run (--timeout, default 900 s;
the hub it starts stops itself shortly after), requests only to 127.0.0.1, nothing left behind
(the hub is stopped, the Unix users and their homes deleted). Run as root (one Unix user each).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import pwd
import secrets
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub  # noqa: E402  (tools/hub.py: checks and the students' environment)

MAX_STUDENTS = 60
WIDGET_MODELS = {
    "DropdownModel": "index",
    "ToggleButtonsModel": "index",
    "RadioButtonsModel": "index",
    "SelectionSliderModel": "index",
    "CheckboxModel": "value",
    "ToggleButtonModel": "value",
    "IntSliderModel": "value",
    "FloatSliderModel": "value",
}


# ---- a hub of its own --------------------------------------------------------------------------


@contextlib.contextmanager
def running_hub(
    *,
    user_prefix: str,
    students: list[str] | None = None,
    stop_after_min: float = 20,
    extra_args: tuple[str, ...] = (),
    prefix: Path = hub.DEFAULT_PREFIX,
    start_timeout: float = 120,
    tls: tuple[str, str] | None = None,
):
    """Start `tools/hub.py run` on a free loopback port; stop it and remove what it made.

    With tls=(certificate, key) the hub serves HTTPS with them (the url says https).

    Yields a dict: url, password, pid, state, homes, log (path), user_prefix.
    """
    if os.geteuid() != 0:
        raise hub.HubError("the load test and the hub tests make Unix users: run them as root")
    hub.setup(prefix, quiet=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=prefix))
    work.chmod(0o711)
    state, homes = work / "state", work / "home"
    port = hub.free_port()
    password = secrets.token_urlsafe(12)
    log_path = work / "hub.log"
    cmd = [sys.executable, str(ROOT / "tools" / "hub.py"), "run", "--port", str(port)]
    cmd += ["--prefix", str(prefix), "--state", str(state), "--homes", str(homes)]
    cmd += ["--user-prefix", user_prefix, "--stop-after", str(stop_after_min), *extra_args]
    if students:
        cmd += ["--students", " ".join(students)]
    if tls:
        cmd += ["--cert", tls[0], "--key", tls[1]]
    env = {**os.environ, "PCD_HUB_PASSWORD": password}
    log = open(log_path, "wb")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
    )
    info = {
        "url": f"{'https' if tls else 'http'}://127.0.0.1:{port}",
        "password": password,
        "pid": proc.pid,
        "state": state,
        "homes": homes,
        "log": log_path,
        "user_prefix": user_prefix,
        "proc": proc,
    }
    try:
        _wait_healthy(info["url"], proc, start_timeout, log_path, tls[0] if tls else None)
        yield info
    finally:
        stop_hub(proc)
        log.close()
        remove_users(user_prefix)
        shutil.rmtree(work, ignore_errors=True)


def _wait_healthy(
    url: str, proc: subprocess.Popen, timeout: float, log_path: Path, cafile: str | None
) -> None:
    import ssl
    import urllib.request

    context = ssl.create_default_context(cafile=cafile) if cafile else None

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise hub.HubError(f"the hub exited ({proc.returncode}):\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/hub/health", timeout=5, context=context) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise hub.HubError(f"the hub did not answer within {timeout:g} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop_hub(proc: subprocess.Popen, timeout: float = 90) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def remove_users(user_prefix: str) -> list[str]:
    """Delete the Unix users (and their processes) that the hub made with this prefix."""
    removed = []
    for account in pwd.getpwall():
        if account.pw_name.startswith(user_prefix) and account.pw_gecos == hub.ACCOUNT_MARK:
            subprocess.run(["pkill", "-KILL", "-U", str(account.pw_uid)], capture_output=True)
            subprocess.run(["userdel", "--remove", account.pw_name], capture_output=True)
            removed.append(account.pw_name)
    return removed


# ---- memory and CPU from /proc -----------------------------------------------------------------


def _status_field(pid: int, field: str) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def pss_mb(pid: int) -> float:
    """Proportional set size in MB (10^6 bytes): shared pages split among their users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return 0.0


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def processes_of(uid: int) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"server": [], "kernel": [], "other": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        uids = _status_field(pid, "Uid")
        if not uids or int(uids.split()[0]) != uid:
            continue
        cmd = _cmdline(pid)
        kind = (
            "server"
            if "jupyterhub-singleuser" in cmd
            else "kernel"
            if "ipykernel" in cmd
            else "other"
        )
        found[kind].append(pid)
    return found


def hub_processes(hub_pid: int) -> list[int]:
    """The hub and its root-owned children (the proxy, the culler)."""
    pids = [hub_pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _status_field(int(entry.name), "PPid") == str(hub_pid):
            uids = _status_field(int(entry.name), "Uid")
            if uids and int(uids.split()[0]) == os.getuid():
                pids.append(int(entry.name))
    return pids


# ---- one student -------------------------------------------------------------------------------


def _message(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "student",
            "session": session,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def decode_frame(data) -> dict:
    """A kernel websocket message: a JSON text frame, or a binary frame (messages with buffers,
    as widget messages are): uint32 count, uint32 offsets, then the JSON and the buffers."""
    if isinstance(data, str):
        return json.loads(data)
    (nbufs,) = struct.unpack("!I", data[:4])
    offsets = list(struct.unpack("!" + "I" * nbufs, data[4 : 4 * (nbufs + 1)]))
    offsets.append(len(data))
    msg = json.loads(data[offsets[0] : offsets[1]].decode("utf8"))
    msg["buffers"] = [data[offsets[i] : offsets[i + 1]] for i in range(1, nbufs)]
    return msg


class Kernel:
    """Requests to one kernel through its websocket, one at a time."""

    def __init__(self, ws, session_id: str):
        self.ws, self.session = ws, session_id
        self.comms: dict[str, dict] = {}
        self.binary_frames = 0
        self.id = self.base = ""

    async def _receive(self, timeout: float) -> dict:
        import aiohttp

        frame = await self.ws.receive(timeout=timeout)
        if frame.type == aiohttp.WSMsgType.BINARY:
            self.binary_frames += 1
            return decode_frame(frame.data)
        if frame.type == aiohttp.WSMsgType.TEXT:
            return decode_frame(frame.data)
        raise ConnectionError(f"the kernel's websocket closed ({frame.type.name})")

    async def request(self, msg: dict, timeout: float) -> tuple[dict | None, list[dict]]:
        """Send, then read until the kernel is idle again after it; (reply, iopub messages)."""
        await self.ws.send_str(json.dumps(msg))
        msg_id, reply, idle, iopub = msg["header"]["msg_id"], None, False, []
        deadline = time.monotonic() + timeout
        while not (idle and (reply is not None or msg["channel"] != "shell" or _no_reply(msg))):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {msg['header']['msg_type']} in {timeout:g} s")
            got = await self._receive(left)
            if got.get("msg_type") == "comm_open" or got["header"]["msg_type"] == "comm_open":
                content = got["content"]
                state = (content.get("data") or {}).get("state") or {}
                self.comms[content["comm_id"]] = state
            if got.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = got["header"]["msg_type"]
            if got.get("channel") == "shell" and kind.endswith("_reply"):
                reply = got
            elif got.get("channel") == "iopub":
                iopub.append(got)
                if kind == "status" and got["content"]["execution_state"] == "idle":
                    idle = True
        return reply, iopub


def _no_reply(msg: dict) -> bool:
    return msg["header"]["msg_type"] == "comm_msg"


def pick_control(comms: dict[str, dict]) -> tuple[str, dict] | None:
    """One of the lesson's controls and a new state for it (the next option, the other state)."""
    for comm_id, state in comms.items():
        key = WIDGET_MODELS.get(state.get("_model_name", ""))
        if not key or state.get("disabled"):
            continue
        if key == "index":
            labels = state.get("_options_labels") or []
            if len(labels) > 1 and isinstance(state.get("index"), int):
                return comm_id, {"index": (state["index"] + 1) % len(labels)}
        elif isinstance(state.get("value"), bool):
            return comm_id, {"value": not state["value"]}
        elif isinstance(state.get("value"), int | float) and "max" in state:
            return comm_id, {"value": state["max"]}
    return None


def client():
    """An HTTP client with its own cookies, as one browser (aiohttp refuses cookies for an IP
    address unless told)."""
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)
    return aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=600))


async def sign_in(http, url: str, name: str, password: str) -> int:
    """Post the hub's sign-in form; the HTTP status (302 when the hub let the student in)."""
    async with http.get(f"{url}/hub/login") as page:
        text = await page.text()
    xsrf = text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    form = {"username": name, "password": password, "_xsrf": xsrf}
    async with http.post(f"{url}/hub/login", data=form, allow_redirects=False) as answer:
        return answer.status


async def first_page(http, url: str, name: str, limit: float = 600) -> str:
    """Follow the hub from /hub/spawn until the student's server shows its first page."""
    landing = f"/user/{name}/lab/tree/notebooks/00-start-here.ipynb"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with http.get(f"{url}/hub/spawn") as page:
            final, status = page.url.path, page.status
        if status == 200 and final.startswith(f"/user/{name}/"):
            return final
        if status >= 400 or not final.startswith("/hub/spawn"):
            raise RuntimeError(f"starting the server: {status} at {final}")
        await asyncio.sleep(0.5)
    raise TimeoutError(f"the server of {name} did not start in {limit:g} s (landing {landing})")


@contextlib.asynccontextmanager
async def open_kernel(http, url: str, name: str, notebook: str):
    """Open a notebook as JupyterLab does (a session with a kernel) and connect to the kernel's
    websocket; yields a Kernel."""
    from yarl import URL

    base = f"{url}/user/{name}"
    cookie = http.cookie_jar.filter_cookies(URL(base + "/")).get("_xsrf")
    headers = {"X-XSRFToken": cookie.value} if cookie else {}
    body = {"path": notebook, "name": Path(notebook).name, "type": "notebook"}
    body["kernel"] = {"name": "python3"}
    async with http.post(f"{base}/api/sessions", json=body, headers=headers) as answer:
        if answer.status != 201:
            raise RuntimeError(f"opening {notebook}: {answer.status} {await answer.text()}")
        session = await answer.json()
    kernel_id = session["kernel"]["id"]
    ws_url = f"{base}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    async with http.ws_connect(ws_url, headers=headers, max_msg_size=0) as ws:
        kernel = Kernel(ws, uuid.uuid4().hex)
        kernel.id, kernel.base = kernel_id, base
        await kernel.request(_message("kernel_info_request", {}, kernel.session), 120)
        yield kernel


async def execute(kernel: Kernel, code: str, timeout: float = 300) -> tuple[dict, list[dict]]:
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    reply, iopub = await kernel.request(
        _message("execute_request", content, kernel.session), timeout
    )
    return (reply or {}).get("content", {}), iopub


async def student(
    rec: dict, url: str, password: str, lessons: list[Path], go: asyncio.Event, t0: list[float]
) -> None:
    """One student's visit; fills `rec` as it goes (so a stopped visit keeps what it did)."""
    name = rec["name"]
    async with client() as http:
        await go.wait()
        try:
            status = await sign_in(http, url, name, password)
            if status != 302:
                raise RuntimeError(f"sign-in refused ({status})")
            rec["login_s"] = round(time.monotonic() - t0[0], 3)
            rec["landing"] = await first_page(http, url, name)
            rec["start_s"] = round(time.monotonic() - t0[0], 3)
            if not rec["landing"].endswith("/lab/tree/notebooks/00-start-here.ipynb"):
                rec["errors"].append(f"landed on {rec['landing']}, not lesson 00")
            rec["cells"] = rec["binary_frames"] = 0
            # one lesson after the other, each left open (its tab open, its kernel running)
            for lesson in lessons:
                async with open_kernel(http, url, name, f"notebooks/{lesson.name}") as kernel:
                    rec.setdefault("kernel_ready_s", round(time.monotonic() - t0[0], 3))
                    if not await run_cells(kernel, lesson, rec):
                        return
                    rec["cells_done_s"] = round(time.monotonic() - t0[0], 3)
                    if kernel.comms:
                        await move_widget(kernel, rec)
                    else:  # a lesson without controls: nothing to move
                        rec.setdefault("lessons_without_controls", []).append(lesson.name)
                    rec["binary_frames"] += kernel.binary_frames
                    async with http.get(f"{kernel.base}/api/kernels/{kernel.id}") as answer:
                        state = (await answer.json()).get("execution_state") if answer.ok else None
                    if state in (None, "dead"):
                        rec["errors"].append(f"{lesson.name}: kernel lost (state {state})")
            rec["finish_s"] = round(time.monotonic() - t0[0], 3)
        except Exception as err:
            rec["errors"].append(f"{type(err).__name__}: {err}")


async def run_cells(kernel: Kernel, lesson: Path, rec: dict) -> bool:
    """Every code cell in order, as Run All does; False (and the error recorded) on a failure."""
    import nbformat

    nb = nbformat.read(lesson, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    rec["cells"] += len(cells)
    for number, code in enumerate(cells, 1):
        reply, _ = await execute(kernel, code)
        if reply.get("status") != "ok":
            rec["errors"].append(
                f"{lesson.name}, cell {number}: {reply.get('ename', 'no reply')}: "
                f"{reply.get('evalue', '')}"
            )
            return False
    return True


async def move_widget(kernel: Kernel, rec: dict) -> None:
    picked = pick_control(kernel.comms)
    if picked is None:
        rec["errors"].append(f"no control to move among {len(kernel.comms)} widgets")
        return
    comm_id, change = picked
    content = {"comm_id": comm_id, "data": {"method": "update", "state": change}}
    content["data"]["buffer_paths"] = []
    msg = _message("comm_msg", content, kernel.session)
    start = time.monotonic()
    _, iopub = await kernel.request(msg, timeout=120)
    rec["widget_move_ms"] = round((time.monotonic() - start) * 1000, 1)
    updates = [m for m in iopub if m["header"]["msg_type"] == "comm_msg"]
    rec["widget_messages"] = len(updates)
    rec["widget_moved"] = f"{kernel.comms[comm_id].get('_model_name')} {change}"
    if not any(
        m["content"]["data"].get("method") != "echo_update" and m["content"]["comm_id"] != comm_id
        for m in updates
    ):
        rec["errors"].append(f"moving {rec['widget_moved']} changed nothing in the kernel's views")


# ---- the wave ----------------------------------------------------------------------------------


async def wave(info: dict, names: list[str], lessons: list[Path], timeout: float) -> list[dict]:
    go, t0 = asyncio.Event(), [0.0]
    records = [{"name": n, "errors": []} for n in names]
    tasks = [
        asyncio.create_task(student(r, info["url"], info["password"], lessons, go, t0))
        for r in records
    ]
    await asyncio.sleep(0.2)
    t0[0] = time.monotonic()
    go.set()
    _, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for rec in records:
        if "finish_s" not in rec and not rec["errors"]:
            rec["errors"].append(f"not done within the run's limit of {timeout:g} s")
    # everyone done: memory and CPU of every student's processes at the same moment, and whether
    # each server and kernel is still there
    for rec in records:
        try:
            uid = pwd.getpwnam(info["user_prefix"] + rec["name"]).pw_uid
        except KeyError:
            rec["errors"].append("no Unix user")
            continue
        procs = processes_of(uid)
        rec["server_pss_mb"] = round(sum(pss_mb(p) for p in procs["server"]), 1)
        rec["kernel_pss_mb"] = round(sum(pss_mb(p) for p in procs["kernel"]), 1)
        rec["server_cpu_s"] = round(sum(cpu_s(p) for p in procs["server"]), 2)
        rec["kernel_cpu_s"] = round(sum(cpu_s(p) for p in procs["kernel"]), 2)
        rec["cpu_s"] = round(rec["server_cpu_s"] + rec["kernel_cpu_s"], 2)
        rec["kernels"] = len(procs["kernel"])
        if "start_s" in rec and not procs["server"]:
            rec["errors"].append("server lost")
        if "kernel_ready_s" in rec and not procs["kernel"]:
            rec["errors"].append("kernel lost")
        elif "finish_s" in rec and len(procs["kernel"]) < len(lessons):
            rec["errors"].append(f"kernel lost: {len(procs['kernel'])} of {len(lessons)} running")
    return records


def summarize(records: list[dict], hub_pss: float, lessons: list[Path], elapsed: float) -> dict:
    def med(key):
        values = [r[key] for r in records if key in r]
        return round(statistics.median(values), 2) if values else None

    def top(key):
        values = [r[key] for r in records if key in r]
        return round(max(values), 2) if values else None

    per_student = [r["server_pss_mb"] + r["kernel_pss_mb"] for r in records if "server_pss_mb" in r]
    return {
        "students": len(records),
        "lessons": [f"notebooks/{lesson.name}" for lesson in lessons],
        "errors": sum(len(r["errors"]) for r in records),
        "start_s_median": med("start_s"),
        "start_s_max": top("start_s"),
        "finish_s_median": med("finish_s"),
        "wave_s": top("finish_s"),
        "widget_move_ms_median": med("widget_move_ms"),
        "server_pss_mb_median": med("server_pss_mb"),
        "kernel_pss_mb_median": med("kernel_pss_mb"),
        "student_pss_mb_median": round(statistics.median(per_student), 1) if per_student else None,
        "student_pss_mb_max": round(max(per_student), 1) if per_student else None,
        "cpu_s_per_student_median": med("cpu_s"),
        "server_cpu_s_median": med("server_cpu_s"),
        "kernel_cpu_s_median": med("kernel_cpu_s"),
        "hub_proxy_culler_pss_mb": round(hub_pss, 1),
        "elapsed_s": round(elapsed, 1),
    }


def machine() -> dict:
    mem = Path("/proc/meminfo").read_text().split()[1]
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) * 1024 / 1e9, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=3, help=f"how many at once (1-{MAX_STUDENTS})")
    p.add_argument(
        "--lesson",
        default="05",
        help='the lesson to run, by number (default 05); "04 05": one after the other, both left '
        "open (two kernels per student)",
    )
    p.add_argument("--timeout", type=float, default=900, help="limit for the whole wave (s)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "hub.json")
    args = p.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        print(f"hub-load: error: --students must be 1 to {MAX_STUDENTS}", file=sys.stderr)
        return 2
    if not 10 <= args.timeout <= 3600:
        print("hub-load: error: --timeout must be 10 to 3600 seconds", file=sys.stderr)
        return 2
    lessons = []
    for number in args.lesson.replace(",", " ").split():
        found = sorted((ROOT / "notebooks").glob(f"{number}-*.ipynb"))
        if len(found) != 1:
            print(f"hub-load: error: no lesson numbered {number!r} in notebooks/", file=sys.stderr)
            return 2
        lessons += found
    if not lessons:
        print("hub-load: error: --lesson names no lesson", file=sys.stderr)
        return 2
    names = [f"s{i:02d}" for i in range(1, args.students + 1)]
    started = time.monotonic()
    at_start = machine()
    try:
        with running_hub(
            user_prefix="pcdl-", stop_after_min=args.timeout / 60 + 5, students=names
        ) as info:
            hub_cpu = sum(cpu_s(pid) for pid in hub_processes(info["pid"]))
            records = asyncio.run(wave(info, names, lessons, args.timeout))
            hub_pss = sum(pss_mb(pid) for pid in hub_processes(info["pid"]))
            hub_cpu = sum(cpu_s(pid) for pid in hub_processes(info["pid"])) - hub_cpu
            if any(r["errors"] for r in records):
                print(f"hub-load: the hub's log ends:\n{_tail(info['log'], 40)}", file=sys.stderr)
    except hub.HubError as err:
        print(f"hub-load: error: {err}", file=sys.stderr)
        return 2
    result = {
        "what": "make hub-load: every student signs in at once, runs every cell of the lesson, "
        "moves one control; memory after the whole wave (PSS, MB = 10^6 bytes)",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": at_start,
        "summary": {
            **summarize(records, hub_pss, lessons, time.monotonic() - started),
            "hub_proxy_culler_cpu_s_during_wave": round(hub_cpu, 2),
        },
        "students": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    s = result["summary"]
    print(
        f"hub-load: {s['students']} students, {' then '.join(s['lessons'])}: start median "
        f"{s['start_s_median']} s "
        f"(max {s['start_s_max']}), whole wave {s['wave_s']} s, per student "
        f"{s['student_pss_mb_median']} MB PSS (server {s['server_pss_mb_median']}, kernel "
        f"{s['kernel_pss_mb_median']}), {s['cpu_s_per_student_median']} CPU-s; hub, proxy and "
        f"culler {s['hub_proxy_culler_pss_mb']} MB; errors: {s['errors']} -> {args.out}"
    )
    for rec in records:
        for error in rec["errors"]:
            print(f"hub-load: {rec['name']}: {error}", file=sys.stderr)
    return 1 if s["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
