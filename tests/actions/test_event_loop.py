"""The actions' database work runs in worker threads: a slow store never stalls the loop."""

from __future__ import annotations

import time

from rasa_sdk.executor import CollectingDispatcher

from actions.api import handoff_queue, knowledge_store
from actions.handoff import ActionRequestHuman
from actions.topics import ActionAnswerTopic
from tests.actions.conftest import load_tracker
from tests.event_loop import ticks_during

SLOW_SECONDS = 0.3


def _slowed(work):
    def slow(*args, **kwargs):
        time.sleep(SLOW_SECONDS)  # a slow database, in the worker thread
        return work(*args, **kwargs)

    return slow


async def test_a_slow_knowledge_store_leaves_the_loop_free(monkeypatch):
    monkeypatch.setattr(knowledge_store, "best_services", _slowed(knowledge_store.best_services))
    dispatcher = CollectingDispatcher()
    run = ActionAnswerTopic().run(dispatcher, load_tracker("worker_asks_to_find_work"), {})
    assert (await ticks_during(run))[0] >= 10
    assert "utter_service_card" in [m["response"] for m in dispatcher.messages]


async def test_a_slow_handoff_store_leaves_the_loop_free(monkeypatch):
    monkeypatch.setattr(handoff_queue.queue, "enqueue", _slowed(handoff_queue.queue.enqueue))
    dispatcher = CollectingDispatcher()
    run = ActionRequestHuman().run(dispatcher, load_tracker("person_asks_for_a_human"), {})
    assert (await ticks_during(run))[0] >= 10
    assert dispatcher.messages[1]["response"] == "utter_handoff_queued_no_estimate"
