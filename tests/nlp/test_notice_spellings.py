"""Notice spellings are listed once, in the catalog (``data/knowledge/notices.yml``): its
``recognized_phrases`` are the recognizer's phrases for a notice, and every alias the recognizer
reads is read as its own notice.

Not every alias is a phrase to recognize in a message: a descriptive one ("first notice", "tax
bill", "final notice") names no single notice when someone writes it, so the recognizer leaves it
to the catalog's look-up and to search. Such an alias is never read as another notice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml

from noticebot.knowledge.catalog import Catalog
from noticebot.nlp.recognizer import NOTICES_FILE, PATTERNS_PATH, load_rules, notice_phrases
from noticebot.settings import get_settings

TODAY = dt.date(2026, 11, 23)
NOTICES_PATH = get_settings().knowledge_dir / NOTICES_FILE
NOTICES = yaml.safe_load(NOTICES_PATH.read_text(encoding="utf-8"))["notices"]
PHRASES = [
    (code, phrase) for code, phrases in notice_phrases(NOTICES_PATH).items() for phrase in phrases
]
ALIASES = [(str(entry["code"]), str(alias)) for entry in NOTICES for alias in entry["aliases"]]
# An alias written like a code: a number of two digits or more that is not a span of days.
CODE_SHAPED = re.compile(r"\d{2,}(?![\s-]*days?\b)")
# Aliases the recognizer reads today as nothing or as another code than the catalog resolves to
# their notice. Fixing one changes what the recognizer finds: a change of its own, with tests.
KNOWN_MISREADINGS = {
    "CP504 B": "read as CP504 (the letter is a separate token)",
    "business intent to levy notice": "read as CP504 (its phrase 'intent to levy notice')",
    "Letter 6331C": "read as LTR6331C, which the catalog does not resolve",
    "Letter 6330C": "read as LTR6330C, which the catalog does not resolve",
    "L525": "'L' with fewer than four digits is not read as a letter",
    "L950": "'L' with fewer than four digits is not read as a letter",
    "5071C": "a bare number with a letter is not read as a code",
    "4883C": "a bare number with a letter is not read as a code",
    "5747C": "a bare number with a letter is not read as a code",
}


def notice_codes(recognizer: Any, text: str) -> list[str]:
    """The values of the notice codes the recognizer reads in ``text``."""
    return [
        str(m.value) for m in recognizer.recognize(text, today=TODAY) if m.label == "notice_code"
    ]


def test_the_catalog_is_the_only_list_of_notice_phrases(catalog: Catalog) -> None:
    patterns = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))
    assert "phrases" not in patterns["notice_code"]
    assert PHRASES and {code for code, _ in PHRASES} <= set(catalog.notices)
    assert dict(load_rules().notice_phrases) == notice_phrases(NOTICES_PATH)


@pytest.mark.parametrize(("code", "phrase"), PHRASES)
def test_every_recognized_phrase_is_read_as_its_notice(
    recognizer: Any, code: str, phrase: str
) -> None:
    [mention] = recognizer.recognize(phrase, today=TODAY)
    assert (mention.label, mention.value, mention.text) == ("notice_code", code, phrase)
    assert notice_codes(recognizer, f"I got a {phrase} in the mail.") == [code]


@pytest.mark.parametrize(
    ("code", "alias"),
    [
        pytest.param(
            code, alias, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISREADINGS[alias])
        )
        if alias in KNOWN_MISREADINGS
        else (code, alias)
        for code, alias in ALIASES
    ],
)
def test_every_alias_is_read_as_its_notice(
    recognizer: Any, catalog: Catalog, code: str, alias: str
) -> None:
    read = notice_codes(recognizer, alias)
    resolved = [notice.code if (notice := catalog.resolve(value)) else value for value in read]
    if CODE_SHAPED.search(alias):
        assert resolved == [code]
    else:  # descriptive: a recognized phrase of its notice, or left to look-up and search
        assert resolved in ([code], [])


def test_the_known_misreadings_are_aliases() -> None:
    assert set(KNOWN_MISREADINGS) <= {alias for _, alias in ALIASES}
