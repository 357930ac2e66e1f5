"""A JupyterHub for a class on one machine, from the pack's own files (`make hub`).

Usage (as root, so that every student gets a Unix user of their own):

    .venv/bin/python tools/hub.py run [--ip IP] [--port PORT] [--students "ada bo ..."]
                                      [--cert FILE --key FILE] [--stop-after MINUTES] ...
    .venv/bin/python tools/hub.py setup      # only prepare the students' environment

The class password comes from the environment (PCD_HUB_PASSWORD) or, when that is not set, is asked
for at the terminal: it is never written to a file. `run` checks its input (password length, names,
the port, the certificate), prepares the students' environment under --prefix (a Python that every
Unix user can run, the lock file's packages, a copy of the pack), and then replaces itself with
JupyterHub (exec), so stopping `make hub` stops the hub. Configuration:
jupyter/jupyterhub_config.py, which reads the PCD_HUB_* variables this script sets.

Why a second environment: the students' servers run as the students' own Unix users, and the
project's .venv may point at a Python inside a folder they cannot enter (here /root/.pyenv).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import ipaddress
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "jupyter" / "jupyterhub_config.py"
LOCK = ROOT / "requirements" / "lock.txt"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_PREFIX = Path("/srv/pcd-hub")
# What a student's copy of the pack needs: the package, its data and the lessons (and what the
# editable install of pyproject.toml reads).
PACK_FILES = (
    "widgets",
    "data",
    "notebooks",
    "jupyter",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "LICENSE-TEXT.md",
)
MIN_PASSWORD = 8
# A student's name at login: what they type, and (with the prefix) their Unix user name.
NAME_RULE = "1 to 20 characters: lowercase letters a-z and digits 0-9, starting with a letter"
NAME_RE = re.compile(r"[a-z][a-z0-9]{0,19}")
PREFIX_RE = re.compile(r"[a-z][a-z0-9]{0,8}-")
# Written into each student's Unix account (GECOS), so the hub never takes over an account it did
# not make.
ACCOUNT_MARK = "pcd-notebooks hub student"


class HubError(Exception):
    """Bad input or an unusable machine: the message says what and what to do."""


# ---- checks ------------------------------------------------------------------------------------


def check_password(password: str | None) -> str:
    if not password:
        raise HubError(
            "no class password: set PCD_HUB_PASSWORD (e.g. `PCD_HUB_PASSWORD=... make hub`) or "
            f"run `make hub` at a terminal to be asked for one (at least {MIN_PASSWORD} characters)"
        )
    if len(password) < MIN_PASSWORD:
        raise HubError(
            f"the class password is {len(password)} characters long; it must be at least "
            f"{MIN_PASSWORD} (JupyterHub's shared-password login refuses shorter ones)"
        )
    return password


def check_names(text: str | None) -> list[str]:
    """Student names from a space- or comma-separated list; [] means anyone with the password."""
    if not text or not text.strip():
        return []
    names = [n for n in re.split(r"[\s,]+", text.strip()) if n]
    bad = [n for n in names if not NAME_RE.fullmatch(n)]
    if bad:
        raise HubError(
            f"student name(s) not allowed: {', '.join(repr(n) for n in bad)}; a name is {NAME_RULE}"
        )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise HubError(f"student name(s) given twice: {', '.join(dupes)}")
    return names


def check_port(ip: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise HubError(f"port {port} is not a port number (1-65535)")
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((ip, port))
        except OSError as err:
            raise HubError(
                f"cannot listen on {ip}:{port}: {err.strerror or err}; the port is in use (another "
                "hub, `make lab`?) or the address is not this machine's: choose another with "
                "HUB_PORT=... (or --port)"
            ) from None


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


def is_loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return ip == "localhost"


def check_tls(ip: str, cert: str | None, key: str | None, insecure_http: bool) -> None:
    if bool(cert) != bool(key):
        raise HubError("give both --cert and --key (HUB_CERT and HUB_KEY), or neither")
    for label, path in (("certificate", cert), ("key", key)):
        if path and not os.access(path, os.R_OK):
            raise HubError(f"the TLS {label} {path!r} does not exist or cannot be read")
    if not is_loopback(ip) and not cert and not insecure_http:
        raise HubError(
            f"--ip {ip} serves the hub beyond this computer, so the class password would cross "
            "the room's network in clear: give a certificate and key (HUB_CERT=... HUB_KEY=...), "
            "or --insecure-http if the network is yours alone"
        )


# ---- the students' environment -----------------------------------------------------------------


def _runs_for_others(python: str) -> bool:
    """Can an unprivileged user run this Python, with venv? (Checked as `nobody`.)"""
    if os.geteuid() != 0:
        return True  # without root there is only one user
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return False
    probe = "import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
    try:
        done = subprocess.run(
            ["runuser", "-u", "nobody", "--", python, "-c", probe],
            capture_output=True,
            timeout=60,
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _relocated_copy(base_prefix: Path, prefix: Path) -> str | None:
    """Copy the project's own Python (without its site-packages) to prefix/python.

    pyenv's Python lives under /root, which other users cannot enter, and finds its libpython
    through an absolute RUNPATH there; the copy is the same interpreter with RUNPATH
    $ORIGIN/../lib (patchelf, from Debian's packages).
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    binary = base_prefix / "bin" / version
    if not binary.exists():
        return None
    if not shutil.which("patchelf"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            return None
        print("hub: installing patchelf from Debian's packages (to copy the project's Python)")
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", "patchelf"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
        )
        if done.returncode != 0:
            return None
    target = prefix / "python"
    if target.exists():
        shutil.rmtree(target)
    skip = shutil.ignore_patterns("site-packages", "test", "__pycache__", "idlelib", "tkinter")
    shutil.copytree(base_prefix, target, symlinks=True, ignore=skip)
    (target / "lib" / version / "site-packages").mkdir(exist_ok=True)
    copied = target / "bin" / version
    subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib", str(copied)], check=True)
    subprocess.run(["chmod", "-R", "u+rwX,go+rX,go-w", str(target)], check=True)
    return str(copied)


def find_python(prefix: Path, explicit: str | None = None) -> str:
    """A Python 3.11+ that the students' Unix users can run, preferring the project's own."""
    if explicit:
        if _runs_for_others(explicit):
            return explicit
        raise HubError(f"--python {explicit}: the students' Unix users cannot run it (as nobody)")
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    if _runs_for_others(base):
        return base
    copied = _relocated_copy(Path(sys.base_prefix), prefix)
    if copied and _runs_for_others(copied):
        return copied
    raise HubError(
        f"the students' Unix users cannot run this project's Python ({base}: a folder on its "
        "way is closed to them), and copying it failed. Give a Python 3.11+ they can run, of "
        "the version the lock file was made for, with --python (HUB_PYTHON=...)"
    )


def _stamp() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml", ROOT / "jupyter" / "overrides.json"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sources(path: Path):
    skip = {"__pycache__", ".ipynb_checkpoints"}
    if path.is_file():
        yield path
        return
    for item in sorted(path.rglob("*")):
        if item.is_file() and not skip & set(item.parts) and item.suffix != ".pyc":
            yield item


def copy_pack(prefix: Path) -> Path:
    """A read-only copy of the pack's package, data and lessons for the students' servers.

    Only files that differ are written, each replaced at once (a running class keeps working
    while `make hub` or the tests refresh it); files gone from the pack are removed.
    """
    pack = prefix / "pack"
    wanted = set()
    for name in PACK_FILES:
        for src in _sources(ROOT / name):
            rel = src.relative_to(ROOT)
            wanted.add(rel)
            dst = pack / rel
            if dst.is_file() and dst.read_bytes() == src.read_bytes():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_name(f".{dst.name}.tmp")
            shutil.copyfile(src, tmp)
            tmp.chmod(0o755 if os.access(src, os.X_OK) else 0o644)
            os.replace(tmp, dst)
    for name in PACK_FILES:
        for old in list(_sources(pack / name)) if (pack / name).exists() else []:
            if old.relative_to(pack) not in wanted:
                old.unlink()
    subprocess.run(["chmod", "-R", "u+rwX,go+rX,go-w", str(pack)], check=True)
    return pack


def setup(prefix: Path, python: str | None = None, quiet: bool = False) -> Path:
    """Prepare prefix/venv (the lock's packages and the pack, editable) and prefix/pack.

    Returns the venv. Reinstalls only when the lock file, pyproject.toml or the JupyterLab
    settings changed; the copy of the pack is refreshed every time.
    """
    say = (lambda *a: None) if quiet else (lambda *a: print("hub:", *a, flush=True))
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    pack = copy_pack(prefix)
    venv = prefix / "venv"
    stamp = venv / f".installed-{_stamp()}"
    if not stamp.exists():
        if not _runs_for_others(str(venv / "bin" / "python")):
            python = find_python(prefix, python)
            say(f"preparing the students' environment in {venv} with {python} (1-3 minutes)")
            if venv.exists():
                shutil.rmtree(venv)
            subprocess.run([python, "-m", "venv", str(venv)], check=True)
        else:
            say(f"updating the students' environment in {venv} to the lock file")
        for old in venv.glob(".installed-*"):
            old.unlink()
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--quiet"]
        pip += ["--disable-pip-version-check", "--no-deps"]
        subprocess.run([*pip, "-r", str(LOCK)], check=True)
        subprocess.run([*pip, "--no-build-isolation", "-e", str(pack)], check=True)
        settings = venv / "share" / "jupyter" / "lab" / "settings"
        settings.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "jupyter" / "overrides.json", settings / "overrides.json")
        subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
        stamp.touch()
    return venv


