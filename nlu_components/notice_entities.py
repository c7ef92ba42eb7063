"""Rasa NLU adapter: the project's spaCy recognizer as an entity extractor, and the reader.

Entities ``notice_code``, ``form``, ``amount`` and ``date`` come out with their canonical
value (``"LTR1058"`` for "letter 1058", an ISO date for "March 3", a number for "$12,400"),
and the intake details ``contact_name``, ``contact_email`` and ``contact_phone`` (E.164).

Every fact the message states (``noticebot.reading``: notices with their own dates, the
balance, the person's situation, what it asks) goes into the parse data under ``facts``, read
from the same mentions, so the actions never read the text again.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from noticebot.clock import firm_today
from noticebot.nlp import Mention, Recognizer
from noticebot.reading import Reader

FACTS = "facts"  # the parse-data key of the message's facts


def entity_from_mention(mention: Mention) -> dict[str, Any]:
    """Convert a recognizer mention to Rasa's entity dictionary (a date's role included)."""
    entity: dict[str, Any] = {
        "entity": mention.label,
        "start": mention.start,
        "end": mention.end,
        "value": mention.value,
        "confidence_entity": 1.0,
    }
    role = getattr(mention, "role", None)
    if role:
        entity["role"] = role
    return entity


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class NoticeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extract notice codes, forms, amounts and dates with the project's rule recognizer."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoticeEntityExtractor:
        """Create the component (the recognizer itself is built on first use)."""
        return cls(config)

    def __init__(self, config: dict[str, Any], recognizer: Recognizer | None = None) -> None:
        """Keep the config; ``recognizer`` may be injected (tests)."""
        self._config = config
        self._recognizer = recognizer
        self._reader: Reader | None = None

    @property
    def recognizer(self) -> Recognizer:
        """The recognizer, built once per process."""
        if self._recognizer is None:
            self._recognizer = Recognizer()
        return self._recognizer

    @property
    def reader(self) -> Reader:
        """The reader, sharing the recognizer."""
        if self._reader is None:
            self._reader = Reader(recognizer=self.recognizer)
        return self._reader

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the recognized entities to each message."""
        today = firm_today()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            mentions = self.recognizer.recognize(text, today=today)
            found = [entity_from_mention(m) for m in mentions]
            entities = [*message.get(ENTITIES, []), *self.add_extractor_name(found)]
            message.set(ENTITIES, entities, add_to_output=True)
            facts = self.reader.read(text, today=today, mentions=mentions)
            message.set(FACTS, facts.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is: this component learns nothing."""
        return training_data
