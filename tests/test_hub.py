"""A real class hub from the repository's files, with two students (`make test-hub`; root only).

Starts tools/hub.py on a free loopback port with throw-away Unix users (prefix `pcdt-`) and short
culling times, signs two students in, and checks: each lands on lesson 00 with their own copy of
the lessons, runs as their own Unix user, and cannot read the other's files, even from their
kernel; wrong passwords and names are refused; an idle kernel is shut down with its tab open; an
idle server is culled; the session's hard stop ends the hub; TLS with a given certificate;
stopping `make hub` stops the hub. Skipped unless PCD_HUB_TESTS=1 (about 1-2 minutes; not part
of `make test`).
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import hub_load  # noqa: E402  (tools/hub_load.py: the hub runner and the browser-like client)

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("PCD_HUB_TESTS") != "1", reason="live hub tests: `make test-hub`"
    ),
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes Unix users: needs root"),
]

STUDENTS = ["ada", "bo"]
PREFIX = "pcdt-"
LESSON_00 = "notebooks/00-start-here.ipynb"


@pytest.fixture(scope="module")
def class_hub():
    hub_load.remove_users(PREFIX)  # anything a stopped run left
    extra = ("--cull-idle", "25", "--cull-every", "5", "--cull-kernels", "10")
    with hub_load.running_hub(user_prefix=PREFIX, students=STUDENTS, extra_args=extra) as info:
        yield info
    assert hub_load.remove_users(PREFIX) == []  # the runner removed its users


def _uid(name: str) -> int:
    return pwd.getpwnam(PREFIX + name).pw_uid


def _home(info, name: str) -> Path:
    return Path(pwd.getpwnam(PREFIX + name).pw_dir)


async def _visit(info, name: str, code: str | None = None):
    """Sign in, wait for the first page; optionally run code in a kernel of lesson 00."""
    async with hub_load.client() as http:
        status = await hub_load.sign_in(http, info["url"], name, info["password"])
        assert status == 302, f"{name} was not let in ({status})"
        landing = await hub_load.first_page(http, info["url"], name, limit=240)
        if code is None:
            return landing, None
        async with hub_load.open_kernel(http, info["url"], name, LESSON_00) as kernel:
            reply, iopub = await hub_load.execute(kernel, code, timeout=120)
        out = "".join(m["content"].get("text", "") for m in iopub if m["msg_type"] == "stream")
        return landing, (reply, out)


def test_each_student_lands_on_lesson_00_as_their_own_unix_user(class_hub):
    async def both():
        return await asyncio.gather(*(_visit(class_hub, n) for n in STUDENTS))

    for name, (landing, _) in zip(STUDENTS, asyncio.run(both()), strict=True):
        assert landing == f"/user/{name}/lab/tree/{LESSON_00}"
        home = _home(class_hub, name)
        assert home.parent == class_hub["homes"]
        assert home.stat().st_uid == _uid(name) and home.stat().st_mode & 0o777 == 0o700
        lessons = sorted(p.name for p in (home / "notebooks").glob("*.ipynb"))
        assert lessons == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
        assert (home / LESSON_00).stat().st_uid == _uid(name)  # their own copy
        servers = hub_load.processes_of(_uid(name))["server"]
        assert len(servers) == 1, f"{name}: one server running as {PREFIX}{name}"


def test_neither_student_can_read_the_others_files(class_hub):
    ada, bo = (_home(class_hub, n) for n in STUDENTS)
    read = "import sys\ntry:\n    print(len(open(sys.argv[1]).read()))\nexcept OSError as e:\n"
    read += "    print(type(e).__name__)\n"
    python = str(hub_load.hub.DEFAULT_PREFIX / "venv" / "bin" / "python")
    for me, other in ((STUDENTS[0], bo), (STUDENTS[1], ada)):
        for target in (other / LESSON_00, other):
            done = subprocess.run(
                ["runuser", "-u", PREFIX + me, "--", python, "-c", read, str(target)],
                capture_output=True,
                text=True,
                cwd="/",
            )
            assert done.stdout.strip() == "PermissionError", (me, target, done)
    # from inside a kernel, as a student's own code runs: their file yes, the other's no
    probe = (
        "import os\n"
        f"print(os.getuid(), len(open({str(ada / LESSON_00)!r}).read()) > 0)\n"
        f"try:\n    open({str(bo / LESSON_00)!r}).read()\n"
        "except PermissionError:\n    print('refused')\n"
    )
    _, (reply, out) = asyncio.run(_visit(class_hub, STUDENTS[0], probe))
    assert reply.get("status") == "ok", reply
    assert out.split() == [str(_uid(STUDENTS[0])), "True", "refused"]


def test_wrong_passwords_and_names_off_the_list_are_refused(class_hub):
    async def attempt(name, password):
        async with hub_load.client() as http:
            return await hub_load.sign_in(http, class_hub["url"], name, password)

    async def attempts():
        return await asyncio.gather(
            attempt("ada", "not the password"),
            attempt("chen", class_hub["password"]),  # not on the list
            attempt("root!", class_hub["password"]),  # not an allowed name at all
            attempt("Ada", class_hub["password"]),  # capitals become lowercase: ada
        )

    assert asyncio.run(attempts()) == [403, 403, 403, 302]
    import urllib.request

    with urllib.request.urlopen(f"{class_hub['url']}/hub/login") as page:
        text = page.read().decode()
    assert (
        "letters a-z and digits 0-9, starting with a letter" in text
    )  # the login page says the rule
    assert 'pattern="[A-Za-z][A-Za-z0-9]{0,19}"' in text  # and the browser checks it as one types


def test_an_idle_kernel_is_shut_down_even_with_its_tab_open(class_hub):
    async def open_tab_left_alone():
        async with hub_load.client() as http:
            await hub_load.sign_in(http, class_hub["url"], "bo", class_hub["password"])
            await hub_load.first_page(http, class_hub["url"], "bo", limit=240)
            async with hub_load.open_kernel(http, class_hub["url"], "bo", LESSON_00) as kernel:
                await hub_load.execute(kernel, "x = 1", timeout=120)
                # the websocket stays open, as an open JupyterLab tab keeps it; nothing runs
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    if not hub_load.processes_of(_uid("bo"))["kernel"]:
                        return True, bool(hub_load.processes_of(_uid("bo"))["server"])
                    await asyncio.sleep(1)
                return False, True

    culled, server_running = asyncio.run(open_tab_left_alone())
    assert culled, "the idle kernel was still running after 60 s"
    assert server_running, "the kernel went because the server stopped, not the kernel culler"
    log = class_hub["log"].read_text(errors="replace")
    assert "Culling 'idle' kernel" in log and "with 1 connections" in log


def test_an_idle_server_is_culled(class_hub):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        running = [n for n in STUDENTS if hub_load.processes_of(_uid(n))["server"]]
        if not running:
            break
        time.sleep(2)
    assert running == [], f"still running after 120 s: {running}"
    log = class_hub["log"].read_text(errors="replace")
    assert "Culling server" in log
    assert all(f"/user/{n}" in log for n in STUDENTS)
    # the students' work stays: the copies of the lessons are still in their homes
    assert all((_home(class_hub, n) / LESSON_00).exists() for n in STUDENTS)


def test_a_students_link_cannot_make_the_hub_write_as_root(class_hub, tmp_path):
    # A student's own code can replace a lesson with a symbolic link; at the next start the hub
    # copies missing lessons as the student, so the link gains nothing.
    target = tmp_path / "written-by-the-hub"
    tmp_path.chmod(0o777)
    lesson = _home(class_hub, "ada") / "notebooks" / "06-care-coping-and-help.ipynb"
    subprocess.run(["runuser", "-u", PREFIX + "ada", "--", "rm", str(lesson)], check=True)
    subprocess.run(["runuser", "-u", PREFIX + "ada", "--", "ln", "-s", str(target), str(lesson)])
    landing, _ = asyncio.run(_visit(class_hub, "ada"))  # a new start (the server was culled)
    assert landing.endswith(LESSON_00)
    assert not target.exists() or target.stat().st_uid == _uid("ada")
    assert lesson.is_symlink()


def test_the_session_stops_by_itself_at_its_end():
    with hub_load.running_hub(user_prefix="pcds-", stop_after_min=0.5) as info:
        landing, _ = asyncio.run(_visit(info, "cy"))
        assert landing.endswith(LESSON_00)
        uid = pwd.getpwnam("pcds-cy").pw_uid
        info["proc"].wait(timeout=90)  # 30 s after the start, plus the hub's own shutdown
        assert "the session's 0.5 minutes are over" in info["log"].read_text(errors="replace")
        assert hub_load.processes_of(uid)["server"] == []


def test_a_room_is_served_over_tls_with_the_facilitators_certificate(tmp_path):
    import ssl
    import urllib.request

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    with hub_load.running_hub(user_prefix="pcds-", tls=(str(cert), str(key))) as info:
        assert info["url"].startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(f"{info['url']}/hub/login", context=context) as page:
            assert page.status == 200 and "_xsrf" in page.read().decode()
        plain = info["url"].replace("https://", "http://")
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{plain}/hub/login", timeout=10).read()


def test_stopping_make_hub_stops_the_hub(tmp_path):
    """`make hub` execs the hub (no shell or Python left between make and JupyterHub)."""
    work = Path(tempfile.mkdtemp(prefix="make-", dir=hub_load.hub.DEFAULT_PREFIX))
    port = hub_load.hub.free_port()
    args = f"--state {work / 'state'} --homes {work / 'home'} --user-prefix pcdm- --stop-after 5"
    make = subprocess.Popen(
        # -o: take the environment and the proxy as made (make test-hub just checked them)
        [
            *("make", "-s", "-o", ".venv/.installed"),
            *("-o", str(hub_load.hub.PROXY.relative_to(ROOT))),
            *("hub", f"HUB_PORT={port}", f"HUB_ARGS={args}"),
        ],
        cwd=ROOT,
        env={**os.environ, "PCD_HUB_PASSWORD": "a-class-password"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        hub_load._wait_healthy(f"http://127.0.0.1:{port}", make, 120, work / "none", None)
        children = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and hub_load._status_field(int(p.name), "PPid") == str(make.pid)
        ]
        assert [hub_load._cmdline(c).split()[1].rsplit("/", 1)[-1] for c in children] == [
            "jupyterhub"
        ]
        make.terminate()
        make.wait(timeout=90)
        assert not Path(f"/proc/{children[0]}").exists(), "the hub outlived make"
    finally:
        if make.poll() is None:
            make.kill()
        shutil.rmtree(work, ignore_errors=True)
