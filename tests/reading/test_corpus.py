"""The reader on realistic first messages (messages.yml, written apart from the reader's code).

Gates from the issue: notice+date attribution >= 98% of messages, facts >= 95% of the
(message, fact) pairs. ``python -m tests.reading.scoring`` prints the figures and every miss.
"""

from __future__ import annotations

import pytest

from noticebot.reading import Reader
from tests.reading.scoring import Score, load_corpus, score

NOTICE_GATE = 0.98
FACT_GATE = 0.95


@pytest.fixture(scope="module")
def result(recognizer) -> Score:  # type: ignore[no-untyped-def]
    """The whole corpus read once."""
    return score(Reader(recognizer=recognizer))


def test_the_corpus_is_big_enough_and_realistic() -> None:
    _, messages = load_corpus()
    assert len(messages) >= 200
    assert sum(len(m.get("notices") or []) >= 2 for m in messages) >= 40
    assert sum(len(m["text"]) >= 350 for m in messages) >= 20


def test_notices_and_their_dates_are_attributed(result: Score) -> None:
    assert result.notice_accuracy >= NOTICE_GATE, "\n".join(result.notice_misses)


def test_facts_are_read(result: Score) -> None:
    assert result.fact_accuracy >= FACT_GATE, "\n".join(result.fact_misses)
