"""The training data carries no phone number: only the firm profile (the environment) may give
one, and the fictional numbers the tests type (555-01xx) live in tests/ only."""

from __future__ import annotations

import re

from noticebot.settings import PROJECT_ROOT

# Seven digits or more in a phone's shape: "555-0142", "(404) 555-0199", "212.555.0143".
PHONE = re.compile(r"(?:\(?\d{3}\)?[\s.-]?)?\d{3}[\s.-]\d{4}\b")


def test_no_training_file_holds_a_phone_number() -> None:
    found = [
        f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}"
        for folder in ("data/nlu", "data/rules", "data/stories")
        for path in sorted((PROJECT_ROOT / folder).rglob("*.yml"))
        for match in PHONE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


def test_the_pattern_finds_the_shapes_people_type() -> None:
    for typed in ("555-0142", "(404) 555-0199", "212-555-0143", "617.555.0191"):
        assert PHONE.search(f"my number is {typed}"), typed
    assert not PHONE.search("I owe $12,400 for 2024, notice dated 11/02/2026")
