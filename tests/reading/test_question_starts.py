"""A word people put before their question ("ok what should i do") does not hide the question."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.reading import Reader

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader()


@pytest.mark.parametrize(("text", "ask"), [
    ("ok what should i do", "what_to_do"),
    ("okay what now", "what_to_do"),
    ("so how long do i have", "deadline"),
    ("what should i do", "what_to_do"),
])
def test_a_leading_word_keeps_the_question(reader: Reader, text: str, ask: str) -> None:
    assert ask in reader.read(text, today=TODAY).asks


def test_ok_alone_is_still_an_acknowledgement(reader: Reader) -> None:
    facts = reader.read("ok thanks", today=TODAY)
    assert facts.acknowledgement and not facts.asks
