"""The stack's processes: start them, wait until they answer, stop them with their workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from settings import Settings

READY_TIMEOUT_S = 180.0
STOP_GRACE_S = 10.0  # after SIGINT, before SIGKILL: all down well within 15 s


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a stack that must not clash with another."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal a process and the workers it started (they share its process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


class StopRequested(Exception):
    """A stop was asked for while the stack was starting."""


@dataclass
class Stack:
    """The running processes of the assistant."""

    settings: Settings
    token: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    spawn_options: dict = field(default_factory=dict)
    # Asked while waiting for the servers to answer: true stops the start (StopRequested).
    should_stop: Callable[[], bool] = lambda: False

    def start(self, args: list[str]) -> subprocess.Popen:
        """Start one process of the stack."""
        process = subprocess.Popen(args, **self.spawn_options)
        self.processes.append(process)
        return process

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again (tests of a restart mid-conversation)."""
        old = self.processes[1]
        _signal_group(old, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            old.wait(timeout=STOP_GRACE_S)
        _signal_group(old, signal.SIGKILL)
        old.wait()
        self.processes[1] = subprocess.Popen(old.args, **self.spawn_options)
        wait_until_ready(f"{self.settings.rasa_url}/status?token={self.token}", self)

    def stop(self) -> None:
        """Stop every process and its workers (its process group), politely first."""
        stop_processes(self.processes)


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """SIGINT to each process group, SIGKILL to what is left after STOP_GRACE_S."""
    for process in processes:
        _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        remaining = max(0.1, deadline - time.monotonic())
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=remaining)
        _signal_group(process, signal.SIGKILL)  # workers left behind, if any
        process.wait()


def wait_until_ready(url: str, stack: Stack) -> None:
    """Wait until ``url`` answers 200; fail when a process of the stack exits meanwhile."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if stack.should_stop():
            raise StopRequested
        for process in stack.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {READY_TIMEOUT_S:.0f} s")
