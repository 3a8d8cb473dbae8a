"""`make run` starts every server with one command; Ctrl-C (SIGINT) or SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ops.processes import free_port

pytestmark = pytest.mark.e2e


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Launcher:
    """``python -m ops.launcher`` on free ports, its output collected by a thread."""

    process: subprocess.Popen
    ports: dict[str, int]
    output: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    def _read(self) -> None:
        # Read to the end, so that the servers (which share the pipe) never block on it.
        for line in self.process.stdout:
            self.output.append(line)
            if "Press Ctrl-C to stop" in line:
                self.ready.set()

    @property
    def text(self) -> str:
        return "".join(self.output)

    def open_ports(self) -> list[str]:
        return [name for name, port in self.ports.items() if _port_open(port)]


@pytest.fixture
def launcher(model_path: Path, tmp_path: Path):
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = dict(
        os.environ,
        **{name: str(port) for name, port in ports.items()},
        VAR_DIR=str(tmp_path),
        ASSISTANT_MODEL=str(model_path),
    )
    env.pop("RASA_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "ops.launcher"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Launcher(process=process, ports=ports)
    threading.Thread(target=running._read, daemon=True).start()
    try:
        if not running.ready.wait(timeout=300):
            pytest.fail("the launcher did not get ready:\n" + running.text)
        assert running.open_ports() == list(ports), running.text
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # it stops its servers
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _stops_everything(launcher: Launcher, signum: int) -> None:
    launcher.process.send_signal(signum)
    deadline = time.monotonic() + 15
    while launcher.open_ports() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert launcher.open_ports() == [], launcher.text
    assert launcher.process.wait(timeout=30) == 0, launcher.text
    assert "Stopping ..." in launcher.text


def test_ctrl_c_stops_rasa_and_action_server(launcher):
    assert "generated for this run" in launcher.text
    _stops_everything(launcher, signal.SIGINT)


def test_sigterm_stops_every_server_within_15_s(launcher):
    _stops_everything(launcher, signal.SIGTERM)
