"""The size limits of Rasa's app (``channels.edge``): every route's request body, every
socket message, whichever channel registered them."""

from __future__ import annotations

import json

import aiohttp
import pytest

from channels.rest import RedactingRestInput
from channels.widget import WidgetInput
from tests.channels.conftest import serving
from tests.channels.test_telegram import SECRET, telegram

BIG_BODY = 70 * 1024  # over the default MAX_BODY_BYTES (64 KB)


def big_json(size: int) -> bytes:
    return json.dumps({"sender": "edge-test", "message": "x" * size}).encode()


async def post(url: str, body: bytes, **headers: str) -> tuple[int, str]:
    headers = {"Content-Type": "application/json", **headers}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status, await r.text()


@pytest.mark.parametrize(
    ("channel", "path"),
    [
        (lambda: RedactingRestInput.from_credentials(None), "/webhooks/rest/webhook"),
        (lambda: WidgetInput.from_credentials({"signal_token": "t"}), "/webhooks/widget/signal"),
    ],
    ids=["rest", "widget"],
)
async def test_a_body_over_the_limit_gets_413_before_the_channel_sees_it(agent, channel, path):
    async with serving(channel(), agent) as url:
        status, text = await post(url + path, big_json(BIG_BODY))
        assert agent.received == []
        small, _ = await post(url + path, big_json(1000))
    assert status == 413, text[:200]
    assert small != 413


async def test_the_telegram_webhook_answers_a_body_over_the_limit_with_413(agent, fake_telegram):
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with serving(telegram(fake_telegram), agent) as url:
        status, _ = await post(f"{url}/webhooks/telegram/webhook", big_json(BIG_BODY), **secret)
    assert status == 413
    assert agent.received == []
