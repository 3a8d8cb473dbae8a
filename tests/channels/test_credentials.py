"""bot/credentials*.yml as Rasa reads them: channels by dotted path, values from ${ENV}."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import RasaException

from channels.rest import RedactingRestInput
from channels.telegram import TelegramInput
from channels.widget import WidgetInput
from privacy.channel_ids import ChannelIdKeys
from settings import SettingsError

BOT = Path(__file__).resolve().parents[2] / "bot"
PLAIN, WITH_TELEGRAM = BOT / "credentials.yml", BOT / "credentials-telegram.yml"
ID_HASH_KEY = "an-id-hash-key-of-at-least-32-characters"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the launcher sets for Rasa when Telegram is configured."""
    monkeypatch.setenv("RASA_TOKEN", "rasa-token")
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "telegram-secret")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("ID_HASH_KEY", ID_HASH_KEY)


def test_the_plain_file_registers_the_rest_channel_and_the_widget(environment):
    rest, widget = create_http_input_channels(None, str(PLAIN))
    assert isinstance(rest, RedactingRestInput)
    assert isinstance(widget, WidgetInput) and widget.signal_token == "rasa-token"


def test_the_telegram_file_adds_telegram_with_its_values_from_the_environment(environment):
    rest, widget, telegram = create_http_input_channels(None, str(WITH_TELEGRAM))
    assert isinstance(rest, RedactingRestInput) and isinstance(widget, WidgetInput)
    assert isinstance(telegram, TelegramInput)
    assert telegram.secret_token == "telegram-secret"
    assert telegram.id_keys == ChannelIdKeys.from_setting(ID_HASH_KEY)
    assert telegram.signal_token == "rasa-token"
    assert telegram.api._base == "http://127.0.0.1:9/bot123:abc"


def test_the_two_files_differ_only_by_telegram():
    plain = yaml.safe_load(PLAIN.read_text(encoding="utf-8"))
    with_telegram = yaml.safe_load(WITH_TELEGRAM.read_text(encoding="utf-8"))
    assert with_telegram.pop("channels.telegram.TelegramInput")
    assert with_telegram == plain


def test_without_id_hash_key_telegram_stops_rasa_and_says_how_to_make_one(environment, monkeypatch):
    """The first channel that reads the settings stops Rasa (the settings check the key);
    the Telegram channel checks its own credentials too (tests/channels/test_telegram.py)."""
    monkeypatch.setenv("ID_HASH_KEY", "")  # never the secret token Telegram sends
    with pytest.raises((RasaException, SettingsError), match="ID_HASH_KEY") as raised:
        create_http_input_channels(None, str(WITH_TELEGRAM))
    assert "secrets.token_urlsafe(32)" in str(raised.value)


def test_an_unset_variable_stops_rasa_with_its_name(environment, monkeypatch):
    monkeypatch.delenv("TELEGRAM_SECRET_TOKEN")
    with pytest.raises(RasaException, match="TELEGRAM_SECRET_TOKEN"):
        create_http_input_channels(None, str(WITH_TELEGRAM))
