"""The drop rules of ``marketing.yml``: small builders turn its word lists into regular
expressions, and :func:`load_rules` compiles them once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.knowledge.ingest.patterns import FOLD, NAME_RUN, PERSON_NAME

# ``marketing.yml`` sits in ``noticebot/knowledge/``, beside this package.
RULES_PATH = Path(__file__).parent.with_name("marketing.yml")
# Default of ``min_passage_words`` in ``marketing.yml``.
DEFAULT_MIN_PASSAGE_WORDS = 15


@dataclass(frozen=True)
class MarketingRules:
    """The drop rules of ``marketing.yml``, compiled by :func:`load_rules`."""

    call_to_action: re.Pattern[str]
    call_to_action_patterns: re.Pattern[str]
    sales_claims: re.Pattern[str]
    sales_hooks: re.Pattern[str]
    list_references: re.Pattern[str]
    caption_label: re.Pattern[str]
    caption_subject: re.Pattern[str]
    min_passage_words: int
    bio_cues: re.Pattern[str]
    bio_sentence: re.Pattern[str]
    author_line: re.Pattern[str]
    self_introduction: re.Pattern[str]
    navigation: frozenset[str]
    navigation_patterns: re.Pattern[str]
    skip_sections: frozenset[str]
    generic_headings: frozenset[str]
    firm_suffix: re.Pattern[str]
    firm_contexts: tuple[re.Pattern[str], ...]
    generic_names: frozenset[str]
    web_address: re.Pattern[str]
    bullet: re.Pattern[str]
    html_junk_markers: frozenset[str]


def fold(text: str) -> str:
    """Lower-case ``text`` with straight quotes, plain hyphens and single spaces."""
    return re.sub(r"\s+", " ", text.translate(FOLD)).strip().lower()


def fold_line(text: str) -> str:
    """Fold ``text`` and keep only letters, digits and single spaces (to compare whole lines)."""
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", fold(text))).strip()


def alternation(alternatives: Iterable[str]) -> str:
    """Join regex alternatives longest first; a never-matching group when there are none."""
    ordered = sorted(set(alternatives), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")" if ordered else "(?!)"


def _phrase_regex(phrase: str) -> str:
    """Regex for a folded phrase whose words may be separated by any spaces or hyphens."""
    words = [w for w in re.split(r"[\s-]+", fold(phrase)) if w]
    return r"[\s-]+".join(re.escape(w) for w in words)


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Match any of ``phrases`` on word boundaries in folded text."""
    return re.compile(r"(?<!\w)" + alternation(_phrase_regex(p) for p in phrases) + r"(?!\w)")


def lead_in_pattern(lead_ins: Iterable[str], *, name: str) -> re.Pattern[str]:
    """Match a case-insensitive lead-in followed by a name (group ``name``) in raw text."""
    lead = alternation(r"[ \t]+".join(re.escape(w) for w in fold(p).split()) for p in lead_ins)
    lead = lead.replace("'", "['’]")
    return re.compile(rf"(?<![\w'’])(?i:{lead})[ \t]*:?[ \t]+(?P<name>{name})")


def firm_suffix_pattern(suffixes: Iterable[str]) -> re.Pattern[str]:
    """Match capitalized words followed by a firm suffix ("Acme Tax Relief", "Doe & Roe LLC")."""
    alternatives = (r"[ \t]+".join(re.escape(w) for w in s.split()) for s in suffixes)
    return re.compile(
        rf"(?P<name>{NAME_RUN})[ \t]+(?P<suffix>{alternation(alternatives)})(?![A-Za-z])"
    )


def firm_context_patterns(
    *,
    lead_ins: Iterable[str],
    follow_ons: Iterable[str],
    we_lead_ins: Iterable[str],
    possessive_nouns: Iterable[str] = (),
) -> tuple[re.Pattern[str], ...]:
    """Patterns capturing a firm's name from context: "contact X", "X can help", "At X, we",
    "X's attorneys"."""
    follow = alternation(_phrase_regex(p).replace("'", "['’]") for p in follow_ons)
    we_lead = alternation(_phrase_regex(p) for p in we_lead_ins)
    owned = alternation(_phrase_regex(p) for p in possessive_nouns)
    return (
        lead_in_pattern(lead_ins, name=NAME_RUN),
        re.compile(rf"(?P<name>{NAME_RUN})[ \t]+(?i:{follow})(?![\w])"),
        re.compile(rf"(?<![\w])(?i:{we_lead})[ \t]+(?P<name>{NAME_RUN}),?[ \t]+(?i:we)\b"),
        re.compile(rf"(?P<name>{NAME_RUN})['’]s?[ \t]+(?i:{owned})(?![\w])"),
    )