# ---- run ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tools/hub.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup", help="prepare the students' environment under --prefix")
    r = sub.add_parser("run", help="check the input, prepare, then exec JupyterHub")
    for q in (s, r):
        q.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX, help="default /srv/pcd-hub")
        q.add_argument("--python", help="the Python for the students' environment (3.11+)")
    r.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    r.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    r.add_argument("--students", help='only these names may sign in: "ada bo chen" (default: any)')
    r.add_argument("--cert", help="TLS certificate (PEM), needed for an --ip beyond loopback")
    r.add_argument("--key", help="TLS private key (PEM)")
    r.add_argument(
        "--insecure-http", action="store_true", help="serve a room without TLS (not advised)"
    )
    r.add_argument(
        "--stop-after",
        type=float,
        default=240,
        help="hard stop: the hub stops every server and itself after this many minutes (240)",
    )
    r.add_argument(
        "--cull-idle",
        type=int,
        default=1800,
        help="stop a student's server after this many seconds without activity (1800)",
    )
    r.add_argument(
        "--cull-every", type=int, default=0, help="how often the culler looks (default idle/6)"
    )
    r.add_argument(
        "--cull-kernels",
        type=int,
        default=1800,
        help="shut down a lesson's kernel idle this long, even with its tab open (1800 s)",
    )
    r.add_argument(
        "--isolation",
        choices=("users", "none"),
        default="users",
        help="users (default): one Unix user per student; none: every server runs as the hub's "
        "user and students can read and change each other's files (warned)",
    )
    r.add_argument("--state", type=Path, help="the hub's database and secrets (prefix/state)")
    r.add_argument("--homes", type=Path, help="where the students' homes go (prefix/home)")
    r.add_argument(
        "--user-prefix", default="pcd-", help="Unix user name = this + the student's name (pcd-)"
    )
    r.add_argument("--check", action="store_true", help="check the input and exit (no hub)")
    return p


