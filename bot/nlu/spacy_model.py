"""Rasa's ``SpacyNLP`` with the spaCy pipeline loaded once per process.

Rasa's graph holds ``SpacyNLP`` twice: a node that provides the pipeline to the tokenizer
and the entity extractor, and a node that adds spaCy's features. Each calls
``spacy.load``; for this pipeline that is about 3.5 s and 200 MB (the Dutch lemma table
and 20,814 occupation patterns). Both nodes only read the pipeline, so they share one.

The class keeps Rasa's name on purpose: the recipe finds the node that provides a model
by the provider's class name (``model_from="SpacyNLP"``).
"""

from __future__ import annotations

from functools import cache

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel


@cache
def _shared_pipeline(spacy_model_name: str) -> SpacyModel:
    return spacy_utils.SpacyNLP.load_model(spacy_model_name)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """``SpacyNLP`` whose nodes share one loaded pipeline."""

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        """The pipeline ``spacy_model_name``, loaded the first time it is asked for."""
        return _shared_pipeline(spacy_model_name)
