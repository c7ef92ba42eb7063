"""The unknown-words guard: a message of words never seen in training is not understood."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.unknown_words import UnknownWordsGuard, words_of

TRAINING = ["yes please", "I got a CP504", "my name is Jane"]


@pytest.fixture
def guard(tmp_path: Path) -> UnknownWordsGuard:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("guard")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = UnknownWordsGuard.create({}, storage, resource, context)
    trained.train(TrainingData([Message(data={"text": t, "intent": "x"}) for t in TRAINING]))
    return UnknownWordsGuard.load({}, storage, resource, context)  # as a server loads it


def parsed(text: str, entities: list[dict[str, Any]] | None = None) -> Message:
    message = Message(data={"text": text, "intent": {"name": "affirm", "confidence": 0.75},
                            "intent_ranking": [{"name": "affirm", "confidence": 0.75}]})
    if entities:
        message.set("entities", entities)
    return message


def test_words_are_lower_case_and_alphabetic() -> None:
    assert words_of("I'm OK! 12400 $5") == ["i'm", "ok"]


@pytest.mark.parametrize("text", ["asdfgh", "qwerty zxcvb", "xyzzy!", "Qwerty zxcvb"])
def test_unknown_words_zero_the_confidence(guard: UnknownWordsGuard, text: str) -> None:
    message = guard.process([parsed(text)])[0]
    assert message.get("intent") == {"name": "affirm", "confidence": 0.0}
    assert message.get("intent_ranking") == [{"name": "affirm", "confidence": 0.0}]


@pytest.mark.parametrize("text", ["yes", "YES!", "asdfgh yes", "12400", "", "Priya Natarajan"])
def test_a_known_word_or_no_word_keeps_the_intent(guard: UnknownWordsGuard, text: str) -> None:
    assert guard.process([parsed(text)])[0].get("intent")["confidence"] == 0.75


def test_a_recognized_entity_keeps_the_intent(guard: UnknownWordsGuard) -> None:
    message = parsed("jane.doe@example.com", [{"entity": "contact_email", "value": "x"}])
    assert guard.process([message])[0].get("intent")["confidence"] == 0.75
