"""The Rasa NLU adapter adds the recognizer's canonical entities to messages."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.notice_entities import NoticeEntityExtractor


@pytest.fixture(scope="module")
def extractor(recognizer: Any) -> NoticeEntityExtractor:
    """The component with the session's recognizer injected."""
    return NoticeEntityExtractor({}, recognizer=recognizer)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i got a letter 1058", {"notice_code": "LTR1058"}),
        ("cp 504 says i owe $12,400", {"notice_code": "CP504", "amount": 12400.0}),
        ("do i send form 9465", {"form": "9465"}),
        ("it is dated 2026-03-03", {"date": "2026-03-03"}),
    ],
)
def test_canonical_values_reach_the_message(
    extractor: NoticeEntityExtractor, text: str, expected: dict[str, Any]
) -> None:
    message = Message(data={TEXT: text})
    extractor.process([message])
    entities = message.get(ENTITIES)
    assert {e["entity"]: e["value"] for e in entities} == expected
    for entity in entities:
        assert entity["extractor"] == "NoticeEntityExtractor"
        assert text[entity["start"]:entity["end"]]


def test_existing_entities_are_kept(extractor: NoticeEntityExtractor) -> None:
    other = {"entity": "x", "start": 0, "end": 1, "value": "y", "extractor": "Other"}
    message = Message(data={TEXT: "got a CP14", ENTITIES: [other]})
    extractor.process([message])
    assert message.get(ENTITIES)[0] == other
    assert message.get(ENTITIES)[1]["value"] == "CP14"


def test_message_without_text_is_left_alone(extractor: NoticeEntityExtractor) -> None:
    message = Message(data={})
    extractor.process([message])
    assert message.get(ENTITIES) is None


@pytest.mark.parametrize(
    ("text", "role"),
    [("it says respond by 2026-12-02", "deadline"), ("it is dated 2026-11-02", "notice"),
     ("2026-11-02", None)],
)
def test_date_roles_reach_rasa(extractor: NoticeEntityExtractor, text: str,
                               role: str | None) -> None:
    message = Message(data={TEXT: text})
    extractor.process([message])
    (date,) = [e for e in message.get(ENTITIES) if e["entity"] == "date"]
    assert date.get("role") == role
