"""The case summary's words come from data/knowledge/staff.yml; a missing piece is named."""

from __future__ import annotations

import pytest
import yaml

from noticebot.intake.cases import STAFF_FILE, parse_summary_words, summary_words
from noticebot.settings import PROJECT_ROOT


def staff_summary() -> dict[str, object]:
    path = PROJECT_ROOT / "data" / "knowledge" / STAFF_FILE
    return dict(yaml.safe_load(path.read_text())["summary"])


def test_the_shipped_words_are_read_whole() -> None:
    words = summary_words()
    assert words.agrees == {True: "agrees with the amount", False: "disagrees with the amount"}
    assert words.last_separator == " and "  # spaces kept exactly


def test_a_missing_or_half_piece_is_named() -> None:
    data = staff_summary()
    del data["owes"]
    with pytest.raises(ValueError, match="owes"):
        parse_summary_words(data)
    data = {**staff_summary(), "can_pay": {True: "can pay in full"}}
    with pytest.raises(ValueError, match="can_pay needs a true and a false"):
        parse_summary_words(data)
