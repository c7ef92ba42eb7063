"""Rasa NLU guard: a message made only of words never seen in training is not understood.

The intent classifier gives every message an intent, and a string like "asdfgh" can come out
as ``affirm`` with high confidence; during intake that would read a slip of the keyboard as
consent. This component remembers the words of the training examples and, when a message has
words but none of them is known and no entity was recognized, sets the intent's confidence to 0,
so the ``FallbackClassifier`` after it turns the message into ``nlu_fallback``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

VOCABULARY_FILE = "vocabulary.json"


def words_of(text: str) -> list[str]:
    """The alphabetic words of a text, lower case ("I'm OK!" -> ["i'm", "ok"])."""
    words = (word.strip(".,!?;:\"()[]{}").lower() for word in text.split())
    return [word for word in words if any(ch.isalpha() for ch in word)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(GraphComponent, IntentClassifier):
    """Zero the intent confidence of a message whose words are all unknown."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsGuard:
        """A guard with an empty vocabulary, to be trained."""
        return cls(model_storage, resource, frozenset())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsGuard:
        """The guard with the vocabulary saved at training."""
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text())
        except (ValueError, FileNotFoundError):
            logger.warning("No vocabulary in the model: the unknown-words guard is off.")
            words = []
        return cls(model_storage, resource, frozenset(words))

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: frozenset[str]
    ) -> None:
        """Keep where to save and the known words."""
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary

    def train(self, training_data: TrainingData) -> Resource:
        """Remember every word of the training examples."""
        words = {
            word for example in training_data.training_examples
            for word in words_of(example.get(TEXT) or "")
        }
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(words)))
        self.vocabulary = frozenset(words)
        return self._resource

    def is_unknown(self, message: Message) -> bool:
        """True when the message has words, none known, no entity, and it is not a name.

        Words all written with a capital ("Priya Natarajan") are taken for a name, which an
        intake question may have asked for.
        """
        text = message.get(TEXT) or ""
        words = words_of(text)
        if not words or not self.vocabulary or message.get(ENTITIES):
            return False
        if all(word[:1].isupper() for word in text.split()):
            return False
        return not any(word in self.vocabulary for word in words)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the intent confidence of unknown-words messages to 0."""
        for message in messages:
            intent = message.get(INTENT)
            if intent and self.is_unknown(message):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
                ranking = [
                    {**entry, "confidence": 0.0} for entry in message.get(INTENT_RANKING_KEY, [])
                ]
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
