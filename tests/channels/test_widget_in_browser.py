"""widget.js in real headless Chromium against the widget connector: images, attachments
and custom payloads, and hostile frames that must not become an image or a link.

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


async def test_images_attachments_and_custom_payloads_render_safely(agent):
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: `make browser` installs Debian's chromium.")
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
    async with (
        serving(channel, agent) as base,
        demo_page(base.replace("http", "ws", 1) + "/webhooks/widget/ws") as demo,
        async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
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
        await browser.close()
