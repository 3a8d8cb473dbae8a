"""This machine's RabbitMQ (127.0.0.1:5672, guest/guest): is it there, and stop and start
it for the restart test (``rabbitmqctl stop_app`` / ``start_app``: the broker stops and
drops every connection; durable queues and persistent messages stay)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from settings import load_suite_settings

URL = "amqp://guest:guest@127.0.0.1:5672/"


def _answers(timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=timeout):
            return True
    except OSError:
        return False


def _skip_or_fail(problem: str) -> None:
    if load_suite_settings().rabbitmq_required:
        pytest.fail(problem)
    pytest.skip(problem)


def require_rabbitmq() -> str:
    """The URL of this machine's RabbitMQ; skip when it does not answer (fail when required)."""
    if not _answers():
        _skip_or_fail("no RabbitMQ on 127.0.0.1:5672")
    return URL


def require_rabbitmq_control() -> None:
    """Skip unless this process may stop and start RabbitMQ (root and rabbitmqctl)."""
    if os.geteuid() != 0 or not shutil.which("rabbitmqctl"):
        _skip_or_fail("needs root and rabbitmqctl to stop and start RabbitMQ")


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def stop_rabbitmq() -> None:
    _rabbitmqctl("stop_app")


def start_rabbitmq(timeout: float = 60.0) -> None:
    """Start the broker again and wait until it accepts connections."""
    _rabbitmqctl("start_app")
    _rabbitmqctl("await_startup")
    deadline = time.monotonic() + timeout
    while not _answers():
        if time.monotonic() > deadline:
            raise TimeoutError("RabbitMQ did not come back")
        time.sleep(0.2)
