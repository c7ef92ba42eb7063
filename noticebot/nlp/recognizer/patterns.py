"""The entity ruler's patterns, built from ``patterns.yml`` by small functions: token
patterns and phrases per label, and the ways people write each known form."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from noticebot.nlp.recognizer.rules import BLOCKER_LABEL, LABELS, Rules

_LETTERED_FORM_RE = re.compile(r"(?P<num>\d+)-(?P<suffix>[A-Z]+)")


def token_patterns(label: str, patterns: Iterable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Entity-ruler token patterns for ``label`` (Matcher syntax, as written in the YAML)."""
    return [{"label": label, "pattern": pattern} for pattern in patterns]


def phrase_patterns(label: str, phrases: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
    """Entity-ruler phrase patterns for ``label``; each phrase carries its canonical value as id."""
    return [
        {"label": label, "pattern": phrase, "id": value}
        for value, values in phrases.items()
        for phrase in values
    ]


def form_spellings(code: str) -> list[str]:
    """The ways people write a form number: "433-F" -> "433-f", "433f", "433 f"."""
    lettered = _LETTERED_FORM_RE.fullmatch(code)
    if lettered is None:
        return [code.lower()]
    number, suffix = lettered["num"], lettered["suffix"].lower()
    return [f"{number}-{suffix}", f"{number}{suffix}", f"{number} {suffix}"]


def form_patterns(known: Iterable[str], *, bare: Iterable[str]) -> list[dict[str, Any]]:
    """Phrase patterns for the known forms: after "form(s)", and alone for distinctive ones."""
    bare_codes = set(bare)
    patterns: list[dict[str, Any]] = []
    for code in known:
        if not _LETTERED_FORM_RE.fullmatch(code) and not code.isdigit():
            continue  # "668(Y)(c)" has its own phrases in the YAML
        prefixes = ["form ", "forms "] + ([""] if code in bare_codes else [])
        patterns.extend(
            {"label": "form", "pattern": prefix + spelling, "id": code}
            for prefix in prefixes
            for spelling in form_spellings(code)
        )
    return patterns


def ruler_patterns(rules: Rules) -> list[dict[str, Any]]:
    """All entity-ruler patterns: per-label token patterns and phrases, form spellings, blockers.

    The phrases of ``notice_code`` are the catalog's (``Rules.notice_phrases``).
    """
    patterns: list[dict[str, Any]] = []
    for label in (*LABELS, BLOCKER_LABEL):
        section = rules.raw.get(label) or {}
        patterns.extend(token_patterns(label, section.get("token_patterns") or []))
        phrases = rules.notice_phrases if label == "notice_code" else section.get("phrases")
        patterns.extend(phrase_patterns(label, phrases or {}))
    patterns.extend(form_patterns(sorted(rules.known_forms), bare=rules.bare_forms))
    return patterns

