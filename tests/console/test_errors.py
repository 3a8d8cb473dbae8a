"""The one error middleware: HTTP errors raised with a catalogue message become JSON bodies."""

from __future__ import annotations

import pytest
from aiohttp import web

from channels.console.app import init_app
from channels.console.texts import CATALOGUE, ERRORS, load_texts


async def _raise_conflict(_: web.Request) -> web.Response:
    raise web.HTTPConflict(text=ERRORS.claim_first)


async def _raise_uncatalogued(_: web.Request) -> web.Response:
    raise web.HTTPForbidden(text="not from the catalogue")


@pytest.fixture
async def app_with_failing_routes(console_config, aiohttp_client):
    app = await init_app(console_config)
    app.router.add_get("/conflict", _raise_conflict)
    app.router.add_get("/uncatalogued", _raise_uncatalogued)
    return await aiohttp_client(app)


async def test_an_error_raised_in_a_handler_becomes_the_json_error_body(app_with_failing_routes):
    response = await app_with_failing_routes.get("/conflict")
    assert response.status == 409
    assert response.content_type == "application/json"
    assert await response.text() == '{"error": "Neem het gesprek eerst over."}'
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_errors_without_a_catalogue_message_keep_aiohttps_answer(app_with_failing_routes):
    response = await app_with_failing_routes.get("/uncatalogued")
    assert (response.status, response.content_type) == (403, "text/plain")
    assert await response.text() == "not from the catalogue"
    missing = await app_with_failing_routes.get("/no-such-page")
    assert (missing.status, await missing.text()) == (404, "404: Not Found")
    assert missing.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_guard_answers_through_the_same_middleware(console):
    response = await console.get("/api/queue")
    assert response.status == 401
    assert await response.text() == '{"error": "Log eerst in."}'


def test_the_catalogue_fills_in_its_placeholders_and_rejects_an_unknown_key(tmp_path):
    assert ERRORS.text_needed == "Een bericht heeft tekst nodig, hoogstens 4000 tekens."
    misspelt = tmp_path / "texts.yml"
    misspelt.write_text(
        CATALOGUE.read_text(encoding="utf-8").replace("  claim_first:", "  claim_frist:"),
        encoding="utf-8",
    )
    with pytest.raises(TypeError, match="claim_frist"):
        load_texts(misspelt)
