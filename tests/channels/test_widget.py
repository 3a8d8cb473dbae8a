"""The widget connector in Rasa's app: its WebSocket and signal route, no trained model."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from rasa.shared.core.events import BotUttered
from rasa.shared.exceptions import RasaException

from channels.texts import response_text
from channels.widget import WidgetInput
from tests.channels.conftest import ATTACHMENT, EVERY_PART, IMAGE, get_json, serving

TOKEN = "widget-test-token"
CONVERSATION = "widget-test-conversation-1"


def widget() -> WidgetInput:
    return WidgetInput.from_credentials({"signal_token": TOKEN})


def socket_url(url: str, conversation: str = CONVERSATION) -> str:
    return url.replace("http", "ws", 1) + f"/webhooks/widget/ws?conversation={conversation}"


async def talk(url: str, *frames: dict | str) -> list[dict]:
    """Send ``frames`` on one socket; every frame received until the last is answered."""
    received = []
    async with aiohttp.ClientSession() as http, http.ws_connect(socket_url(url)) as socket:
        assert json.loads((await socket.receive(timeout=10)).data) == {"type": "ready"}
        for frame in frames:
            await socket.send_str(frame if isinstance(frame, str) else json.dumps(frame))
            while True:
                received.append(json.loads((await socket.receive(timeout=10)).data))
                if received[-1]["type"] in ("idle", "error", "erased"):
                    break
    return received


def said(text: str) -> dict:
    return {"type": "message", "text": text}


def test_credentials_without_the_signal_token_stop_rasa_with_its_name():
    with pytest.raises(RasaException, match="signal_token"):
        WidgetInput.from_credentials({})
    with pytest.raises(RasaException, match="signal_token"):
        WidgetInput.from_credentials({"signal_token": ""})


async def test_health_route(agent):
    async with serving(widget(), agent) as url:
        assert await get_json(f"{url}/webhooks/widget/") == (200, {"status": "ok"})


async def test_every_part_of_a_response_reaches_the_widget_as_a_frame(agent):
    queued = {"signal": {"type": "status", "status": "queued"}}
    agent.replies = [*EVERY_PART, BotUttered(None, {"custom": queued})]
    async with serving(widget(), agent) as url:
        frames = await talk(url, said("hallo"))
    assert frames == [
        {"type": "typing", "from": "bot"},
        {
            "type": "message",
            "from": "bot",
            "text": "Kies <maar>.",
            "buttons": [{"title": "Werk", "payload": "/werk"}],
        },
        {"type": "image", "from": "bot", "url": IMAGE},
        {"type": "message", "from": "bot", "text": "Lees dit:"},
        {"type": "attachment", "from": "bot", "url": ATTACHMENT},
        {"type": "custom", "from": "bot", "payload": {"kaart": "vdab"}},
        {"type": "status", "status": "queued"},
        {"type": "idle"},
    ]


async def test_images_and_attachments_other_than_http_are_dropped(agent):
    agent.replies = [
        BotUttered(None, {"image": "javascript:alert(1)"}),
        BotUttered(None, {"attachment": "data:text/html,<script>alert(1)</script>"}),
        BotUttered("Klaar."),
    ]
    async with serving(widget(), agent) as url:
        frames = await talk(url, said("hallo"))
    assert [f["type"] for f in frames] == ["typing", "message", "idle"]


async def test_a_counsellor_message_is_marked_as_the_counsellor_s(agent):
    channel = widget()
    async with (
        serving(channel, agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        await socket.receive(timeout=10)  # ready
        # What Rasa does with a bot event appended with output_channel=latest.
        event = BotUttered("Hoi, ik ben er.", {"custom": {"from": "counsellor"}})
        await channel.get_output_channel().send_response(CONVERSATION, event.message())
        frame = json.loads((await socket.receive(timeout=10)).data)
    assert frame == {"type": "message", "from": "counsellor", "text": "Hoi, ik ben er."}


async def test_typed_text_is_redacted_and_empty_or_garbage_frames_refused(agent):
    agent.replies = [BotUttered("Oké.")]
    async with serving(widget(), agent) as url:
        frames = await talk(
            url, said("bel me op 0470 12 34 56"), said("  \u200b "), "niet json", {"type": "x"}
        )
    assert agent.texts == ["bel me op <telefoon>"]
    errors = [f["reason"] for f in frames if f["type"] == "error"]
    assert errors == ["empty", "frame", "frame"]
    assert [m.input_channel for m in agent.received] == ["widget"]
    assert agent.received[0].metadata is None


async def test_a_conversation_over_its_limit_is_told_to_slow_down(agent):
    agent.replies = [BotUttered("Oké.")]
    async with serving(widget(), agent) as url:
        frames = await talk(url, *[said("hallo")] * 4)
    refusal = frames[-1]
    assert refusal == {"type": "error", "reason": "rate", "text": response_text("utter_slow_down")}
    assert len(agent.received) == 3


async def test_silence_and_failure_are_still_answered(agent):
    async with serving(widget(), agent) as url:
        silent = await talk(url, said("hallo"))
        agent.error = RuntimeError("the lock store is down")
        failed = await talk(url, said("hallo"))
    assert silent[1]["text"] == response_text("utter_cannot_look_up")
    assert failed[1]["text"] == response_text("utter_not_received")


async def test_a_malformed_conversation_id_is_closed(agent):
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url, "kort")) as socket,
    ):
        message = await socket.receive(timeout=10)
    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 4400


async def test_signals_need_the_token_and_reach_the_open_socket(agent):
    async with serving(widget(), agent) as url, aiohttp.ClientSession() as http:
        signal_url = f"{url}/webhooks/widget/signal"
        body = {"conversation_id": CONVERSATION, "signal": {"type": "typing", "from": "counsellor"}}
        async with http.post(signal_url, json=body) as refused:
            assert refused.status == 403
        bad = {"Authorization": "Bearer fout"}
        async with http.post(signal_url, json=body, headers=bad) as refused:
            assert refused.status == 403
        async with http.ws_connect(socket_url(url)) as socket:
            await socket.receive(timeout=10)  # ready
            good = {"Authorization": f"Bearer {TOKEN}"}
            async with http.post(signal_url, json=body, headers=good) as reply:
                assert await reply.json() == {"reached": 1}
            frame = json.loads((await socket.receive(timeout=10)).data)
    assert frame == {"type": "typing", "from": "counsellor"}


async def test_a_frame_over_the_size_limit_closes_the_socket(agent):
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        await socket.receive(timeout=10)  # ready
        await socket.send_str(json.dumps(said("x" * 20 * 1024)))  # over MAX_FRAME_BYTES (16 KB)
        message = await socket.receive(timeout=10)
    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1009
    assert agent.received == []


async def test_every_frame_type_counts_for_the_socket_s_limit(agent, monkeypatch):
    monkeypatch.setenv("FRAMES_PER_SOCKET", "3")
    agent.replies = [BotUttered("Oké.")]
    async with serving(widget(), agent) as url:
        frames = await talk(url, "niet json", {"type": "x"}, {"type": "erase"}, "niet json")
        erase = await talk(url, *[{"type": "erase"}] * 4)
        messages = await talk(url, said("hallo"), "[]", {"type": "erase"}, said("hallo"))
    rate = {"type": "error", "reason": "rate", "text": response_text("utter_slow_down")}
    assert [f.get("reason", f["type"]) for f in frames] == ["frame", "frame", "erased", "rate"]
    assert frames[-1] == rate
    assert erase == [{"type": "erased"}] * 3 + [rate]
    assert messages[-1] == rate
    assert agent.texts == ["hallo"]


async def test_every_frame_type_counts_for_the_address_s_limit(agent, monkeypatch):
    monkeypatch.setenv("MESSAGES_PER_ADDRESS", "4")
    monkeypatch.setenv("FRAMES_PER_SOCKET", "0")
    agent.replies = [BotUttered("Oké.")]
    async with serving(widget(), agent) as url:
        first = await talk(url, "niet json", {"type": "erase"}, said("hallo"))
        other = await talk(url, {"type": "x"}, {"type": "erase"}, said("hallo"))
    assert first[-1]["type"] == "idle"
    assert [f.get("reason", f["type"]) for f in other] == ["frame", "rate", "rate"]
    assert agent.texts == ["hallo"]


async def test_an_address_over_its_open_sockets_is_refused_with_1008(agent, monkeypatch):
    monkeypatch.setenv("SOCKETS_PER_ADDRESS", "2")
    async with serving(widget(), agent) as url, aiohttp.ClientSession() as http:
        first = await http.ws_connect(socket_url(url))
        second = await http.ws_connect(socket_url(url, "widget-test-conversation-2"))
        for open_socket in (first, second):
            assert json.loads((await open_socket.receive(timeout=10)).data) == {"type": "ready"}
        async with http.ws_connect(socket_url(url)) as third:
            refused = await third.receive(timeout=10)
        await first.close()
        for _ in range(50):  # until the server has let go of the closed socket
            async with http.ws_connect(socket_url(url)) as again:
                accepted = await again.receive(timeout=10)
            if accepted.type == aiohttp.WSMsgType.TEXT:
                break
            await asyncio.sleep(0.05)
        await second.close()
    assert refused.type == aiohttp.WSMsgType.CLOSE and refused.data == 1008
    assert refused.extra == "too many sockets from this address"
    assert json.loads(accepted.data) == {"type": "ready"}
