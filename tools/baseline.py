"""The stock Rasa bot the benchmark compares against, built in a temporary folder.

``rasa init --no-prompt`` writes Rasa's starter project (English, default configuration)
and trains it; ``rasa run`` serves it with the REST channel, an in-memory tracker store
and no action server, as it comes. Nothing of it is committed.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from ops.launcher import rasa_command


def quiet_env() -> dict[str, str]:
    """No telemetry, less TensorFlow chatter."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


def build(folder: Path, log: Path) -> float:
    """Create and train the starter bot in ``folder``; the seconds it took."""
    started = time.monotonic()
    with open(log, "ab") as out:
        subprocess.run(
            rasa_command("init", "--no-prompt", "--init-dir", str(folder)),
            cwd=folder,
            env=quiet_env(),
            stdout=out,
            stderr=out,
            check=True,
        )
    return time.monotonic() - started


def start(folder: Path, port: int, log: Path) -> subprocess.Popen:
    """``rasa run`` on 127.0.0.1:``port`` with the starter bot's latest model."""
    out = open(log, "ab")  # noqa: SIM115 - open as long as the process runs
    return subprocess.Popen(
        rasa_command("run", "--model", "models", "--interface", "127.0.0.1", "--port", str(port)),
        cwd=folder,
        env=quiet_env(),
        stdout=out,
        stderr=out,
        start_new_session=True,
    )
