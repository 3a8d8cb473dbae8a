"""The console refuses request bodies sent in chunks (aiohttp 3.9.5, docs/security.md)."""

from __future__ import annotations

import asyncio
import json
import time

from tests.console.conftest import PASSWORD


async def _chunks(data: bytes):
    for byte in data:
        yield bytes([byte])


async def test_a_chunked_login_is_refused_before_it_is_read(console):
    body = json.dumps({"username": "an", "password": PASSWORD}).encode()
    response = await console.post(
        "/api/login", data=_chunks(body), headers={"Content-Type": "application/json"}
    )
    assert response.status == 411
    assert "console_session" not in response.cookies


async def test_many_tiny_chunks_do_not_block_the_server(console):
    # 60,000 one-byte chunks: read, they held aiohttp 3.9.5's loop for about half a second.
    reader, writer = await asyncio.open_connection(console.host, console.port)
    started = time.perf_counter()
    writer.write(
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n\r\n"
        + b"1\r\na\r\n" * 60_000
        + b"0\r\n\r\n"
    )
    await writer.drain()
    status = await reader.readline()
    writer.close()
    assert status.startswith(b"HTTP/1.1 411")
    assert time.perf_counter() - started < 2