def opening_pattern(phrases: Iterable[str], *, tail: str = "") -> re.Pattern[str]:
    """Match folded text that opens with one of ``phrases`` (then ``tail``, when given)."""
    return re.compile(r"^" + alternation(_phrase_regex(p) for p in phrases) + r"(?!\w)" + tail)


def caption_subject_pattern(subjects: Iterable[str]) -> re.Pattern[str]:
    """Match folded text describing a picture: "a (worried) taxpayer reviewing ..."."""
    people = alternation(_phrase_regex(s) for s in subjects)
    return re.compile(
        rf"^(?:a|an|two|three|several)\s+(?:[a-z-]+\s+){{0,2}}?{people}\s+[a-z]+ing\b"
    )


def web_address_pattern(domains: Iterable[str]) -> re.Pattern[str]:
    """Match URLs and bare domain names ending in one of ``domains`` ("acme.tax", "IRS.gov")."""
    tlds = alternation(re.escape(d.lower()) for d in domains)
    return re.compile(
        r"(?i)\bhttps?://[^\s<>()\"]+|\bwww\.[^\s<>()\"]+"
        rf"|(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.{tlds}\b(?:/[^\s<>()\"]*)?"
    )


def bullet_pattern(bullets: Iterable[str]) -> re.Pattern[str]:
    """Match the marker opening a list item: a bullet glyph, "-", "*", "+" or "1." / "1)"."""
    glyphs = alternation(re.escape(b) for b in bullets)
    return re.compile(rf"^\s*(?:{glyphs}\ufe0f?|[-*+]|\d{{1,2}}[.)])\s+")


def bio_sentence_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """Match a line opening with a person's name and a bio verb ("Jane Doe is a ...")."""
    return re.compile(rf"^(?P<name>{PERSON_NAME})[ \t]+{alternation(map(re.escape, verbs))}\b")


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_PATH) -> MarketingRules:
    """Read and compile the drop rules (``marketing.yml`` next to this module by default)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))

    def words(key: str) -> list[str]:
        return [str(item) for item in data.get(key) or ()]

    return MarketingRules(
        call_to_action=phrase_pattern(words("call_to_action")),
        call_to_action_patterns=re.compile(alternation(words("call_to_action_patterns"))),
        sales_claims=phrase_pattern(words("sales_claims")),
        sales_hooks=opening_pattern(words("sales_hooks"), tail=r"[^?]*\?$"),
        list_references=opening_pattern(words("list_references")),
        caption_label=opening_pattern(words("caption_labels")),
        caption_subject=caption_subject_pattern(words("caption_subjects")),
        min_passage_words=int(data.get("min_passage_words") or DEFAULT_MIN_PASSAGE_WORDS),
        bio_cues=phrase_pattern(words("bio_cues")),
        bio_sentence=bio_sentence_pattern(words("bio_verbs")),
        author_line=lead_in_pattern(words("author_lead_ins"), name=PERSON_NAME),
        self_introduction=lead_in_pattern(words("self_introductions"), name=PERSON_NAME),
        navigation=frozenset(fold_line(line) for line in words("navigation")),
        navigation_patterns=re.compile(alternation(words("navigation_patterns"))),
        skip_sections=frozenset(fold_line(line) for line in words("skip_sections")),
        generic_headings=frozenset(fold_line(line) for line in words("generic_headings")),
        firm_suffix=firm_suffix_pattern(words("firm_suffixes")),
        firm_contexts=firm_context_patterns(
            lead_ins=words("firm_lead_ins"),
            follow_ons=words("firm_follow_ons"),
            we_lead_ins=words("firm_we_lead_ins"),
            possessive_nouns=words("firm_possessive_nouns"),
        ),
        generic_names=frozenset(fold(name) for name in words("generic_names")),
        web_address=web_address_pattern(words("web_domains")),
        bullet=bullet_pattern(words("bullets")),
        html_junk_markers=frozenset(fold(m) for m in words("html_junk_markers")),
    )

