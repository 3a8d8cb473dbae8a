"""Shared fixtures: the trained model and the parsed NLU agent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The trained model that `make test` built (ASSISTANT_MODEL)."""
    value = os.environ.get("ASSISTANT_MODEL")
    if not value or not Path(value).exists():
        pytest.fail("No trained model: run the tests with `make test`, which trains it first.")
    return Path(value)


@pytest.fixture(scope="session")
def nlu_agent(model_path: Path):
    """Rasa's agent with the trained model, for parsing messages without a server."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))
