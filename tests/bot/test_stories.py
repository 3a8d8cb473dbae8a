"""The conversation test stories in tests/stories/ against the trained model.

The same as ``rasa test core --stories tests/stories --model $ASSISTANT_MODEL
--fail-on-prediction-errors``, through Rasa's Python API with the agent the other model tests
share: a wrongly predicted action fails the test and shows the story. As there (without
``--e2e``), the policies see the intents written in the stories; ``make eval`` reports the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import PROJECT_DIR

pytestmark = pytest.mark.model

TEST_STORIES = PROJECT_DIR / "tests" / "stories"


async def test_every_test_story_is_predicted(nlu_agent, tmp_path: Path):
    from rasa.core.test import WrongPredictionException
    from rasa.core.test import test as rasa_test_core

    try:
        result = await rasa_test_core(
            str(TEST_STORIES),
            nlu_agent,
            out_directory=str(tmp_path),
            fail_on_prediction_errors=True,
            disable_plotting=True,
        )
    except WrongPredictionException as error:
        failure = str(error)  # the story with the wrong prediction marked
    else:
        failure = None
    if failure:
        pytest.fail(failure, pytrace=False)
    assert result["actions"], f"no test stories in {TEST_STORIES}"
