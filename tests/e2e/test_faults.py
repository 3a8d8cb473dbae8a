"""Faults with real processes: Rasa restarted mid-conversation, the action server gone.

These tests break their own stack, so they get one of their own.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Assistant, running_stack
from tests.e2e.test_rest_conversations import texts

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_stack(model_path, tmp_path_factory, fake_telegram):
    yield from running_stack(model_path, tmp_path_factory.mktemp("faults"), fake_telegram.url)


def test_rasa_restart_mid_conversation_continues_from_the_stored_tracker(own_stack):
    person = Assistant(stack=own_stack, sender=uuid.uuid4().hex)
    person.say("ik werk als verpleegkundige")
    assert person.slot("user_group") == "werkende"
    own_stack.restart_rasa()
    assert person.slot("user_group") == "werkende"
    answer = texts(person.say("ik wil iets anders doen, wie kan me helpen?"))
    assert "Loopbaancentrum" in answer  # the worker's answer: the group was remembered


def test_dead_action_server_still_gets_an_answer_with_the_crisis_lines(own_stack):
    action_server = own_stack.processes[0]
    action_server.kill()
    action_server.wait()
    person = Assistant(stack=own_stack, sender=uuid.uuid4().hex)
    answer = texts(person.say("is lasser een knelpuntberoep?"))
    assert "Ik kan nu even niets opzoeken" in answer
    crisis = texts(person.say("ik wil niet meer leven"))
    assert "1813" in crisis and "112" in crisis
