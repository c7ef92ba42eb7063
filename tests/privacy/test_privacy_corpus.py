"""Redaction measured on a corpus: every identifier removed, ordinary messages left alone.

Prints the figures (recall per kind, ordinary messages changed, with any changed ones):
    .venv/bin/pytest tests/privacy -q
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import pytest
import yaml
from privacy_corpus import (
    SLOT,
    Sensitive,
    digits_of,
    ordinary_corpus,
    sensitive_corpus,
    side_by_side_ordinary,
)

from noticebot.privacy import PLACEHOLDERS, redact
from noticebot.settings import PROJECT_ROOT
from tests.domain_files import load_domain

MIN_SENSITIVE = 1000
MIN_HANDWRITTEN_SENSITIVE = 100
MIN_ORDINARY = 300
MAX_ORDINARY_CHANGED = 0.01
LEAK_RUN = 4  # no run of this many of an identifier's digits may survive

_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
# What people put between digits: spaces, dashes and dots of any kind, invisible characters.
_SEPARATORS_RE = re.compile(r"[\s.\-_\u00ad\u200b-\u200d\u2060\ufeff]+")


@lru_cache(maxsize=1)
def sensitive() -> list[Sensitive]:
    return sensitive_corpus()


@lru_cache(maxsize=1)
def ordinary() -> list[str]:
    return ordinary_corpus()


def digit_runs(text: str) -> list[str]:
    """The text's digit runs, any form of digit read as one, separators removed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(char) in ("Zs", "Pd") else char for char in text)
    words = re.sub(
        r"\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b",
        lambda m: digits_of(m.group()),
        text,
        flags=re.IGNORECASE,
    )
    return re.findall(r"[0-9]+", _SEPARATORS_RE.sub("", words))


def leaked(output: str, secret: str) -> bool:
    """Whether a piece of the secret (its whole if shorter than LEAK_RUN) is left."""
    size = min(LEAK_RUN, len(secret))
    pieces = {secret[i : i + size] for i in range(len(secret) - size + 1)}
    return any(piece in run for run in digit_runs(output) for piece in pieces)


def same_shape(output: str, case: Sensitive) -> bool:
    """Whether only the identifiers were replaced: everything else is kept byte for byte
    (neighbouring identifiers may share one placeholder)."""
    found = _PLACEHOLDER_RE.sub(SLOT, output)
    collapse = re.compile(rf"{SLOT}(?:[\s,/]*{SLOT})+")
    return collapse.sub(SLOT, found) == collapse.sub(SLOT, case.shape)


def report(title: str, rows: list[str]) -> None:
    print(f"\n{title}")
    for row in rows:
        print(f"  {row}")


def test_the_corpus_is_big_enough() -> None:
    cases = sensitive()
    assert len(cases) >= MIN_SENSITIVE
    assert sum(case.source == "hand-written" for case in cases) >= MIN_HANDWRITTEN_SENSITIVE
    assert len(ordinary()) >= MIN_ORDINARY


def test_every_identifier_is_removed(capsys: pytest.CaptureFixture[str]) -> None:
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    leaks: list[str] = []
    for case in sensitive():
        output = redact(case.text).text
        total[case.kind] += 1
        if any(leaked(output, secret) for secret in case.secrets):
            leaks.append(f"{case.kind}: {case.text!r} -> {output!r}")
        else:
            caught[case.kind] += 1
    rows = [
        f"{kind:12} {caught[kind]:5} of {total[kind]:5}  {100 * caught[kind] / total[kind]:6.2f}%"
        for kind in sorted(total)
    ]
    rows.append(f"{'all':12} {sum(caught.values()):5} of {sum(total.values()):5}")
    with capsys.disabled():
        report("Recall on sensitive messages (identifier's digits gone):", rows + leaks)
    assert not leaks


def test_only_the_identifiers_are_replaced() -> None:
    changed_elsewhere = [
        f"{case.text!r} -> {redact(case.text).text!r}"
        for case in sensitive()
        if not same_shape(redact(case.text).text, case)
    ]
    assert not changed_elsewhere, "\n".join(changed_elsewhere)


def test_partial_ssns_are_masked_as_such() -> None:
    partial = [case for case in sensitive() if case.kind == "partial_ssn"]
    assert partial
    assert all(redact(case.text).kinds == ("partial_ssn",) for case in partial)


def test_ordinary_messages_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    messages = ordinary()
    changed = [(m, redact(m)) for m in messages if redact(m).text != m]
    share = 100 * len(changed) / len(messages)
    rows = [f"{len(changed)} of {len(messages)} changed ({share:.2f}%)"]
    rows += [f"{m!r} -> {r.text!r} {r.kinds}" for m, r in changed]
    with capsys.disabled():
        report("Ordinary messages changed:", rows)
    assert len(changed) <= MAX_ORDINARY_CHANGED * len(messages)


def test_ordinary_numbers_side_by_side_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    messages = side_by_side_ordinary()
    changed = [(m, redact(m).text) for m in messages if redact(m).found]
    rows = [f"{len(changed)} of {len(messages)} changed"]
    rows += [f"{m!r} -> {out!r}" for m, out in changed]
    with capsys.disabled():
        report("Harmless numbers side by side (stress test):", rows)
    assert len(changed) <= MAX_ORDINARY_CHANGED * len(messages)


def test_redacting_twice_changes_nothing_more() -> None:
    outputs = [redact(case.text).text for case in sensitive()] + ordinary()
    assert [text for text in outputs if redact(text).text != text] == []


def bot_texts() -> list[str]:
    """What the bot itself says (its responses and knowledge passages): the tracker store
    redacts bot messages too, so they must come through unchanged."""
    texts: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(load_domain()["responses"])
    for path in sorted((PROJECT_ROOT / "data" / "knowledge").glob("*.yml")):
        collect(yaml.safe_load(path.read_text()))
    return [text for text in texts if re.search(r"[0-9]", text)]


def test_the_bots_own_texts_are_kept() -> None:
    texts = bot_texts()
    assert texts
    assert [(t, redact(t).text) for t in texts if redact(t).found] == []
