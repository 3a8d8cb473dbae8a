"""The widget's conversation ids: issued with a MAC, one spelling each, and one key for
every Rasa worker of an install."""

from __future__ import annotations

import base64
import multiprocessing
from pathlib import Path

from privacy.channel_ids import WIDGET_ID, WidgetIds, reserved_by

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
WORKERS = 6


def test_an_issued_id_verifies_and_has_no_second_spelling():
    ids = WidgetIds(b"k" * 32)
    issued = ids.issue()
    assert WIDGET_ID.match(issued) and ids.verify(issued) and reserved_by(issued) == "widget"
    # The last character carries two unused bits: other values decode to the same bytes.
    last = ALPHABET.index(issued[-1])
    variants = [issued[:-1] + ALPHABET[last ^ bits] for bits in (1, 2, 3)]
    for variant in variants:
        token = variant[2:] + "="
        assert base64.urlsafe_b64decode(token) == base64.urlsafe_b64decode(issued[2:] + "=")
        assert not ids.verify(variant)


def _issue_after(barrier: multiprocessing.Barrier, var_dir: str, out: multiprocessing.Queue):
    barrier.wait()  # every worker starts at the same moment, none finds the file yet
    out.put(WidgetIds.from_settings(None, Path(var_dir)).issue())


def test_workers_starting_together_share_one_install_secret(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(WORKERS), context.Queue()
    workers = [
        context.Process(target=_issue_after, args=(barrier, str(tmp_path), out))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    issued = [out.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    here = WidgetIds.from_settings(None, tmp_path)
    assert all(here.verify(conversation) for conversation in issued)
    assert [p.name for p in tmp_path.iterdir()] == ["widget-id.key"]  # no drafts left
