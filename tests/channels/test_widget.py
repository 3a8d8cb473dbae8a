"""The widget connector in Rasa's app: its WebSocket and signal route, no trained model."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from rasa.shared.core.events import BotUttered
from rasa.shared.exceptions import RasaException

from channels.telegram import conversation_id
from channels.texts import response_text
from channels.widget import WidgetInput
from privacy.channel_ids import WIDGET_ID, WIDGET_KEY_FILE, ChannelIdKeys, WidgetIds
from tests.channels.conftest import ATTACHMENT, EVERY_PART, IMAGE, get_json, serving
from tests.widget_socket import handshake, issued_id, open_conversation

TOKEN = "widget-test-token"


def widget() -> WidgetInput:
    return WidgetInput.from_credentials({"signal_token": TOKEN})


def socket_url(url: str) -> str:
    return url.replace("http", "ws", 1) + "/webhooks/widget/ws"


async def talk(url: str, *frames: dict | str) -> list[dict]:
    """Say hello, then send ``frames`` on one socket; every frame received after the
    handshake until the last is answered."""
    received = []
    async with aiohttp.ClientSession() as http, http.ws_connect(socket_url(url)) as socket:
        assert [f["type"] for f in await handshake(socket)] == ["conversation", "ready"]
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
    async with serving(channel, agent) as url, aiohttp.ClientSession() as http:
        socket, conversation = await open_conversation(http, socket_url(url))
        # What Rasa does with a bot event appended with output_channel=latest.
        event = BotUttered("Hoi, ik ben er.", {"custom": {"from": "counsellor"}})
        await channel.get_output_channel().send_response(conversation, event.message())
        frame = json.loads((await socket.receive(timeout=10)).data)
        await socket.close()
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


async def test_signals_need_the_token_and_reach_the_open_socket(agent):
    async with serving(widget(), agent) as url, aiohttp.ClientSession() as http:
        signal_url = f"{url}/webhooks/widget/signal"
        socket, conversation = await open_conversation(http, socket_url(url))
        body = {"conversation_id": conversation, "signal": {"type": "typing", "from": "counsellor"}}
        async with http.post(signal_url, json=body) as refused:
            assert refused.status == 403
        bad = {"Authorization": "Bearer fout"}
        async with http.post(signal_url, json=body, headers=bad) as refused:
            assert refused.status == 403
        good = {"Authorization": f"Bearer {TOKEN}"}
        other_shape = {**body, "conversation_id": "tg-" + "0" * 40}
        async with http.post(signal_url, json=other_shape, headers=good) as refused:
            assert refused.status == 400
        async with http.post(signal_url, json=body, headers=good) as reply:
            assert await reply.json() == {"reached": 1}
        frame = json.loads((await socket.receive(timeout=10)).data)
        await socket.close()
    assert frame == {"type": "typing", "from": "counsellor"}


async def test_a_frame_over_the_size_limit_closes_the_socket(agent):
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        await handshake(socket)
        await socket.send_str(json.dumps(said("x" * 20 * 1024)))  # over MAX_FRAME_BYTES (16 KB)
        message = await socket.receive(timeout=10)
    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1009
    assert agent.received == []


async def test_every_frame_type_counts_for_the_socket_s_limit(agent, monkeypatch):
    monkeypatch.setenv("FRAMES_PER_SOCKET", "4")  # hello and three more
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
    monkeypatch.setenv("MESSAGES_PER_ADDRESS", "6")  # two hellos and four more
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
        first, _ = await open_conversation(http, socket_url(url))
        second, _ = await open_conversation(http, socket_url(url))
        async with http.ws_connect(socket_url(url)) as third:
            refused = await third.receive(timeout=10)
        await first.close()
        for _ in range(50):  # until the server has let go of the closed socket
            async with http.ws_connect(socket_url(url)) as again:
                await again.send_str(json.dumps({"type": "hello"}))
                accepted = await again.receive(timeout=10)
            if accepted.type == aiohttp.WSMsgType.TEXT:
                break
            await asyncio.sleep(0.05)
        await second.close()
    assert refused.type == aiohttp.WSMsgType.CLOSE and refused.data == 1008
    assert refused.extra == "too many sockets from this address"
    assert json.loads(accepted.data)["type"] == "conversation"


async def test_the_server_issues_the_id_and_takes_back_only_its_own(agent):
    agent.replies = [BotUttered("Oké.")]
    channel = widget()
    async with serving(channel, agent) as url, aiohttp.ClientSession() as http:
        first, issued = await open_conversation(http, socket_url(url))
        await first.send_str(json.dumps(said("hallo")))
        while json.loads((await first.receive(timeout=10)).data)["type"] != "idle":
            pass
        await first.close()
        async with http.ws_connect(socket_url(url)) as socket:  # the browser comes back
            back = await handshake(socket, issued)
            await socket.send_str(json.dumps(said("nog een vraag")))
            while json.loads((await socket.receive(timeout=10)).data)["type"] != "idle":
                pass
        other, fresh = await open_conversation(http, socket_url(url))
        await other.close()
    assert WIDGET_ID.match(issued) and channel.ids.verify(issued)
    assert back == [{"type": "conversation", "id": issued}, {"type": "ready"}]
    assert fresh != issued
    assert [(m.sender_id, m.text) for m in agent.received] == [
        (issued, "hallo"),
        (issued, "nog een vraag"),
    ]


@pytest.mark.parametrize(
    "claimed",
    [
        "forged",  # an issued id with one character changed: its MAC fails
        "other key",  # issued by a server with another key
        "telegram",  # Telegram's shape
        "rest",  # what a REST client may choose
        "old widget",  # chosen by the browser, as the widget did before
        ["not", "a", "string"],
    ],
)
async def test_an_id_this_server_did_not_issue_is_refused_and_a_fresh_one_issued(agent, claimed):
    agent.replies = [BotUttered("Oké.")]
    channel = widget()
    issued = channel.ids.issue()
    ids = {
        "forged": issued[:-2] + ("AA" if issued[-2:] != "AA" else "BB"),
        "other key": WidgetIds(b"o" * 32).issue(),
        "telegram": conversation_id(123456789, ChannelIdKeys.from_setting("t" * 32)),
        "rest": "any-random-id",
        "old widget": "widget-test-conversation-1",
    }
    claimed = ids.get(claimed, claimed) if isinstance(claimed, str) else claimed
    async with (
        serving(channel, agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        frames = await handshake(socket, claimed)
        await socket.send_str(json.dumps(said("hallo")))
        while json.loads((await socket.receive(timeout=10)).data)["type"] != "idle":
            pass
    assert frames[0] == {"type": "error", "reason": "conversation"}
    fresh = issued_id(frames)
    assert fresh != claimed and channel.ids.verify(fresh)
    assert [f["type"] for f in frames] == ["error", "conversation", "ready"]
    assert [m.sender_id for m in agent.received] == [fresh]


async def test_an_id_in_the_url_is_refused(agent):
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url) + "?conversation=" + "a" * 24) as socket,
    ):
        message = await socket.receive(timeout=10)
    assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 4400
    assert agent.received == []


async def test_frames_before_hello_are_refused_and_the_socket_stays_open(agent):
    agent.replies = [BotUttered("Oké.")]
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        refused = []
        for frame in (said("hallo"), {"type": "erase"}, "niet json"):
            await socket.send_str(frame if isinstance(frame, str) else json.dumps(frame))
            refused.append(json.loads((await socket.receive(timeout=10)).data))
        frames = await handshake(socket)
        await socket.send_str(json.dumps({"type": "hello"}))  # once is enough
        again = json.loads((await socket.receive(timeout=10)).data)
    assert refused == [{"type": "error", "reason": "hello"}] * 3
    assert [f["type"] for f in frames] == ["conversation", "ready"]
    assert again == {"type": "error", "reason": "frame"}
    assert agent.received == []


async def test_hello_counts_for_the_socket_s_frame_limit(agent, monkeypatch):
    monkeypatch.setenv("FRAMES_PER_SOCKET", "2")
    async with (
        serving(widget(), agent) as url,
        aiohttp.ClientSession() as http,
        http.ws_connect(socket_url(url)) as socket,
    ):
        answers = []
        for _ in range(3):
            await socket.send_str("niet json")
            answers.append(json.loads((await socket.receive(timeout=10)).data))
    assert [a["reason"] for a in answers] == ["hello", "hello", "rate"]


def test_ids_outlive_a_restart_with_the_per_install_key_and_follow_id_hash_key(
    monkeypatch, tmp_path
):
    first = widget()
    issued = first.ids.issue()
    assert widget().ids.verify(issued)  # Rasa started again: the key file in VAR_DIR
    key_file = tmp_path / WIDGET_KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("ID_HASH_KEY", "k" * 32)
    keyed = widget()
    assert not keyed.ids.verify(issued)
    assert widget().ids.verify(keyed.ids.issue())
    monkeypatch.setenv("ID_HASH_KEY", "l" * 32)
    assert not widget().ids.verify(keyed.ids.issue())
