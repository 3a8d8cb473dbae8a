"""Shared fixtures: the trained model and the parsed NLU agent."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import load_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The trained model that `make test` built (ASSISTANT_MODEL)."""
    path = load_settings().model_path
    if path is None or not path.exists():
        pytest.fail("No trained model: run the tests with `make test`, which trains it first.")
    return path


@pytest.fixture(scope="session")
def nlu_agent(model_path: Path):
    """Rasa's agent with the trained model, for parsing messages without a server."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))
