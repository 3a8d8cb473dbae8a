"""Pages rendered from the Jinja2 templates: filled in, and what comes from outside escaped."""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
import pytest
from aiohttp import web

from channels.console.pages import setup_templates

INJECTED = '"><script>alert(1)</script>'


async def test_the_demo_page_escapes_an_injected_host(console):
    response = await console.get("/", headers={"Host": f"x{INJECTED}"})
    assert response.status == 200
    page = await response.text()
    assert "<script>alert(1)" not in page
    assert "x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/widget.js" in page


async def test_the_pages_are_filled_in(console):
    demo = await (await console.get("/")).text()
    assert "{{" not in demo and 'data-socket="ws://127.0.0.1:' in demo
    assert demo.endswith("</html>\n")
    page = await (await console.get("/console/")).text()
    assert page.count('maxlength="4000"') == 3  # message, note, whisper and "{{" not in page


def test_every_template_escapes_and_misses_no_variable():
    app = web.Application()
    setup_templates(app)
    environment = aiohttp_jinja2.get_env(app)
    demo = environment.get_template("demo.html")
    html = demo.render(widget_socket=INJECTED, widget_script=INJECTED)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    with pytest.raises(jinja2.UndefinedError, match="widget_script"):
        demo.render(widget_socket="ws://x")
