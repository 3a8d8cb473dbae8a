"""Console hardening: no session fixation, logout ends the session, no open redirects."""

from __future__ import annotations

import aiohttp
from yarl import URL

from tests.console.conftest import PASSWORD


async def test_a_session_id_chosen_before_login_is_never_adopted(console):
    planted = "aangeboden-door-een-aanvaller-" + "x" * 20
    console.session.cookie_jar.update_cookies({"console_session": planted})
    response = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    assert response.status == 200
    issued = response.cookies["console_session"].value
    assert issued and issued != planted
    async with aiohttp.ClientSession(
        base_url=str(console.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as attacker:
        attacker.cookie_jar.update_cookies({"console_session": planted})
        assert (await attacker.get("/api/queue")).status == 401


async def test_each_login_issues_a_new_session(console):
    first = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    second = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    assert first.cookies["console_session"].value != second.cookies["console_session"].value


async def test_logout_ends_the_session_on_the_server(console):
    response = await console.post("/api/login", json={"username": "an", "password": PASSWORD})
    token = response.cookies["console_session"].value
    csrf = (await response.json())["csrf_token"]
    assert (await console.post("/api/logout", headers={"X-CSRF-Token": csrf})).status == 200
    async with aiohttp.ClientSession(
        base_url=str(console.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as replay:
        replay.cookie_jar.update_cookies({"console_session": token})  # a copied cookie
        assert (await replay.get("/api/queue")).status == 401


async def test_no_redirect_leaves_the_site(console):
    targets = [
        "/console",
        "/console?next=https://evil.example/",
        "/console?redirect=//evil.example",
        "//evil.example/",
        "/%2F%2Fevil.example/",
        "/console/..%2F..%2F%2Fevil.example",
        "/api/login?next=https://evil.example/",
    ]
    root = str(console.make_url("/")).rstrip("/")
    for target in targets:  # sent as written, without the client normalising the path
        url = URL(root + target, encoded=True)
        response = await console.session.get(url, allow_redirects=False)
        location = response.headers.get("Location")
        if location is not None:
            assert location.startswith("/") and not location.startswith("//"), (target, location)
            assert "evil" not in location, (target, location)
