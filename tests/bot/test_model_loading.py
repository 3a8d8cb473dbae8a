"""TED loaded without a training step predicts what Rasa's own loading predicts."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.core.policies import ted_policy
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import model_loading

pytestmark = pytest.mark.model

MESSAGES = [
    "hallo",
    "ik zit in 6de jaar aso en weet nie wa ik moet studeren",
    "is lasser een knelpuntberoep?",
    "ik kom uit syrië en wil mijn diploma laten erkennen",
    "ik wil met een mens praten",
    "wat is het beste recept voor lasagne",
]


def _component(agent: Agent, kind: type) -> object:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return next(n._component for n in nodes if isinstance(n._component, kind))


async def _predictions(agent: Agent) -> list[list[float]]:
    """TED's action probabilities after each message."""
    actions = []
    ted = _component(agent, ted_policy.TEDPolicy)
    for text in MESSAGES:
        parsed = await agent.parse_message(text)
        tracker = DialogueStateTracker.from_events(
            "vergelijking",
            [ActionExecuted("action_listen"), UserUttered(text, parsed["intent"])],
            agent.domain.slots,
        )
        actions.append(ted.predict_action_probabilities(tracker, agent.domain).probabilities)
    return actions


@pytest.fixture(scope="module")
def rasa_loaded_agent(model_path) -> Agent:
    """The same model loaded Rasa's way: a traced training step, then the weights."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_loading.TEDPolicy, "model_class", staticmethod(lambda: ted_policy.TED))
        return Agent.load(str(model_path))


async def test_the_assistant_loads_its_model_without_a_training_step(nlu_agent):
    ted = _component(nlu_agent, ted_policy.TEDPolicy)
    assert isinstance(ted.model, model_loading._TED)


async def test_predictions_equal_those_of_rasas_own_loading(nlu_agent, rasa_loaded_agent):
    assert not isinstance(
        _component(rasa_loaded_agent, ted_policy.TEDPolicy).model, model_loading._TED
    )
    our_actions = await _predictions(nlu_agent)
    rasa_actions = await _predictions(rasa_loaded_agent)
    np.testing.assert_allclose(our_actions, rasa_actions, rtol=1e-5, atol=1e-7)
    assert all(max(p) > 0 for p in our_actions)  # an unloaded TED would give zeros
