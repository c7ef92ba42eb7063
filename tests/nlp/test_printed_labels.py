"""Dates as a notice prints them: a label, a colon, the date ("Pay by: December 2, 2026")."""

from __future__ import annotations

import datetime as dt

import pytest

from noticebot.nlp import Recognizer

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(("text", "role"), [
    ("Pay by: December 2, 2026", "deadline"),
    ("Respond by: December 2, 2026", "deadline"),
    ("Reply by: December 2, 2026", "deadline"),
    ("Amount due by December 2, 2026", "deadline"),
    ("Notice date: November 2, 2026", "notice"),
    ("Notice date November 2, 2026", "notice"),
])
def test_a_printed_label_gives_the_date_its_role(recognizer: Recognizer, text: str,
                                                 role: str) -> None:
    (date,) = [m for m in recognizer.recognize(text, today=TODAY) if m.label == "date"]
    assert date.role == role


def test_a_colon_further_back_still_ends_the_clause(recognizer: Recognizer) -> None:
    # "pay by" is not right before the date: the colon between them breaks the clause
    text = "they said pay by: the notice came December 2, 2026"
    (date,) = [m for m in recognizer.recognize(text, today=TODAY) if m.label == "date"]
    assert date.role != "deadline"
