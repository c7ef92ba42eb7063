"""The data of ``patterns.yml`` and the catalog's notice phrases, read once into :class:`Rules`;
the labels the recognizer gives."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.settings import get_settings

# ``patterns.yml`` sits in ``noticebot/nlp/``, beside this package.
PATTERNS_PATH = Path(__file__).parent.with_name("patterns.yml")
# The catalog of the repository, whose notices list the phrases read as them
# (``recognized_phrases``). Always this file, whatever ``NOTICEBOT_KNOWLEDGE_DIR`` says.
NOTICES_FILE = "notices.yml"  # the catalog's notices, with the phrases recognized as each
NOTICE_LABELS = ("notice_code", "form", "amount", "date")
CONTACT_LABELS = ("contact_name", "contact_email", "contact_phone")
LABELS = (*NOTICE_LABELS, *CONTACT_LABELS)
BLOCKER_LABEL = "_block"
DEFAULT_PHONE_REGION = "US"


Cue = tuple[tuple[str, ...], str]


@dataclass(frozen=True)
class DateCues:
    """The ``date_roles`` section of ``patterns.yml``: cue phrases (as words) and their roles."""

    lookback: int
    clause_breaks: frozenset[str]
    gap_words: frozenset[str]
    adjacent: tuple[Cue, ...]
    clause: tuple[Cue, ...]


@dataclass(frozen=True)
class Rules:
    """The data of ``patterns.yml`` the pipeline and the canonicalizers use, and the catalog's
    notice phrases (``notice_phrases``: code -> phrases; ``code_phrases``: phrase -> code)."""

    raw: Mapping[str, Any]
    code_phrases: Mapping[str, str]
    lt_numbers: frozenset[str]
    ltr_numbers: frozenset[str]
    cp_numbers: frozenset[str]
    known_forms: frozenset[str]
    bare_forms: frozenset[str]
    scales: Mapping[str, float]
    months: frozenset[str]
    date_cues: DateCues
    phone_region: str = DEFAULT_PHONE_REGION
    notice_phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_rules(path: Path = PATTERNS_PATH, notices_path: Path | None = None) -> Rules:
    """Read ``patterns.yml`` and the catalog's notice phrases once (on first use, never at
    import); the catalog is the settings' (``NOTICEBOT_KNOWLEDGE_DIR``) unless given."""
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream)
    numbers = raw["notice_numbers"]
    phrases_of = notice_phrases(notices_path or get_settings().knowledge_dir / NOTICES_FILE)
    code_phrases = {
        normalize(phrase): code for code, phrases in phrases_of.items() for phrase in phrases
    }
    return Rules(
        raw=raw,
        code_phrases=code_phrases,
        lt_numbers=frozenset(numbers["lt"]),
        ltr_numbers=frozenset(numbers["ltr"]),
        cp_numbers=frozenset(numbers["cp"]),
        known_forms=frozenset(raw["forms"]["known"]),
        bare_forms=frozenset(raw["forms"]["bare"]),
        scales={word: float(value) for word, value in raw["scales"].items()},
        months=frozenset(month.rstrip(".") for month in raw["words"]["months"]),
        date_cues=date_cues(raw["date_roles"]),
        phone_region=str(raw["contact_phone"].get("region") or DEFAULT_PHONE_REGION),
        notice_phrases=phrases_of,
    )


def notice_phrases(path: Path) -> dict[str, tuple[str, ...]]:
    """The ``recognized_phrases`` of the catalog's notices, by code, in catalog order: the phrases
    read as a notice wherever a message says them ("notice of intent to levy" -> CP504)."""
    with path.open(encoding="utf-8") as stream:
        catalog = yaml.safe_load(stream)
    return {
        str(entry["code"]): tuple(str(phrase) for phrase in entry["recognized_phrases"])
        for entry in catalog.get("notices") or ()
        if entry.get("recognized_phrases")
    }


def date_cues(section: Mapping[str, Any]) -> DateCues:
    """``DateCues`` of the ``date_roles`` section: every cue phrase split into its words."""

    def cues(kind: str) -> tuple[Cue, ...]:
        return tuple(
            (tuple(normalize(phrase).split()), role)
            for role, lists in section["cues"].items()
            for phrase in lists.get(kind) or []
        )

    return DateCues(
        lookback=int(section["lookback"]),
        clause_breaks=frozenset(section["clause_breaks"]),
        gap_words=frozenset(section["gap_words"]),
        adjacent=cues("adjacent"),
        clause=cues("clause"),
    )


def normalize(text: str) -> str:
    """Lower-case ``text`` and collapse its whitespace."""
    return " ".join(text.lower().split())

