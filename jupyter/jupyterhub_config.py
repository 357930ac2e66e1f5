# JupyterHub for a class on one machine: `make hub` (tools/hub.py checks the input, sets the
# PCD_HUB_* variables read below, then execs `jupyterhub -f jupyter/jupyterhub_config.py`).
#
# - Sign-in: a name (tools/hub.py NAME_RULE) and the class password (>= 8 characters), from the
#   environment only. With PCD_HUB_STUDENTS only those names may sign in; otherwise any valid name.
# - Isolation: one Unix user per student (PCD_HUB_USER_PREFIX + name), made by the hub at the
#   student's first start with useradd, home folder mode 0700. PCD_HUB_ISOLATION=none runs every
#   server as the hub's user instead (no isolation: only for a demonstration).
# - Each student gets a copy of the lessons in ~/notebooks (never overwritten: their work stays) and
#   lands on lesson 00. The kernels import the pack's `widgets` from the students' environment
#   (PCD_HUB_VENV, an editable install of the copy in PCD_HUB_PREFIX/pack, beside its data/).
# - Culling: jupyterhub-idle-culler stops servers idle for PCD_HUB_CULL_IDLE seconds (a service
#   with only the scopes it needs); each server shuts down kernels idle for PCD_HUB_CULL_KERNELS
#   seconds even while their tab is open (an open JupyterLab tab keeps its server "active").
# - Hard stop: after PCD_HUB_STOP_AFTER seconds the hub stops every server and itself.
import asyncio
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner, set_user_setuid

c = get_config()  # noqa: F821  (JupyterHub defines get_config for its config files)

ENV = os.environ
PREFIX = Path(ENV["PCD_HUB_PREFIX"])
VENV = Path(ENV["PCD_HUB_VENV"])
STATE = Path(ENV["PCD_HUB_STATE"])
HOMES = Path(ENV["PCD_HUB_HOMES"])
USER_PREFIX = ENV.get("PCD_HUB_USER_PREFIX", "pcd-")
LESSONS = PREFIX / "pack" / "notebooks"
FIRST_LESSON = "notebooks/00-start-here.ipynb"
ACCOUNT_MARK = "pcd-notebooks hub student"
NAME_PATTERN = r"[a-z][a-z0-9]{0,19}"
NAME_RULE = "1 to 20 lowercase letters a-z and digits 0-9, starting with a letter"

