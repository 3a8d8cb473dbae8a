"""Settings: every environment variable is checked, and a bad one is named."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from settings import (
    PROJECT_DIR,
    Settings,
    SettingsError,
    SuiteSettings,
    load_settings,
    load_suite_settings,
)


def test_defaults_when_nothing_is_set():
    settings = load_settings({})
    assert settings == Settings(
        rasa_port=5005,
        action_port=5055,
        rasa_token=None,
        var_dir=PROJECT_DIR / "var",
        model_path=None,
    )
    assert settings.web_port == 8080
    assert settings.retention_days == 30
    assert settings.messages_per_conversation == 30
    assert settings.messages_per_address == 300
    assert (settings.max_body_bytes, settings.max_frame_bytes) == (65536, 16384)
    assert (settings.sockets_per_address, settings.frames_per_socket) == (20, 60)
    assert settings.rasa_workers == 2
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.widget_origins == ()
    assert settings.bench_postgres_url == "postgresql://postgres@127.0.0.1:5432"
    assert settings.metrics_port == 9464
    assert not settings.scaled and not settings.telegram_enabled


def test_every_variable_is_read():
    settings = load_settings(
        {
            "RASA_PORT": "6005",
            "ACTION_PORT": "6055",
            "WEB_PORT": "6080",
            "RASA_TOKEN": "token",
            "VAR_DIR": "/srv/wegwijzer",
            "ASSISTANT_MODEL": "/srv/models/assistant.tar.gz",
            "DATABASE_URL": "postgresql://user:pw@db:5432/wegwijzer",
            "REDIS_URL": "redis://cache:6379/0",
            "RASA_WORKERS": "4",
            "RETENTION_DAYS": "7",
            "MESSAGES_PER_CONVERSATION": "0",
            "MESSAGES_PER_ADDRESS": "0",
            "MAX_BODY_BYTES": "32768",
            "MAX_FRAME_BYTES": "8192",
            "SOCKETS_PER_ADDRESS": "0",
            "FRAMES_PER_SOCKET": "0",
            "WIDGET_ORIGINS": " https://www.example.org, http://localhost:8080 ,",
            "TELEGRAM_TOKEN": "123:abc",
            "TELEGRAM_SECRET_TOKEN": "s3cret_-",
            "ID_HASH_KEY": "an-id-hash-key-of-at-least-32-characters",
            "TELEGRAM_API_URL": "http://127.0.0.1:9000/",
            "OPENING_HOURS_FILE": "/srv/hours.yml",
            "COUNSELLOR_USER": "an",
            "COUNSELLOR_PASSWORD": "een lang wachtwoord",
            "BENCH_POSTGRES": "postgresql://bench@127.0.0.1:5433",
            "TRUSTED_PROXIES": "10.0.0.5, 192.168.0.0/24",
            "SECURE_COOKIES": "true",
            "METRICS_PORT": "9100",
        }
    )
    assert (settings.rasa_port, settings.action_port, settings.web_port) == (6005, 6055, 6080)
    assert settings.rasa_token == "token"
    assert settings.var_dir == Path("/srv/wegwijzer")
    assert settings.model_path == Path("/srv/models/assistant.tar.gz")
    assert settings.scaled and settings.rasa_workers == 4
    assert settings.tracker_url == settings.handoff_url == settings.knowledge_url
    assert settings.retention_days == 7
    assert (settings.messages_per_conversation, settings.messages_per_address) == (0, 0)
    assert (settings.max_body_bytes, settings.max_frame_bytes) == (32768, 8192)
    assert (settings.sockets_per_address, settings.frames_per_socket) == (0, 0)
    assert settings.widget_origins == ("https://www.example.org", "http://localhost:8080")
    assert settings.telegram_enabled
    assert settings.telegram_api_url == "http://127.0.0.1:9000"
    assert settings.id_hash_key == "an-id-hash-key-of-at-least-32-characters"
    assert settings.opening_hours_file == Path("/srv/hours.yml")
    assert (settings.counsellor_user, settings.counsellor_password) == (
        "an",
        "een lang wachtwoord",
    )
    assert settings.bench_postgres_url == "postgresql://bench@127.0.0.1:5433"
    assert settings.trusted_proxies == ("10.0.0.5", "192.168.0.0/24")
    assert settings.secure_cookies
    assert settings.metrics_port == 9100


def test_an_empty_variable_counts_as_unset():
    settings = load_settings({"RASA_PORT": "", "RASA_TOKEN": "", "VAR_DIR": "", "REDIS_URL": ""})
    assert settings == load_settings({})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RASA_PORT", "abc"),
        ("ACTION_PORT", "0"),
        ("WEB_PORT", "70000"),
        ("RASA_PORT", "50.5"),
        ("RETENTION_DAYS", "-1"),
        ("RETENTION_DAYS", "0"),
        ("RASA_WORKERS", "0"),
        ("MESSAGES_PER_CONVERSATION", "-5"),
        ("MESSAGES_PER_ADDRESS", "many"),
        ("MAX_BODY_BYTES", "100"),  # under 1 KB, no channel could take a message
        ("SOCKETS_PER_ADDRESS", "-1"),
        ("METRICS_PORT", "70000"),
        ("WIDGET_ORIGINS", "https://www.example.org/"),  # never equals an Origin header
        ("WIDGET_ORIGINS", "www.example.org"),
        ("TELEGRAM_API_URL", "api.telegram.org"),
        ("TRUSTED_PROXIES", "proxy.example.org"),
        ("SECURE_COOKIES", "misschien"),
    ],
)
def test_a_bad_value_is_named_with_the_problem(variable, value):
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})
    message = str(raised.value)
    assert f"{variable}={value!r}" in message
    assert len(message.splitlines()) == 2  # the heading and this variable


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "http://cache:6379"),
        ("TELEGRAM_SECRET_TOKEN", "has spaces in it"),
        ("BENCH_POSTGRES", "::"),
    ],
)
def test_a_bad_secret_is_named_but_not_shown(variable, value):
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})
    assert variable in str(raised.value)
    assert value not in str(raised.value)


def test_every_bad_variable_is_named_at_once():
    with pytest.raises(SettingsError) as raised:
        load_settings({"RASA_PORT": "abc", "RETENTION_DAYS": "-1", "TELEGRAM_TOKEN": "fine"})
    message = str(raised.value)
    assert "RASA_PORT='abc'" in message and "RETENTION_DAYS='-1'" in message
    assert "TELEGRAM_TOKEN" not in message


def test_telegram_needs_an_id_hash_key_of_its_own_and_is_told_how_to_make_one():
    telegram = {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_SECRET_TOKEN": "s3cret_-"}
    for key in (None, "too-short"):
        with pytest.raises(SettingsError) as raised:
            load_settings(telegram | ({"ID_HASH_KEY": key} if key else {}))
        assert "ID_HASH_KEY" in str(raised.value)
        assert "secrets.token_urlsafe(32)" in str(raised.value)
        assert "too-short" not in str(raised.value)  # a secret is never shown
    assert load_settings({}).id_hash_key is None  # without Telegram nothing is needed


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("WEB_PORT", "8123")
    assert load_settings().web_port == 8123
    monkeypatch.setenv("WEB_PORT", "x")
    with pytest.raises(SettingsError, match="WEB_PORT='x'"):
        load_settings()


def test_an_explicit_environment_ignores_the_process_one(monkeypatch):
    monkeypatch.setenv("WEB_PORT", "8123")
    assert load_settings({}).web_port == 8080


def test_settings_constructed_directly_are_checked_and_replaceable(tmp_path):
    settings = Settings(
        rasa_port=5005, action_port=5055, rasa_token=None, var_dir=tmp_path, model_path=None
    )
    assert dataclasses.replace(settings, web_port=9000).web_url == "http://127.0.0.1:9000"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.web_port = 9000
    with pytest.raises(ValidationError):
        dataclasses.replace(settings, rasa_port=-1)


def test_secrets_stay_out_of_the_repr():
    settings = load_settings(
        {
            "RASA_TOKEN": "rasa-token-value",
            "COUNSELLOR_PASSWORD": "counsellor-password-value",
            "TELEGRAM_TOKEN": "telegram-token-value",
            "DATABASE_URL": "postgresql://user:database-password@db/w",
        }
    )
    shown = repr(settings)
    for secret in ("rasa-token-value", "counsellor-password", "telegram-token", "database-pass"):
        assert secret not in shown


def test_suite_settings():
    assert load_suite_settings({}) == SuiteSettings()
    assert not SuiteSettings().redis_required and not SuiteSettings().postgres_required
    assert load_suite_settings({"REQUIRE_REDIS": "1"}).redis_required
    assert load_suite_settings({"REQUIRE_POSTGRES": "1"}).postgres_required
    ci = load_suite_settings({"CI": "true"})
    assert ci.redis_required and ci.postgres_required
    assert load_suite_settings({"CHROMIUM_PATH": "/opt/c"}).chromium_path == Path("/opt/c")
    with pytest.raises(SettingsError, match="REQUIRE_REDIS='perhaps'"):
        load_suite_settings({"REQUIRE_REDIS": "perhaps"})


def test_the_launcher_stops_at_a_bad_value_and_names_it():
    env = {**os.environ, "RASA_PORT": "abc", "RETENTION_DAYS": "-1"}
    done = subprocess.run(
        [sys.executable, "-m", "ops.launcher"],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "RASA_PORT='abc'" in done.stderr and "RETENTION_DAYS='-1'" in done.stderr
    assert "Traceback" not in done.stderr
