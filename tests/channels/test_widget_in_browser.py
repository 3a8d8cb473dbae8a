"""widget.js in real headless Chromium against the widget connector: images, attachments
and custom payloads, and hostile frames that must not become an image or a link; the
conversation id the server issues (never in the URL), kept over a reload, a foreign one
refused; the edge limits' close codes explained.

A real browser, so marked e2e (outside ``make test-fast``); no trained model. A demo page
with channels/static/widget.js is served on 127.0.0.1 (Chromium lets no other page open a
loopback socket); the images come from an invented host that Playwright answers, so
nothing leaves the machine.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp import web
from rasa.shared.core.events import BotUttered

from channels.widget import WidgetInput
from ops.launcher import free_port
from tests.channels.conftest import serving

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
STATIC = Path(__file__).resolve().parents[2] / "channels" / "static"
TOKEN = "widget-browser-token"
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
TIMEOUT_MS = 10_000


@contextlib.asynccontextmanager
async def demo_page(socket_url: str) -> AsyncIterator[str]:
    """A page embedding the widget, on 127.0.0.1; yields its URL."""
    html = (
        '<!doctype html><html lang="nl"><body>'
        f'<script src="widget.js" data-socket="{socket_url}"></script></body></html>'
    )
    app = web.Application()
    app.router.add_get("/", lambda _: web.Response(text=html, content_type="text/html"))
    app.router.add_static("/", STATIC)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def widget_in_chromium(
    channel: WidgetInput, agent: Any
) -> AsyncIterator[tuple[Any, str, str]]:
    """Chromium, and the widget's demo page served against ``channel`` in Rasa's app;
    yields the browser, the page's URL and the app's."""
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: `make browser` installs Debian's chromium.")
    async with (
        serving(channel, agent) as base,
        demo_page(base.replace("http", "ws", 1) + "/webhooks/widget/ws") as demo,
        async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        try:
            yield browser, demo, base
        finally:
            await browser.close()


async def test_images_attachments_and_custom_payloads_render_safely(agent):
    agent.replies = [
        BotUttered("Hier is een kaart:"),
        BotUttered(None, {"image": "https://images.widget.test/kaart.png"}),
        BotUttered(None, {"attachment": "https://files.widget.test/gids.pdf"}),
        BotUttered(None, {"custom": {"kaart": "vdab"}}),
    ]

    async def serve(route) -> None:
        if urlsplit(route.request.url).hostname.endswith(".widget.test"):
            await route.fulfill(body=PIXEL, content_type="image/png")
        else:
            await route.continue_()  # the demo page and the connector on 127.0.0.1

    channel = WidgetInput.from_credentials({"signal_token": TOKEN})
    async with widget_in_chromium(channel, agent) as (browser, demo, base):
        page = await browser.new_page()
        await page.add_init_script(
            "window.customs = [];"
            "window.addEventListener('wegwijzer:custom', e => window.customs.push(e.detail));"
        )
        await page.route("**/*", serve)
        await page.goto(demo)
        await page.get_by_role("button", name="Chat met ons").click()
        image = page.locator(".ww-bot img.ww-image")
        await image.wait_for(timeout=TIMEOUT_MS)
        assert await image.get_attribute("src") == "https://images.widget.test/kaart.png"
        assert await image.get_attribute("alt")
        link = page.locator('.ww-bot a[href="https://files.widget.test/gids.pdf"]')
        await link.wait_for(timeout=TIMEOUT_MS)
        assert await link.get_attribute("rel") == "noopener noreferrer"
        assert await page.evaluate("window.customs") == [{"kaart": "vdab"}]

        # Frames the connector itself would never send, straight through the signal route.
        conversation = await page.evaluate(
            "JSON.parse(sessionStorage.getItem('wegwijzer.conversation'))"
        )
        hostile = [
            {"type": "image", "from": "bot", "url": "javascript:alert(1)"},
            {"type": "image", "from": "bot", "url": "data:image/png;base64,AAAA"},
            {"type": "attachment", "from": "bot", "url": "javascript:alert(1)"},
            {"type": "message", "from": "bot", "text": "klaar"},
        ]
        async with aiohttp.ClientSession() as http:
            for frame in hostile:
                async with http.post(
                    f"{base}/webhooks/widget/signal",
                    json={"conversation_id": conversation, "signal": frame},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                ) as reply:
                    assert reply.status == 200
        await page.get_by_text("klaar").wait_for(timeout=TIMEOUT_MS)
        assert await page.locator("img").count() == 1
        assert await page.locator('a[href^="javascript"], a[href^="data"]').count() == 0

        # The history (sessionStorage) shows the image and the link again after a reload.
        await page.reload()
        await page.locator(".ww-bot img.ww-image").wait_for(timeout=TIMEOUT_MS)
        assert await page.locator('a[href="https://files.widget.test/gids.pdf"]').count() == 1


async def stored_id(page: Any) -> str:
    return await page.evaluate("JSON.parse(sessionStorage.getItem('wegwijzer.conversation'))")


async def test_the_server_issues_the_id_the_url_never_carries_it_and_a_foreign_one_is_refused(
    agent,
):
    agent.replies = [BotUttered("Welkom.")]
    channel = WidgetInput.from_credentials({"signal_token": TOKEN})
    async with widget_in_chromium(channel, agent) as (browser, demo, _):
        page = await browser.new_page()
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        await page.goto(demo)
        await page.get_by_role("button", name="Chat met ons").click()
        await page.get_by_text("Welkom.").wait_for(timeout=TIMEOUT_MS)
        issued = await stored_id(page)
        await page.get_by_label("Je bericht").fill("waar vind ik werk")
        await page.keyboard.press("Enter")
        await page.get_by_text("Welkom.").nth(1).wait_for(timeout=TIMEOUT_MS)

        # A reload restores the conversation: the same id, brought back in the hello.
        await page.reload()
        await page.get_by_text("waar vind ik werk").wait_for(timeout=TIMEOUT_MS)
        await page.get_by_label("Je bericht").fill("en een opleiding")
        await page.keyboard.press("Enter")
        await page.get_by_text("Welkom.").nth(2).wait_for(timeout=TIMEOUT_MS)
        assert await stored_id(page) == issued

        # An id the server did not issue (here Telegram's shape) is refused: a new one.
        foreign = "tg-" + "0" * 40
        await page.evaluate(
            f"sessionStorage.setItem('wegwijzer.conversation', JSON.stringify('{foreign}'))"
        )
        await page.reload()
        await page.get_by_text("Je vorige gesprek kon niet verder.").wait_for(timeout=TIMEOUT_MS)
        await page.get_by_text("Welkom.").wait_for(timeout=TIMEOUT_MS)  # greeted anew
        fresh = await stored_id(page)
        assert await page.get_by_text("waar vind ik werk").count() == 0
    assert sockets and all(urlsplit(url).query == "" for url in sockets)
    assert channel.ids.verify(issued) and channel.ids.verify(fresh) and fresh != issued
    senders = [m.sender_id for m in agent.received]
    assert senders == [issued] * 3 + [fresh]
    assert [m.text for m in agent.received] == [
        "/greet", "waar vind ik werk", "en een opleiding", "/greet",
    ]  # fmt: skip


async def test_the_edge_limits_close_codes_are_explained_in_the_person_s_language(
    agent, monkeypatch
):
    monkeypatch.setenv("SOCKETS_PER_ADDRESS", "1")
    monkeypatch.setenv("MAX_FRAME_BYTES", "1024")
    agent.replies = [BotUttered("Welkom.")]
    channel = WidgetInput.from_credentials({"signal_token": TOKEN})
    async with widget_in_chromium(channel, agent) as (browser, demo, _):
        first = await browser.new_page()
        await first.goto(demo)
        await first.get_by_role("button", name="Chat met ons").click()
        await first.get_by_text("Welkom.").wait_for(timeout=TIMEOUT_MS)

        # 1008: this address already holds its one socket; a second tab, in English.
        second = await browser.new_page()
        await second.add_init_script("sessionStorage.setItem('wegwijzer.language', '\"en\"')")
        await second.goto(demo)
        await second.get_by_role("button", name="Chat with us").click()
        await second.get_by_text("Too many chats are open from this network.").wait_for(
            timeout=TIMEOUT_MS
        )
        assert await second.get_by_text("The connection is lost").count() == 0
        await second.close()

        # 1009: a message over the frame limit; then the conversation goes on.
        conversation = await stored_id(first)
        await first.get_by_label("Je bericht").fill("é" * 1000)  # 2,000 bytes in UTF-8
        await first.keyboard.press("Enter")
        await first.get_by_text("Je bericht was te groot en is niet verstuurd.").wait_for(
            timeout=TIMEOUT_MS
        )
        assert await first.get_by_text("De verbinding is even weg").count() == 0
        await first.get_by_label("Je bericht").fill("korter")
        await first.keyboard.press("Enter")
        await first.get_by_text("Welkom.").nth(1).wait_for(timeout=TIMEOUT_MS)
        assert await stored_id(first) == conversation
    assert [m.text for m in agent.received] == ["/greet", "korter"]
