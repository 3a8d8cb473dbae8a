"""`make run` starts both servers with one command and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from ops.processes import free_port

pytestmark = pytest.mark.e2e


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_ctrl_c_stops_rasa_and_action_server(model_path, tmp_path):
    rasa_port, action_port = free_port(), free_port()
    env = dict(
        os.environ,
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        VAR_DIR=str(tmp_path),
        ASSISTANT_MODEL=str(model_path),
    )
    env.pop("RASA_TOKEN", None)
    launcher = subprocess.Popen(
        [sys.executable, "-m", "ops.launcher"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        for line in launcher.stdout:
            output.append(line)
            if "Press Ctrl-C to stop" in line:
                break
        assert _port_open(rasa_port) and _port_open(action_port), "".join(output)
        assert "generated for this run" in "".join(output)

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while (_port_open(rasa_port) or _port_open(action_port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _port_open(rasa_port)
        assert not _port_open(action_port)
    finally:
        if launcher.poll() is None:
            launcher.kill()
