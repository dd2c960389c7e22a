"""`briefing serve --install`: a systemd unit where systemd runs, else an @reboot line."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from briefing import service
from briefing.service import Service
from tests.test_cron import crontab  # noqa: F401  (a fixture: a fake crontab on PATH)

HAVE_ANALYZE = shutil.which("systemd-analyze") is not None


@pytest.fixture
def spec(tmp_path: Path) -> Service:
    project = tmp_path / "my project"
    project.mkdir()
    return Service(
        project, ("--output", str(project / "out"), "--port", "8123"), tmp_path / "s.log"
    )


@pytest.fixture
def systemctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fake systemctl and loginctl on PATH, logging their arguments."""
    calls = tmp_path / "calls.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("systemctl", "loginctl"):
        fake = bin_dir / name
        fake.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\n')
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(service, "systemd_running", lambda: True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(service, "SYSTEM_UNIT_DIR", tmp_path / "etc-systemd")
    return calls


def test_the_unit_runs_this_installation_from_the_project(spec: Service) -> None:
    unit = spec.unit(system=False)
    assert f"WorkingDirectory={spec.project_dir}\n" in unit
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_start.split("=", 1)[1].startswith("/")  # absolute: no PATH at boot
    assert "serve --output" in exec_start and "'" in exec_start  # the space is quoted
    assert "WantedBy=default.target" in unit
    assert "WantedBy=multi-user.target" in spec.unit(system=True)
    assert "Restart=on-failure" in unit


@pytest.mark.skipif(not HAVE_ANALYZE, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(spec: Service, tmp_path: Path) -> None:
    path = tmp_path / f"{spec.name}.service"
    path.write_text(spec.unit(system=True))
    done = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr and "Invalid" not in done.stderr


def test_a_user_gets_a_user_unit_started_now_and_at_boot(
    spec: Service, systemctl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("USER", "ana")
    said = service.install(spec)
    unit = tmp_path / "config" / "systemd" / "user" / f"{spec.name}.service"
    assert unit.read_text() == spec.unit(system=False)
    assert systemctl.read_text().splitlines() == [
        "systemctl --user daemon-reload",
        f"systemctl --user enable --now {spec.name}.service",
        "loginctl enable-linger ana",
    ]
    assert any("starts at boot" in line for line in said)
    removed = service.uninstall(spec)
    assert not unit.exists() and removed == [f"stopped and removed {unit}"]
    assert f"systemctl --user disable --now {spec.name}.service" in systemctl.read_text()


def test_root_gets_a_system_unit(
    spec: Service, systemctl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    service.install(spec)
    unit = tmp_path / "etc-systemd" / f"{spec.name}.service"
    assert "WantedBy=multi-user.target" in unit.read_text()
    assert systemctl.read_text().splitlines() == [
        "systemctl daemon-reload",
        f"systemctl enable --now {spec.name}.service",
    ]


def test_without_systemd_an_at_reboot_line_and_the_server_started_now(
    spec: Service,
    crontab: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "systemd_running", lambda: False)
    started: list[list[str]] = []
    monkeypatch.setattr(service, "start_detached", lambda s: started.append(s.command))
    said = service.install(spec)
    [line] = crontab.read_text().splitlines()
    assert line.startswith("@reboot cd ") and line.endswith(f"# {spec.name}")
    assert started == [spec.command]
    assert "added an @reboot line" in said[0]
    service.install(spec)  # again: replaced, not doubled
    assert len(crontab.read_text().splitlines()) == 1
    assert service.uninstall(spec) == ["removed the @reboot line from your crontab"]
    assert crontab.read_text().strip() == ""
    assert service.uninstall(spec) == ["nothing was installed for this project"]


def test_two_projects_get_two_services(tmp_path: Path) -> None:
    a = Service(tmp_path / "a", (), tmp_path / "a.log")
    b = Service(tmp_path / "b", (), tmp_path / "b.log")
    assert a.name != b.name and a.name.startswith("briefing-serve-")


def test_serve_install_through_the_cli(
    tmp_path: Path,
    crontab: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "briefing.toml").write_text('[serve]\nhost = "0.0.0.0"\nport = 8111\n')
    monkeypatch.setattr(service, "systemd_running", lambda: False)
    started: list[list[str]] = []
    monkeypatch.setattr(service, "start_detached", lambda s: started.append(s.command))
    done = CliRunner().invoke(cli, ["serve", "--install"])
    assert done.exit_code == 0, done.output
    [command] = started
    i = command.index("serve")
    assert command[i + 1 : i + 3] == ["--config", str(tmp_path / "briefing.toml")]
    assert command[-4:] == ["--host", "0.0.0.0", "--port", "8111"]
    assert "@reboot" in crontab.read_text()
    gone = CliRunner().invoke(cli, ["serve", "--uninstall"])
    assert gone.exit_code == 0 and "removed the @reboot line" in gone.stdout


def _sleeper(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's command: a process that runs until stopped, `serve` in its argv."""
    import sys

    monkeypatch.setattr(
        service, "briefing_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    monkeypatch.setattr(service, "systemd_running", lambda: False)


def _reaped(pid: int) -> bool:
    """Whether our child `pid` ended (reaping it), waiting a few seconds at most."""
    import time

    for _ in range(100):
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return True
        time.sleep(0.05)
    return False


def test_uninstall_without_systemd_stops_the_server_install_started(
    spec: Service,
    crontab: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The report: the @reboot line went, the server started by --install kept running.
    _sleeper(monkeypatch)
    service.install(spec)
    pid = int(spec.pid_file.read_text())
    cmdline = Path(f"/proc/{pid}/cmdline")
    for _ in range(200):  # until the child has exec'd its command (a busy machine is slow)
        if b"serve" in cmdline.read_bytes():
            break
        time.sleep(0.05)
    assert b"serve" in cmdline.read_bytes()
    said = service.uninstall(spec)
    assert said == [
        "removed the @reboot line from your crontab",
        f"stopped the server started by --install (pid {pid})",
    ]
    assert _reaped(pid), "the server outlived --uninstall"
    assert not spec.pid_file.exists()


def test_uninstall_leaves_a_process_that_only_has_the_recorded_pid_alone(
    spec: Service,
    crontab: Path,  # noqa: F811
) -> None:
    other = subprocess.Popen(["sleep", "30"])  # the pid reused by another program
    try:
        spec.pid_file.write_text(f"{other.pid}\n")
        assert service.uninstall(spec) == ["nothing was installed for this project"]
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_install_fails_when_its_server_dies_at_once(
    tmp_path: Path,
    crontab: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from briefing.errors import BriefingError

    monkeypatch.setattr(service, "systemd_running", lambda: False)
    fails = "import sys; print('error: cannot listen on port 8123'); sys.exit(1)"
    monkeypatch.setattr(service, "briefing_command", lambda: [sys.executable, "-c", fails])
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free (nothing listens on it)
    spec = Service(tmp_path, ("--port", str(port)), tmp_path / "s.log", ("127.0.0.1", port))
    with pytest.raises(BriefingError, match=r"ended at once .*cannot listen on port 8123"):
        service.install(spec)
    assert not spec.pid_file.exists()


def test_install_through_the_cli_exits_1_when_the_port_is_taken(
    tmp_path: Path,
    crontab: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from click.testing import CliRunner

    from briefing.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    _sleeper(monkeypatch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = CliRunner().invoke(cli, ["serve", "--install", "--port", str(port)])
    assert done.exit_code == 1, done.output
    assert f"port {port} is already in use" in done.stderr
    assert "started the server now" not in done.output