def prepare_run(args: argparse.Namespace, password: str | None) -> dict[str, str]:
    """Check everything `run` needs; return the environment for jupyter/jupyterhub_config.py."""
    password = check_password(password)
    names = check_names(args.students)
    if not PREFIX_RE.fullmatch(args.user_prefix):
        raise HubError(f"--user-prefix {args.user_prefix!r}: 1-9 letters/digits and a final '-'")
    check_tls(args.ip, args.cert, args.key, args.insecure_http)
    check_port(args.ip, args.port)
    if args.stop_after <= 0:
        raise HubError("--stop-after must be a positive number of minutes")
    if args.cull_idle < 10 or args.cull_kernels < 10:
        raise HubError("--cull-idle and --cull-kernels are seconds and must be at least 10")
    if args.isolation == "users" and os.geteuid() != 0:
        raise HubError(
            "one Unix user per student needs root: run `sudo make hub`, or accept no isolation "
            "between students with ISOLATION=none (--isolation none)"
        )
    if not PROXY.exists():
        raise HubError(f"{PROXY.relative_to(ROOT)} is missing: run `make hub` (it runs npm ci)")
    state = args.state or args.prefix / "state"
    homes = args.homes or args.prefix / "home"
    every = args.cull_every or max(5, args.cull_idle // 6)
    return {
        "PCD_HUB_PASSWORD": password,
        "PCD_HUB_STUDENTS": " ".join(names),
        "PCD_HUB_IP": args.ip,
        "PCD_HUB_PORT": str(args.port),
        "PCD_HUB_API_PORT": str(free_port()),
        "PCD_HUB_PROXY_API_PORT": str(free_port()),
        "PCD_HUB_CERT": os.path.abspath(args.cert) if args.cert else "",
        "PCD_HUB_KEY": os.path.abspath(args.key) if args.key else "",
        "PCD_HUB_STOP_AFTER": str(args.stop_after * 60),
        "PCD_HUB_CULL_IDLE": str(args.cull_idle),
        "PCD_HUB_CULL_EVERY": str(every),
        "PCD_HUB_CULL_KERNELS": str(args.cull_kernels),
        "PCD_HUB_ISOLATION": args.isolation,
        "PCD_HUB_PREFIX": str(args.prefix.resolve()),
        "PCD_HUB_STATE": str(state.resolve()),
        "PCD_HUB_HOMES": str(homes.resolve()),
        "PCD_HUB_USER_PREFIX": args.user_prefix,
        "PCD_HUB_PROXY": str(PROXY),
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "setup":
            print(f"hub: the students' environment is ready: {setup(args.prefix, args.python)}")
            return 0
        password = os.environ.get("PCD_HUB_PASSWORD")
        if not password and sys.stdin.isatty() and not args.check:
            password = getpass.getpass(f"Class password (at least {MIN_PASSWORD} characters): ")
        env = prepare_run(args, password)
        if args.check:
            print("hub: the input is fine")
            return 0
        if args.isolation == "none":
            who = (
                "root: a student's code can do anything on this machine"
                if os.geteuid() == 0
                else (f"{pwd.getpwuid(os.geteuid()).pw_name}, with that user's files")
            )
            print(
                "hub: WARNING: --isolation none: every student's server runs as the hub's user, "
                f"{who}, and students can read and change each other's files. Use it only for a "
                "demonstration.",
                file=sys.stderr,
            )
        venv = setup(args.prefix, args.python)
        env["PCD_HUB_VENV"] = str(venv)
        for key in ("state", "homes"):
            path = Path(env[f"PCD_HUB_{key.upper()}"])
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o700 if key == "state" else 0o711)
    except HubError as err:
        print(f"hub: error: {err}", file=sys.stderr)
        return 2
    scheme = "https" if env["PCD_HUB_CERT"] else "http"
    host = f"[{args.ip}]" if ":" in args.ip else args.ip
    who = f"these students: {env['PCD_HUB_STUDENTS']}" if env["PCD_HUB_STUDENTS"] else "any name"
    print(f"hub: open {scheme}://{host}:{args.port}/ and sign in with {who} and the class password")
    print(f"hub: it stops by itself after {args.stop_after:g} minutes; Ctrl-C stops it sooner")
    os.environ.update(env)
    jupyterhub = str(Path(sys.executable).parent / "jupyterhub")
    os.chdir(env["PCD_HUB_STATE"])
    os.execv(jupyterhub, [jupyterhub, "-f", str(CONFIG)])
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
