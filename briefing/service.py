"""`briefing serve --install`: keep the feed served, starting at boot.

Where systemd runs, a unit: a user unit (~/.config/systemd/user) for a normal user, with
lingering enabled so it starts at boot and not only at login, or a system unit
(/etc/systemd/system) for root. Elsewhere (containers, older systems, macOS with cron),
an `@reboot` crontab line, and the server is started now in the background. Either way
the command is absolute (this installation's briefing, the project directory, the config
file), so it runs the same at boot as from the terminal.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from briefing.cron import briefing_command
from briefing.errors import BriefingError, MissingDependencyError

SYSTEM_UNIT_DIR = Path("/etc/systemd/system")
TIMEOUT_S = 60
ANSWER_S = 10.0  # how long `serve --install` waits for the server it started to answer


@dataclass(frozen=True)
class Service:
    """One project's server: what it runs, and under which name."""

    project_dir: Path
    arguments: tuple[str, ...]  # after `briefing serve`
    log_file: Path  # where the @reboot line writes
    address: tuple[str, int] | None = None  # where it answers once started: (host, port)

    @property
    def pid_file(self) -> Path:
        """The pid of the server started now (without systemd), for --uninstall."""
        return self.log_file.with_name(f"{self.name}.pid")

    @property
    def name(self) -> str:
        # One server per project directory: installing again replaces it.
        tag = hashlib.sha256(str(self.project_dir).encode()).hexdigest()[:8]
        return f"briefing-serve-{tag}"

    @property
    def command(self) -> list[str]:
        return [*briefing_command(), "serve", *self.arguments]

    def unit(self, system: bool) -> str:
        """The systemd unit file."""
        return "\n".join(
            [
                "[Unit]",
                f"Description=briefing podcast feed for {self.project_dir}",
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=simple",
                f"WorkingDirectory={self.project_dir}",
                f"ExecStart={shlex.join(self.command)}",
                "Restart=on-failure",
                "RestartSec=5",
                "",
                "[Install]",
                f"WantedBy={'multi-user.target' if system else 'default.target'}",
                "",
            ]
        )

    def reboot_line(self) -> str:
        """The crontab line for systems without systemd."""
        run = f"cd {shlex.quote(str(self.project_dir))} && {shlex.join(self.command)}"
        line = f"@reboot {run} >> {shlex.quote(str(self.log_file))} 2>&1 {self.marker}"
        return line.replace("%", r"\%")  # an unescaped % ends a cron command

    @property
    def marker(self) -> str:
        return f"# {self.name}"


def systemd_running() -> bool:
    """systemd is PID 1 (sd_booted): the unit would start at boot."""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def unit_dir(system: bool) -> Path:
    if system:
        return SYSTEM_UNIT_DIR
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def install(service: Service) -> list[str]:
    """Install and start the server; the lines say what was done."""
    if not systemd_running():
        return _install_reboot_line(service)
    system = os.geteuid() == 0
    path = unit_dir(system) / f"{service.name}.service"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(service.unit(system), encoding="utf-8")
    scope = [] if system else ["--user"]
    _run(["systemctl", *scope, "daemon-reload"])
    _run(["systemctl", *scope, "enable", "--now", f"{service.name}.service"])
    done = [f"installed and started {path}"]
    if not system:
        # Without lingering a user's units start at login, not at boot.
        user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
        try:
            _run(["loginctl", "enable-linger", *([user] if user else [])])
            done.append("enabled lingering, so it starts at boot, not only at login")
        except BriefingError as exc:
            done.append(
                f"warning: it starts when you log in; for boot, run `sudo loginctl "
                f"enable-linger {user or '$USER'}` ({exc})"
            )
    return done


def uninstall(service: Service) -> list[str]:
    """Stop and remove the server installed for this project; say what was removed."""
    done: list[str] = []
    for system in (False, True):
        path = unit_dir(system) / f"{service.name}.service"
        if not path.exists():
            continue
        scope = [] if system else ["--user"]
        if systemd_running():
            _run(["systemctl", *scope, "disable", "--now", f"{service.name}.service"])
        path.unlink()
        if systemd_running():
            _run(["systemctl", *scope, "daemon-reload"])
        done.append(f"stopped and removed {path}")
    from briefing import cron

    if shutil.which("crontab") and cron.remove(service.marker):
        done.append("removed the @reboot line from your crontab")
    stopped = stop_started(service)
    if stopped is not None:
        done.append(stopped)
    return done or ["nothing was installed for this project"]


def _install_reboot_line(service: Service) -> list[str]:
    from briefing import cron

    line = service.reboot_line()
    cron.install(line, service.marker)
    stop_started(service)  # installing again replaces the server started before
    start_detached(service)
    return [
        "systemd is not running here: added an @reboot line to your crontab",
        f"started the server now (its output goes to {service.log_file})",
    ]


def start_detached(service: Service) -> None:
    """Start the server now as the boot would: in its own session, outliving us; record
    its pid, and wait (at most ANSWER_S) until it answers. Raises BriefingError, saying
    why, when it ends first or does not answer."""
    if service.address is not None and _answers(*service.address):
        raise BriefingError(
            f"the @reboot line is installed, but port {service.address[1]} is already in "
            "use here (a server started before?), so none was started now; stop that "
            "program or choose another --port, then run `briefing serve --install` again"
        )
    service.log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(service.log_file, "ab") as log:
        start = log.tell()
        proc = subprocess.Popen(
            service.command,
            cwd=service.project_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    service.pid_file.write_text(f"{proc.pid}\n", encoding="ascii")
    if service.address is None:
        return
    deadline = time.monotonic() + ANSWER_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            service.pid_file.unlink(missing_ok=True)
            raise BriefingError(
                f"the @reboot line is installed, but the server started now ended at once "
                f"(exit status {proc.returncode}): {_last_line(service.log_file, start)}"
            )
        if _answers(*service.address):
            return
        time.sleep(0.1)
    raise BriefingError(
        f"the @reboot line is installed, but the server started now (pid {proc.pid}) did "
        f"not answer on port {service.address[1]} within {ANSWER_S:g} s; see "
        f"{service.log_file}"
    )


def _answers(host: str, port: int) -> bool:
    target = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    try:
        socket.create_connection((target, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _last_line(log_file: Path, start: int) -> str:
    """The last line the server wrote to its log since `start` (its error)."""
    try:
        with open(log_file, "rb") as fh:
            fh.seek(start)
            lines = fh.read().decode(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else f"see {log_file}"


def stop_started(service: Service) -> str | None:
    """Stop the server `start_detached` started (if it is still that server); say what
    was done, or None when there was none."""
    try:
        pid = int(service.pid_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    service.pid_file.unlink(missing_ok=True)
    if not _is_our_server(pid, service):
        return None  # gone, or the pid reused by another program: not ours to stop
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return None
    return f"stopped the server started by --install (pid {pid})"


def _is_our_server(pid: int, service: Service) -> bool:
    """Whether `pid` runs this service's command line (Linux's /proc; elsewhere, trust
    the pid file while the process lives)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return not Path("/proc/self").exists()
    except OSError:
        return False
    return b"serve" in cmdline and all(
        arg.encode() in cmdline for arg in service.arguments if arg.startswith("/")
    )


def _run(cmd: list[str]) -> None:
    if shutil.which(cmd[0]) is None:
        raise MissingDependencyError(f"{cmd[0]} is not installed")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise BriefingError(f"`{shlex.join(cmd)}` did not finish within {TIMEOUT_S} s") from None
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise BriefingError(f"`{shlex.join(cmd)}` failed: {why[-1] if why else done.returncode}")