# ---- where the hub listens ---------------------------------------------------------------------
c.JupyterHub.ip = ENV.get("PCD_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(ENV.get("PCD_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(ENV["PCD_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{ENV['PCD_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [ENV["PCD_HUB_PROXY"]]
if ENV.get("PCD_HUB_CERT"):
    c.JupyterHub.ssl_cert = ENV["PCD_HUB_CERT"]
    c.JupyterHub.ssl_key = ENV["PCD_HUB_KEY"]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# ---- who may sign in ---------------------------------------------------------------------------


class ClassPasswordAuthenticator(SharedPasswordAuthenticator):
    """The shared class password, and a name that can become a Unix user name."""

    async def authenticate(self, handler, data):
        if not self.validate_username(self.normalize_username(data.get("username", ""))):
            self.log.warning("Refused a name that is not allowed (%s)", NAME_RULE)
            return None
        return await super().authenticate(handler, data)


c.JupyterHub.authenticator_class = ClassPasswordAuthenticator
# Read once and removed from the hub's environment: no server or service inherits it.
c.SharedPasswordAuthenticator.user_password = ENV.pop("PCD_HUB_PASSWORD", "")
c.Authenticator.username_pattern = NAME_PATTERN
STUDENTS = ENV.get("PCD_HUB_STUDENTS", "").split()
if STUDENTS:
    c.Authenticator.allowed_users = set(STUDENTS)
    who = "your name as the facilitator registered it"
else:
    c.Authenticator.allow_all = True
    who = "your first name"
# the login page checks the name rule as the student types (capitals become lowercase)
c.JupyterHub.template_paths = [str(Path(__file__).resolve().parent / "hub-templates")]
c.JupyterHub.template_vars = {
    "announcement_login": (
        f"Sign in with {who} (1 to 20 letters a-z and digits 0-9, starting with a letter, e.g. "
        "ada) and the class password the facilitator gives you. A wrong name or password shows "
        "'Invalid username or password'."
    )
}

# ---- the students' servers ---------------------------------------------------------------------


# Copies the lessons a student does not have yet into ~/notebooks; their edits stay. It runs as
# the student (runuser), never as root: a student's own code could have put a symbolic link there.
COPY_LESSONS = """
import os, pathlib, shutil, sys
target = pathlib.Path.home() / "notebooks"
target.mkdir(mode=0o700, exist_ok=True)
for lesson in sorted(pathlib.Path(sys.argv[1]).glob("*.ipynb")):
    dest = target / lesson.name
    if not os.path.lexists(dest):  # whatever is there, even a link, is the student's
        shutil.copyfile(lesson, dest)
"""


def _copy_lessons(home: Path) -> None:
    """Copy the missing lessons into the home folder of the user this process runs as."""
    target = home / "notebooks"
    target.mkdir(exist_ok=True)
    for lesson in sorted(LESSONS.glob("*.ipynb")):
        if not (target / lesson.name).exists():
            shutil.copyfile(lesson, target / lesson.name)


_ACCOUNTS = threading.Lock()  # one useradd at a time when a whole class starts together


def ensure_student(unix_name: str) -> pwd.struct_passwd:
    """The student's Unix user (made now if missing) with a private home and the lessons."""
    with _ACCOUNTS:
        return _ensure_student(unix_name)


def _ensure_student(unix_name: str) -> pwd.struct_passwd:
    try:
        account = pwd.getpwnam(unix_name)
    except KeyError:
        home = HOMES / unix_name
        subprocess.run(
            [
                *("useradd", "--home-dir", str(home), "--create-home", "--user-group"),
                *("--shell", "/usr/sbin/nologin", "--comment", ACCOUNT_MARK, unix_name),
            ],
            check=True,
            capture_output=True,
        )
        account = pwd.getpwnam(unix_name)
    if account.pw_gecos != ACCOUNT_MARK:
        raise RuntimeError(
            f"the Unix user {unix_name} exists and was not made by this hub; refusing to use it "
            "(choose another PCD_HUB_USER_PREFIX)"
        )
    # the home folder's parent belongs to root, so the home itself cannot have been replaced
    home = Path(account.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, account.pw_uid, account.pw_gid)
    home.chmod(0o700)
    subprocess.run(
        [
            *("runuser", "-u", unix_name, "--", str(VENV / "bin" / "python")),
            *("-c", COPY_LESSONS, str(LESSONS)),
        ],
        check=True,
        capture_output=True,
        cwd=home,
        env={"HOME": str(home), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    return account


class StudentSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with system users named PCD_HUB_USER_PREFIX + the student's name."""

    @property
    def unix_name(self):
        return USER_PREFIX + self.user.name

    def make_preexec_fn(self, name):
        return set_user_setuid(self.unix_name)

    def user_env(self, env):
        account = pwd.getpwnam(self.unix_name)
        env.update(USER=self.unix_name, HOME=account.pw_dir, SHELL="/bin/sh")
        return env

    async def start(self):
        await asyncio.to_thread(ensure_student, self.unix_name)
        return await super().start()


class SharedUserSpawner(SimpleLocalProcessSpawner):
    """No isolation: every server runs as the hub's user, each in its own folder."""

    async def start(self):
        home = Path(self.home_dir)
        home.mkdir(parents=True, exist_ok=True)
        _copy_lessons(home)
        return await super().start()


if ENV.get("PCD_HUB_ISOLATION", "users") == "none":
    c.JupyterHub.spawner_class = SharedUserSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
    extra = ["--allow-root"] if os.getuid() == 0 else []
else:
    c.JupyterHub.spawner_class = StudentSpawner
    extra = []

KERNEL_IDLE = int(ENV.get("PCD_HUB_CULL_KERNELS", "1800"))
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = f"/lab/tree/{FIRST_LESSON}"
c.Spawner.args = [
    *extra,
    "--LabApp.extension_manager=readonly",
    "--ServerApp.terminals_enabled=False",
    # server extensions a student does not use: about 0.3-0.5 CPU-seconds off every start
    *(
        f"--ServerApp.jpserver_extensions={name}=False"
        for name in (
            "jupyter_lsp",
            "jupyter_server_terminals",
            "notebook_shim",
            "voila.server_extension",
        )
    ),
    # the kernel culler: a lesson's kernel idle this long is shut down, even with its tab open
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE}",
    f"--MappingKernelManager.cull_interval={max(5, min(60, KERNEL_IDLE // 2))}",
    "--MappingKernelManager.cull_connected=True",
]
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "PLOTLY_RENDERER": "plotly_mimetype",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
# A whole class pressing start together: a start waits for CPU (tools/hub_load.py measures it).
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 240
c.JupyterHub.concurrent_spawn_limit = 100

# ---- culling and the hard stop -----------------------------------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(ENV.get('PCD_HUB_CULL_IDLE', '1800'))}",
            f"--cull-every={int(ENV.get('PCD_HUB_CULL_EVERY', '300'))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "description": "Stop idle servers: list users, read their activity, stop their servers",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

STOP_AFTER = float(ENV.get("PCD_HUB_STOP_AFTER", str(4 * 3600)))


def _hard_stop():
    print(
        f"[pcd hub] the session's {STOP_AFTER / 60:g} minutes are over "
        f"({time.strftime('%H:%M')}): stopping every server and the hub",
        file=sys.stderr,
        flush=True,
    )
    os.kill(os.getpid(), signal.SIGTERM)


_timer = threading.Timer(STOP_AFTER, _hard_stop)
_timer.daemon = True
_timer.start()
