"""Rasa's TED policy, loaded without a training step.

To load a trained TensorFlow model, Rasa 3.6 compiles it and runs one training step on an
example (``RasaModel.load``) only to create its variables, then overwrites them with the
saved weights. Tracing that training step (gradients, optimizer) is most of the time
Rasa needs to start: about 30 of 45 s here. Running the model's loss once, eagerly,
creates the same variables in a fraction of that; the saved weights then replace them,
and the load checks that every variable was restored. The optimizer's saved state is not
needed to predict and is left unread. Predictions are the same
(``tests/bot/test_model_loading.py``).

The policy keeps Rasa's name: Rasa names policies by class
(``POLICIES_THAT_EXTRACT_ENTITIES``). The same mix-in loads any RasaModel (it served DIET
while the assistant used it).
"""

from __future__ import annotations

from typing import Any, TypeVar

from rasa.core.policies import ted_policy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

ModelT = TypeVar("ModelT", bound=RasaModel)


def load_without_training_step(
    model_class: type[ModelT],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None,
    *args: Any,
    **kwargs: Any,
) -> ModelT:
    """Build ``model_class`` by one eager loss computation, then restore its weights."""
    model = model_class(*args, **kwargs)
    batch_in, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model._training = True  # the training path builds every layer the weights belong to
    model.batch_loss(batch_in)
    model._training = None
    status = model.load_weights(model_file_name)
    status.assert_existing_objects_matched()  # every variable got its trained value
    status.expect_partial()  # the optimizer's state stays unread
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph now
    return model


class _LoadsWithoutTrainingStep:
    """Mixed into a RasaModel subclass: ``load`` without the training step."""

    @classmethod
    def load(
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:  # training goes on: Rasa's way, with the optimizer's state
            return super().load(  # type: ignore[misc]
                model_file_name, model_data_example, predict_data_example, True, *args, **kwargs
            )
        return load_without_training_step(
            cls,  # type: ignore[arg-type]
            model_file_name,
            model_data_example,
            predict_data_example,
            *args,
            **kwargs,
        )


class _TED(_LoadsWithoutTrainingStep, ted_policy.TED):
    """Rasa's TED model, loaded without the training step."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class TEDPolicy(ted_policy.TEDPolicy):
    """Rasa's TEDPolicy, trained the same, loaded faster."""

    @staticmethod
    def model_class() -> type[ted_policy.TED]:
        return _TED
