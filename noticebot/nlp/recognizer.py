"""Rule-based recognizer of notice codes, IRS forms, money amounts, dates and contact details.

One spaCy pipeline (``build_nlp``) finds the candidate spans with an entity ruler built from
``patterns.yml``; the canonicalizers below turn each span into its value ("cp 504" -> "CP504",
"Form 433f" -> "433-F", "$12.4k" -> 12400.0, "March 3" -> "2026-03-03"). dateparser only
normalizes the date spans the ruler found, never the whole text.

A date also gets a role from the cue words in front of it in its clause ("respond by Dec 2" ->
``"deadline"``, "dated Nov 2" -> ``"notice"``, "it came yesterday" -> ``"received"``); the cues
are the ``date_roles`` section of ``patterns.yml``. A notice or received date is never in the
future, so a year-less one is read as the most recent such day.

Contact details for intake come out as ``contact_phone`` (E.164, checked by ``phonenumbers``),
``contact_email`` (normalized by ``email-validator``, offline) and ``contact_name`` (the words
after a cue such as "my name is", found by ``ContactNameFinder``, in title case).
"""

import datetime as dt
import logging
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
import spacy
import yaml
from dateparser.date import DateDataParser
from email_validator import EmailNotValidError, validate_email
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex

logger = logging.getLogger(__name__)

PATTERNS_PATH = Path(__file__).with_name("patterns.yml")
NOTICE_LABELS = ("notice_code", "form", "amount", "date")
CONTACT_LABELS = ("contact_name", "contact_email", "contact_phone")
LABELS = (*NOTICE_LABELS, *CONTACT_LABELS)
BLOCKER_LABEL = "_block"
FILTER_NAME = "noticebot_entity_filter"
NAME_FINDER_NAME = "noticebot_contact_names"
DEFAULT_PHONE_REGION = "US"
# Labels whose bare last number a following "days" or "taxes" makes a count or a tax year.
_COUNTABLE_LABELS = frozenset({"notice_code", "form", "amount"})

# A period after a code's letter suffix ("CP504B.") ends the sentence.
_CODE_LETTER_PERIOD_SUFFIX = r"(?<=\d[A-Za-z])\."
# Split "cp504.i" and "$5,000.thanks" after the number (typed without a space).
_DIGIT_PUNCT_LETTER_INFIX = r"(?<=[0-9])[.,](?=[A-Za-z])"
# Split ranges of scaled amounts: "3k-4k" -> "3k", "-", "4k"; "$3k-$4k" -> ..., "-", "$", "4k".
_SCALED_RANGE_INFIXES = (
    r"(?<=[0-9][kKmM])[-–](?=\$?[0-9])",
    r"(?<=[0-9][kKmM][-–])\$(?=[0-9])",
)
# ...which spaCy's URL matcher would otherwise keep whole, as if "504.is" were a domain.
_RUN_ON_AFTER_NUMBER = re.compile(r"[a-z]*\d+[.,][a-z]+", re.IGNORECASE)
# An e-mail address stays one token, whatever its case ("Jane.Doe@Gmail.COM" would otherwise split
# at ".D" like two sentences); a period after it is still split off.
_EMAIL_TOKEN_RE = re.compile(r"(?:mailto:)?[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Tokenizer exceptions "a." to "z." keep "433-a." from splitting its final period.
_SINGLE_LETTER_DOT = re.compile(r"[a-zA-Z]\.")

_CODE_RE = re.compile(
    r"""
    (?:(?P<word>notice|letter)s?\s*(?:\#|no\.?|num\.?|number)?\s*)?
    (?:(?P<prefix>cp|ltr|lt|l)\s*[-.\#:]?\s*)?
    (?P<num>\d{2,4})(?P<suffix>[a-z])?
    (?:\s*(?P<trail>notice|letter)s?)?
    """,
    re.VERBOSE,
)
_PLURAL_RE = re.compile(r"\ds\b")
_LEADING_FILLERS = re.compile(r"^(?:(?:the|irs|a|an|my|this|that|your)\s+)+")
_YEAR_RE = re.compile(r"(?:199\d|20[0-3]\d)")

_FORM_WORD_RE = re.compile(r"^(?:irs\s+)?(?:forms?|f\.)\s*")
_FORM_RE = re.compile(r"(?P<prefix>f)?(?P<num>\d{2,5})\s*-?\s*(?P<suffix>[a-z]{1,2})?")
_FORM_668_RE = re.compile(r"668\s*-?\s*\(?y\)?\s*\(?c\)?")
_LETTERED_FORM_RE = re.compile(r"(?P<num>\d+)-(?P<suffix>[A-Z]+)")

_MONEY_RE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<scale>[a-z]+(?:\s+[a-z]+)?)?"
)
_CURRENCY_PREFIX_RE = re.compile(r"^(?:us)?\$\s*")
_CURRENCY_SUFFIX_RE = re.compile(r"\s*\b(?:dollars?|usd|bucks)$")
_SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_LARGE_NUMBERS = {"thousand": 1_000, "million": 1_000_000}

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RE = re.compile(
    r"(?:(?P<shift>last|past|next|coming|this)\s+)?(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*"
)
_SLASH_DAY_RE = re.compile(r"\d{1,2}/\d{1,2}")
_DAY_OF_MONTH_RE = re.compile(r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)")
_FULL_NUMERIC_DATE_RE = re.compile(r"\d+[/-]\d+[/-]\d+")
_FOUR_DIGITS_RE = re.compile(r"\b\d{4}\b")
_MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)
# One token of a name: letters, maybe with inner apostrophes ("O'Neil"); "-" joins tokens.
_NAME_PART_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NAME_JOINERS = frozenset({"-", "'", "’"})
_DATE_CACHE_SIZE = 4096
# A year-less date at most this many days ahead is read as coming; later ones as past.
FUTURE_WINDOW_DAYS = 92
# Roles of dates that are never in the future: a year-less one is the most recent such day.
PAST_ROLES = frozenset({"notice", "received"})


@dataclass(frozen=True)
class Mention:
    """One recognized entity: label, text as written, char offsets, canonical value and role.

    ``role`` is set for dates only: ``"deadline"``, ``"notice"`` (the date printed on the notice),
    ``"received"``, or None when no cue word tells.
    """

    label: str
    text: str
    start: int
    end: int
    value: str | float
    role: str | None = None


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
    """The data of ``patterns.yml`` the pipeline and the canonicalizers use."""

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


@lru_cache(maxsize=1)
def load_rules(path: Path = PATTERNS_PATH) -> Rules:
    """Read ``patterns.yml`` once (on first use, never at import)."""
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream)
    numbers = raw["notice_numbers"]
    code_phrases = {
        _normalize(phrase): code
        for code, phrases in raw["notice_code"]["phrases"].items()
        for phrase in phrases
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
    )


def date_cues(section: Mapping[str, Any]) -> DateCues:
    """``DateCues`` of the ``date_roles`` section: every cue phrase split into its words."""

    def cues(kind: str) -> tuple[Cue, ...]:
        return tuple(
            (tuple(_normalize(phrase).split()), role)
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


def _normalize(text: str) -> str:
    """Lower-case ``text`` and collapse its whitespace."""
    return " ".join(text.lower().split())


# ---------------------------------------------------------------------------------------------
# Ruler patterns: data from patterns.yml, built by small functions.


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
    """All entity-ruler patterns: per-label token patterns and phrases, form spellings, blockers."""
    patterns: list[dict[str, Any]] = []
    for label in (*LABELS, BLOCKER_LABEL):
        section = rules.raw.get(label) or {}
        patterns.extend(token_patterns(label, section.get("token_patterns") or []))
        patterns.extend(phrase_patterns(label, section.get("phrases") or {}))
    patterns.extend(form_patterns(sorted(rules.known_forms), bare=rules.bare_forms))
    return patterns


# ---------------------------------------------------------------------------------------------
# The pipeline.


class EntityFilter:
    """Pipeline step after the ruler: drop blockers and counts, trim entities, add listed forms."""

    def __init__(
        self,
        *,
        count_words: Iterable[str],
        year_words: Iterable[str],
        amount_trigger_words: Iterable[str],
        day_of_month_followers: Iterable[str] = (),
        form_list_joiners: Iterable[str] = (),
        form_number_pattern: str = r"\d{2,5}(?:-?[a-z]{1,2})?",
    ) -> None:
        """Keep the word lists that make a number a count, a tax year, a date or a listed form."""
        self.count_words = frozenset(count_words)
        self.year_words = frozenset(year_words)
        self.amount_trigger_words = frozenset(amount_trigger_words)
        self.day_of_month_followers = frozenset(day_of_month_followers)
        self.form_list_joiners = frozenset(form_list_joiners)
        self.form_number = re.compile(form_number_pattern)

    def __call__(self, doc: Doc) -> Doc:
        """Rewrite ``doc.ents`` with the kept, trimmed entities and the listed forms."""
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_.startswith("_"):
                continue
            span = self._trim(ent)
            if span is None or (span.label_ in _COUNTABLE_LABELS and self._is_count_or_year(span)):
                continue
            kept.append(span)
            if span.label_ == "form":
                listed = list(self._listed_forms(span, taken=taken))
                taken.update(i for form in listed for i in range(form.start, form.end))
                kept.extend(listed)
        doc.set_ents(sorted(kept, key=lambda span: span.start), default="outside")
        return doc

    def _trim(self, ent: Span) -> Span | None:
        """``ent`` without its leading trigger words, or None for a count like "the 2nd notice"."""
        if ent.label_ == "amount":
            return self._trim_amount(ent)
        if ent.label_ == "date" and ent[0].lower_ == "the":
            return self._day_of_month(ent)
        return ent

    def _is_count_or_year(self, span: Span) -> bool:
        """True when ``span`` ends with a bare number that the next word makes a count or year."""
        last = span[-1]
        if not last.is_digit or span.end >= len(span.doc):
            return False
        following = span.doc[span.end].lower_
        if following in self.count_words:
            return True
        return bool(_YEAR_RE.fullmatch(last.text)) and following in self.year_words

    def _trim_amount(self, ent: Span) -> Span:
        """Drop the trigger words ("owe", "balance of") in front of an amount."""
        start = ent.start
        while start < ent.end - 1 and ent.doc[start].lower_ in self.amount_trigger_words:
            start += 1
        if start == ent.start:
            return ent
        return Span(ent.doc, start, ent.end, label=ent.label, span_id=ent.ent_id)

    def _day_of_month(self, ent: Span) -> Span | None:
        """Drop "the" from "the 15th"; None when a word like "notice" follows ("the 2nd notice")."""
        doc = ent.doc
        if ent.end < len(doc):
            following = doc[ent.end]
            is_end = following.is_punct or following.is_space
            if not is_end and following.lower_ not in self.day_of_month_followers:
                return None
        return Span(doc, ent.start + 1, ent.end, label=ent.label, span_id=ent.ent_id)

    def _listed_forms(self, form: Span, *, taken: Collection[int]) -> Iterator[Span]:
        """Form numbers listed after ``form``: "form 9465 or 656", "forms 12153, 9423 and 656-L".

        A listed number that is part of another entity, or a count or tax year ("30 days"), ends
        the list; a form the ruler already found is kept and the list goes on after it.
        """
        doc = form.doc
        position = form.end
        while True:
            start, last = position, min(position + 2, len(doc))  # ", and": two joiners at most
            while start < last and doc[start].lower_ in self.form_list_joiners:
                start += 1
            if start == position or start >= len(doc):
                return
            found = next((ent for ent in doc.ents if ent.start == start), None)
            if found is not None:
                if found.label_ != "form":
                    return
                position = found.end
                continue
            span = self._form_number_at(doc, start, taken=taken)
            if span is None or self._is_count_or_year(span):
                return
            yield span
            position = span.end

    def _form_number_at(self, doc: Doc, start: int, *, taken: Collection[int]) -> Span | None:
        """The longest form number written from token ``start`` ("656", "433-a"), else None."""
        for end in range(min(start + 3, len(doc)), start, -1):
            if any(i in taken for i in range(start, end)):
                continue
            text = doc[start:end].text.lower()
            if not self.form_number.fullmatch(text):
                continue
            code = canonical_form(f"form {text}")
            if code is not None:
                return Span(doc, start, end, label="form", span_id=code)
        return None


@Language.factory(FILTER_NAME)
def make_entity_filter(
    nlp: Language,
    name: str,
    count_words: list[str],
    year_words: list[str],
    amount_trigger_words: list[str],
    day_of_month_followers: list[str],
    form_list_joiners: list[str],
    form_number_pattern: str,
) -> EntityFilter:
    """spaCy factory of ``EntityFilter``."""
    return EntityFilter(
        count_words=count_words,
        year_words=year_words,
        amount_trigger_words=amount_trigger_words,
        day_of_month_followers=day_of_month_followers,
        form_list_joiners=form_list_joiners,
        form_number_pattern=form_number_pattern,
    )


@dataclass(frozen=True)
class NameCue:
    """A cue phrase before a name, as lower-case tokens; a loose cue needs more evidence."""

    words: tuple[str, ...]
    strong: bool


class ContactNameFinder:
    """Pipeline step after the filter: ``contact_name`` entities for the words after a cue.

    "my name is jane doe" -> "jane doe"; "I'm Jane" -> "Jane"; but not "i'm scared" or "this is
    a cp504". The word lists are the ``contact_name`` section of ``patterns.yml``.
    """

    def __init__(
        self,
        *,
        strong: Iterable[Sequence[str]],
        loose: Iterable[Sequence[str]],
        honorifics: Iterable[str] = (),
        enders: Iterable[str] = (),
        not_names: Iterable[str] = (),
        loose_not_names: Iterable[str] = (),
        loose_rejected_suffix: str = r"(?!)",
        max_words: int = 3,
        short_message: int = 4,
    ) -> None:
        """Keep the cues (longest first) and the word lists that end or rule out a name."""
        cues = [NameCue(tuple(words), strong=True) for words in strong]
        cues += [NameCue(tuple(words), strong=False) for words in loose]
        self.cues = tuple(sorted(cues, key=lambda cue: -len(cue.words)))
        self.honorifics = frozenset(honorifics)
        self.enders = frozenset(enders) | STOP_WORDS
        self.not_names = frozenset(not_names) | frozenset(enders)
        self.loose_not_names = self.not_names | frozenset(loose_not_names) | STOP_WORDS
        self.loose_rejected_suffix = re.compile(loose_rejected_suffix)
        self.max_words = max_words
        self.short_message = short_message

    def __call__(self, doc: Doc) -> Doc:
        """Add the names found after cue phrases to ``doc.ents`` (never over another entity)."""
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        words = [_word(token.text) for token in doc]
        names: list[Span] = []
        position = 0
        while position < len(doc):
            name = self._name_at(doc, position, words=words, taken=taken)
            if name is None:
                position += 1
                continue
            names.append(name)
            position = name.end
        if names:
            doc.set_ents(sorted([*doc.ents, *names], key=lambda span: span.start))
        return doc

    def _name_at(
        self, doc: Doc, start: int, *, words: Sequence[str], taken: Collection[int]
    ) -> Span | None:
        """The name after a cue phrase that starts at token ``start``, else None."""
        for cue in self.cues:
            end = start + len(cue.words)
            if tuple(words[start:end]) != cue.words or any(i in taken for i in range(start, end)):
                continue
            if end < len(doc) and not doc[end - 1].whitespace_:
                continue  # "this isnt": "is" glued to "nt"
            return self._name_after(doc, end, cue=cue, words=words, taken=taken)
        return None

    def _name_after(
        self, doc: Doc, start: int, *, cue: NameCue, words: Sequence[str], taken: Collection[int]
    ) -> Span | None:
        """The 1 to ``max_words`` name words from token ``start`` (past an honorific), or None."""
        position = start
        if position < len(doc) and words[position] in self.honorifics:
            position += 2 if position + 1 < len(doc) and words[position + 1] == "." else 1
        parts: list[Span] = []
        while len(parts) < self.max_words:
            end = _name_word_end(doc, position, taken=taken)
            if end is None:
                break
            part = doc[position:end]
            if parts and (
                _word(part.text) in self.enders
                or (_is_capitalized(parts[0].text) and not _is_capitalized(part.text))
            ):
                break
            parts.append(part)
            position = end
        if not parts or _is_possessive(doc, position, words=words):
            return None  # "i'm jane's mom"
        if not self._may_start_name(parts, cue=cue, rest=doc[start:]):
            return None
        return Span(doc, parts[0].start, parts[-1].end, label="contact_name")

    def _may_start_name(self, parts: Sequence[Span], *, cue: NameCue, rest: Span) -> bool:
        """Whether ``parts`` make a name after ``cue``; ``rest`` is the text after the cue."""
        first = _word(parts[0].text)
        capitalized = all(_is_capitalized(part.text) for part in parts)
        if cue.strong:
            return first not in self.not_names and (capitalized or first not in STOP_WORDS)
        if first in self.loose_not_names or self.loose_rejected_suffix.search(first):
            return False
        words_after = sum(1 for token in rest if not (token.is_punct or token.is_space))
        return capitalized or words_after <= self.short_message


def _word(text: str) -> str:
    """Lower-case ``text`` with typographic apostrophes made plain ("I’m" -> "i'm")."""
    return text.lower().replace("’", "'")


def _is_capitalized(text: str) -> bool:
    """True when ``text`` starts with an upper-case letter."""
    return text[:1].isupper()


def _is_possessive(doc: Doc, position: int, *, words: Sequence[str]) -> bool:
    """True when token ``position`` is an "'s" glued to the word before it."""
    return position < len(doc) and words[position] == "'s" and not doc[position - 1].whitespace_


def _name_word_end(doc: Doc, start: int, *, taken: Collection[int]) -> int | None:
    """End of the name-shaped word at token ``start`` ("Jane", "O'Neil", "Mary-Jane"), else None.

    A name word is a run of letters; hyphens and apostrophes may join such runs without spaces.
    A token of another entity is never part of a name.
    """
    if start >= len(doc) or start in taken or not _NAME_PART_RE.fullmatch(doc[start].text):
        return None
    end = start + 1
    while (
        end + 1 < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].text in _NAME_JOINERS
        and not doc[end].whitespace_
        and end + 1 not in taken
        and _NAME_PART_RE.fullmatch(doc[end + 1].text)
    ):
        end += 2
    return end


@Language.factory(NAME_FINDER_NAME)
def make_contact_name_finder(
    nlp: Language,
    name: str,
    strong: list[str],
    loose: list[str],
    honorifics: list[str],
    enders: list[str],
    not_names: list[str],
    loose_not_names: list[str],
    loose_rejected_suffix: str,
    max_words: int,
    short_message: int,
) -> ContactNameFinder:
    """spaCy factory of ``ContactNameFinder``; the cue phrases are split by ``nlp``'s tokenizer."""

    def split(phrases: Iterable[str]) -> list[list[str]]:
        return [[_word(token.text) for token in nlp.make_doc(phrase)] for phrase in phrases]

    return ContactNameFinder(
        strong=split(strong),
        loose=split(loose),
        honorifics=honorifics,
        enders=enders,
        not_names=not_names,
        loose_not_names=loose_not_names,
        loose_rejected_suffix=loose_rejected_suffix,
        max_words=max_words,
        short_message=short_message,
    )


def contact_name_config(rules: Rules) -> dict[str, Any]:
    """Config of the name finder from the ``contact_name`` section of ``patterns.yml``.

    Month and weekday names never follow a loose cue as a name ("it's March", "it's monday").
    """
    section = rules.raw["contact_name"]
    words = rules.raw["words"]
    return {
        "strong": list(section["strong"]),
        "loose": list(section["loose"]),
        "honorifics": list(section["honorifics"]),
        "enders": list(section["enders"]),
        "not_names": list(section["not_names"]),
        "loose_not_names": sorted({*words["months"], *words["weekdays"]}),
        "loose_rejected_suffix": section["loose_rejected_suffix"],
        "max_words": int(section["max_words"]),
        "short_message": int(section["short_message"]),
    }


def amount_trigger_words(rules: Rules) -> list[str]:
    """Words trimmed from the front of an amount: the "owe"/"balance of" triggers and fillers."""
    words = rules.raw["words"]
    lists = ("owe_words", "balance_words", "balance_links", "amount_fillers", "amount_joiners")
    return sorted({word for name in lists for word in words[name]})


def _tune_tokenizer(nlp: Language) -> None:
    """Split "cp504.i" run-ons and "3k-4k" ranges; keep e-mail addresses and "433-a." whole."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        raise TypeError(f"expected spaCy's Tokenizer, got {type(tokenizer).__name__}")
    infixes = [*(nlp.Defaults.infixes or []), _DIGIT_PUNCT_LETTER_INFIX, *_SCALED_RANGE_INFIXES]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "CP504B." and "CP508C." at the end of a sentence: the period is not part of the code
    # (spaCy keeps a period after a capital letter, as in "U.S.").
    suffixes = [*(nlp.Defaults.suffixes or []), _CODE_LETTER_PERIOD_SUFFIX]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    tokenizer.token_match = _email_or(tokenizer.token_match)
    url_match = tokenizer.url_match
    if url_match is not None:
        tokenizer.url_match = _url_match_except_run_ons(url_match)
    tokenizer.rules = {
        orth: attrs
        for orth, attrs in (tokenizer.rules or {}).items()
        if not _SINGLE_LETTER_DOT.fullmatch(orth)
    }


def _email_or(
    token_match: Callable[[str], re.Match[str] | None] | None,
) -> Callable[[str], re.Match[str] | None]:
    """A token matcher that keeps an e-mail address whole, else asks ``token_match``."""

    def match(text: str) -> re.Match[str] | None:
        email = _EMAIL_TOKEN_RE.fullmatch(text)
        if email is not None or token_match is None:
            return email
        return token_match(text)

    return match


def _url_match_except_run_ons(
    url_match: Callable[[str], re.Match[str] | None],
) -> Callable[[str], re.Match[str] | None]:
    """spaCy's URL matcher, except for "cp504.is"-style run-ons (not URLs)."""

    def match(text: str) -> re.Match[str] | None:
        if _RUN_ON_AFTER_NUMBER.fullmatch(text):
            return None
        return url_match(text)

    return match


def build_nlp() -> Language:
    """A blank English pipeline: ruler from patterns.yml, lemmatizer, filter, name finder."""
    rules = load_rules()
    nlp = spacy.blank("en")
    _tune_tokenizer(nlp)
    # The ruler goes first so that its phrase patterns are only tokenized, not lemmatized.
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True}
    )
    ruler.add_patterns(ruler_patterns(rules))  # type: ignore[attr-defined]
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"expected spaCy's Lemmatizer, got {type(lemmatizer).__name__}")
    lemmatizer.initialize()  # loads the lookup table of spacy-lookups-data
    nlp.add_pipe(
        FILTER_NAME,
        config={
            "count_words": list(rules.raw["count_words"]),
            "year_words": list(rules.raw["year_words"]),
            "amount_trigger_words": amount_trigger_words(rules),
            "day_of_month_followers": list(rules.raw["day_of_month_followers"]),
            "form_list_joiners": list(rules.raw["form_list"]["joiners"]),
            "form_number_pattern": rules.raw["form_list"]["number"],
        },
    )
    nlp.add_pipe(NAME_FINDER_NAME, config=contact_name_config(rules))
    logger.debug("built the recognizer pipeline: %s", nlp.pipe_names)
    return nlp


# ---------------------------------------------------------------------------------------------
# Canonical values.


def canonical_notice_code(text: str) -> str | None:
    """Canonical notice code of ``text`` ("cp 504" -> "CP504", "letter 1058" -> "LTR1058")."""
    rules = load_rules()
    phrase = _LEADING_FILLERS.sub("", _normalize(text))
    if phrase in rules.code_phrases:
        return rules.code_phrases[phrase]
    match = _CODE_RE.fullmatch(phrase)
    if match is None:
        return None
    number = match["num"]
    suffix = (match["suffix"] or "").upper()
    if suffix == "S" and _PLURAL_RE.search(text):  # "two cp504s", but "CP71S" is a notice
        suffix = ""
    prefix = match["prefix"]
    if prefix is not None:
        return _prefixed_code(prefix, number, suffix)
    word = match["word"] or match["trail"]
    if word is None:
        return None  # a bare number is not a notice code
    if _YEAR_RE.fullmatch(number) and number not in rules.cp_numbers:
        return None  # "the 2024 notice"
    if number in rules.lt_numbers:
        series = "LT"
    elif number in rules.ltr_numbers:
        series = "LTR"
    elif number in rules.cp_numbers:
        series = "CP"
    elif word == "letter":
        series = "LTR"
    else:
        return None  # "notice 1444": not a number of a known CP notice
    return f"{series}{number}{suffix}"


def _prefixed_code(prefix: str, number: str, suffix: str) -> str | None:
    """Code for an explicit series prefix; LT with 3+ digits and L are letters ("LT1058")."""
    if prefix == "cp":
        return f"CP{number}{suffix}"
    if prefix == "lt" and len(number) <= 2:
        return f"LT{number}{suffix}"
    if prefix == "l" and len(number) < 4:
        return None
    return f"LTR{number}{suffix}"


def canonical_form(text: str) -> str | None:
    """Canonical IRS form number ("Form 433f" -> "433-F", "12153" -> "12153"), else None."""
    rules = load_rules()
    phrase = _normalize(text)
    without_word = _FORM_WORD_RE.sub("", phrase)
    has_word = without_word != phrase
    if _FORM_668_RE.fullmatch(without_word):
        return "668(Y)(c)"
    match = _FORM_RE.fullmatch(without_word)
    if match is None:
        return None
    code = match["num"] + (f"-{match['suffix'].upper()}" if match["suffix"] else "")
    if code in rules.known_forms or (has_word and match["prefix"] is None):
        return code
    return None


def parse_amount(text: str) -> float | None:
    """Money amount of ``text`` ("$12,400" -> 12400.0, "8 hundred" -> 800.0), else None."""
    phrase = _CURRENCY_PREFIX_RE.sub("", _normalize(text))
    phrase = _CURRENCY_SUFFIX_RE.sub("", phrase).strip()
    match = _MONEY_RE.fullmatch(phrase)
    if match is None:
        words = _number_from_words(phrase)
        return float(words) if words else None
    scales = load_rules().scales
    scale = 1.0
    for word in (match["scale"] or "").split():  # "2 hundred thousand": both scales
        if word not in scales:
            return None
        scale *= scales[word]
    return round(float(match["num"].replace(",", "")) * scale, 2)


def _number_from_words(phrase: str) -> int | None:
    """Integer spelled in English words ("five hundred", "twenty-five"), else None."""
    words = [word for word in re.split(r"[\s-]+", phrase) if word and word != "and"]
    if words[:1] in (["a"], ["an"]):
        words = ["one", *words[1:]]
    total = current = 0
    for word in words:
        if word in _SMALL_NUMBERS:
            current += _SMALL_NUMBERS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _LARGE_NUMBERS:
            total += max(current, 1) * _LARGE_NUMBERS[word]
            current = 0
        else:
            return None
    return (total + current) or None


def canonical_phone(text: str, *, region: str = DEFAULT_PHONE_REGION) -> str | None:
    """E.164 form of a valid phone number ("(415) 555-0132" -> "+14155550132"), else None.

    A number without a leading + is read in ``region``; an impossible or unassigned one (an SSN,
    "555.123.4567") gives None.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def canonical_email(text: str) -> str | None:
    """Normalized e-mail address ("Jane@Gmail.COM" -> "Jane@gmail.com"), else None.

    ``email-validator`` checks the syntax only (no DNS look-up); "mailto:" is dropped.
    """
    address = _MAILTO_RE.sub("", text.strip())
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def canonical_name(text: str) -> str:
    """A name in title case ("jane doe" -> "Jane Doe"); a mixed-case word stays ("McDonald")."""
    return " ".join(
        word.title() if word.islower() or word.isupper() else word for word in text.split()
    )


@lru_cache(maxsize=16)
def _date_parser(today: dt.date) -> DateDataParser:
    """A dateparser parser relative to ``today`` (English, month-day-year order)."""
    settings = {
        "RELATIVE_BASE": dt.datetime(today.year, today.month, today.day),
        "DATE_ORDER": "MDY",
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=_DATE_CACHE_SIZE)
def _dateparser_date(phrase: str, today: dt.date) -> dt.date | None:
    """dateparser's reading of ``phrase`` relative to ``today`` (cached: dateparser is slow)."""
    data = _date_parser(today).get_date_data(phrase)
    return data.date_obj.date() if data.date_obj is not None else None


def parse_date(
    text: str, *, today: dt.date, past: bool = False, future: bool = False
) -> dt.date | None:
    """Date of ``text`` relative to ``today``; a year-less date is recent or coming soon.

    With ``past`` (a notice or received date), a year-less date is the most recent such day. A
    weekday alone ("tuesday") is the most recent one, or the next one with ``future`` (a
    deadline: "due friday").
    """
    phrase = _normalize(text)
    if not phrase or phrase.isdigit():
        return None
    weekday = _weekday_date(phrase, today=today, future=future)
    if weekday is not None:
        return weekday
    day_of_month = _DAY_OF_MONTH_RE.fullmatch(phrase)
    if day_of_month is not None:
        return _nearest_day_of_month(int(day_of_month["day"]), today=today, past=past)
    day = _dateparser_date(phrase, today)
    if day is None:
        return None
    if _is_yearless(phrase):
        day = _nearest_year(day, today=today, past=past)
    return day


def _weekday_date(phrase: str, *, today: dt.date, future: bool = False) -> dt.date | None:
    """"last tuesday", "next friday", "this friday", "tuesday" (dateparser reads only some)."""
    match = _WEEKDAY_RE.fullmatch(phrase)
    if match is None:
        return None
    weekday = _WEEKDAYS.index(match["day"])
    if match["shift"] is None and not future:
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    if match["shift"] in ("last", "past"):
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    ahead = (weekday - today.weekday()) % 7
    if match["shift"] in ("next", "coming"):
        ahead = ahead or 7
    return today + dt.timedelta(days=ahead)


def _is_yearless(phrase: str) -> bool:
    """True for a calendar date written without its year ("march 3", "12/1")."""
    if _FOUR_DIGITS_RE.search(phrase) or _FULL_NUMERIC_DATE_RE.search(phrase):
        return False
    words = set(re.findall(r"[a-z]+", phrase))
    return bool(words & load_rules().months) or bool(_SLASH_DAY_RE.fullmatch(phrase))


def _nearest_year(day: dt.date, *, today: dt.date, past: bool = False) -> dt.date:
    """``day`` in the year that fits a notice: within the coming weeks, else the last 12 months.

    A year-less date in a message is a notice date (past) or a deadline (soon): "Dec 1" read on
    2026-11-23 is 2026-12-01, "Jan 5" is 2027-01-05, but "March 3" is 2026-03-03, not a date
    more than ``FUTURE_WINDOW_DAYS`` ahead. With ``past``, "Dec 1" is 2025-12-01.
    """
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # February 29 outside a leap year
            continue
    return _nearest(candidates, today=today, past=past) or day


def _nearest_day_of_month(day: int, *, today: dt.date, past: bool = False) -> dt.date | None:
    """Day ``day`` of a month near ``today`` ("the 2nd"), by the rule of ``_nearest_year``."""
    candidates = []
    for shift in range(-2, 4):
        year, month = divmod(today.month - 1 + shift, 12)
        try:
            candidates.append(dt.date(today.year + year, month + 1, day))
        except ValueError:  # the 31st of a 30-day month
            continue
    return _nearest(candidates, today=today, past=past)


def _nearest(candidates: Sequence[dt.date], *, today: dt.date, past: bool) -> dt.date | None:
    """The first candidate at most ``FUTURE_WINDOW_DAYS`` ahead, else the latest one by ``today``.

    With ``past`` only the candidates up to ``today`` count.
    """
    if not past:
        ahead = [c for c in candidates if 0 <= (c - today).days <= FUTURE_WINDOW_DAYS]
        if ahead:
            return min(ahead)
    before = [c for c in candidates if c <= today]
    return max(before, default=None)


def date_role(ent: Span, *, cues: DateCues) -> str | None:
    """Role of the date ``ent`` from the cue words before it in its clause, else None.

    The cue that ends nearest to the date wins, then the longer one: in "CP504 dated 11/2 says
    pay by 11/22", "11/2" is the notice date and "11/22" the deadline.
    """
    doc = ent.doc
    begin = max(0, ent.start - cues.lookback)
    for i in range(ent.start - 1, begin - 1, -1):
        token = doc[i]
        if i == ent.start - 1 and token.lower_ in cues.gap_words:
            continue  # "Pay by: December 2": a label's colon right before the date
        if token.lower_ in cues.clause_breaks or "\n" in token.text or token.ent_type_ == "date":
            begin = i + 1
            break
    words = [token.lower_ for token in doc[begin : ent.start]]
    adjacent_end = len(words)
    while adjacent_end > 0 and words[adjacent_end - 1] in cues.gap_words:
        adjacent_end -= 1
    best: tuple[int, int, str] | None = None  # (where the cue ends, its length, role)
    for phrase, role in cues.adjacent:
        if tuple(words[adjacent_end - len(phrase) : adjacent_end]) == phrase:
            best = max(best or (0, 0, ""), (len(words) + 1, len(phrase), role))
    for phrase, role in cues.clause:
        for end in range(len(phrase), len(words) + 1):
            if tuple(words[end - len(phrase) : end]) == phrase:
                best = max(best or (0, 0, ""), (end, len(phrase), role))
    return best[2] if best is not None else None


def _mention_value(ent: Span, *, today: dt.date, role: str | None = None) -> str | float | None:
    """Canonical value of an entity, or None when the span does not hold one."""
    if ent.label_ == "notice_code":
        return ent.ent_id_ or canonical_notice_code(ent.text)
    if ent.label_ == "form":
        return ent.ent_id_ or canonical_form(ent.text)
    if ent.label_ == "amount":
        return parse_amount(ent.text)
    if ent.label_ == "contact_phone":
        return canonical_phone(ent.text, region=load_rules().phone_region)
    if ent.label_ == "contact_email":
        return canonical_email(ent.text)
    if ent.label_ == "contact_name":
        return canonical_name(ent.text)
    day = parse_date(ent.text, today=today, past=role in PAST_ROLES, future=role == "deadline")
    return day.isoformat() if day is not None else None


def _mentions(ents: Sequence[Span], *, today: dt.date) -> Iterator[Mention]:
    """Mentions of the recognizer's labels among ``ents``, skipping spans without a value."""
    cues = load_rules().date_cues
    for ent in ents:
        if ent.label_ not in LABELS:
            continue
        role = date_role(ent, cues=cues) if ent.label_ == "date" else None
        value = _mention_value(ent, today=today, role=role)
        if value is None:
            logger.debug("no %s value in %r", ent.label_, ent.text)
            continue
        yield Mention(
            label=ent.label_,
            text=ent.text,
            start=ent.start_char,
            end=ent.end_char,
            value=value,
            role=role,
        )


class Recognizer:
    """Find notice codes, forms, amounts, dates and contact details in a message or document."""

    def __init__(self, nlp: Language | None = None) -> None:
        """Use ``nlp`` (from ``build_nlp``) or build the pipeline now."""
        self.nlp: Language = nlp if nlp is not None else build_nlp()

    def recognize(self, text: str, *, today: dt.date | None = None) -> list[Mention]:
        """Mentions in ``text``, sorted by start, without overlaps."""
        return self.mentions(self.nlp(text), today=today)

    def mentions(self, doc: Doc, *, today: dt.date | None = None) -> list[Mention]:
        """Mentions in a doc this recognizer's pipeline already processed."""
        day = today if today is not None else dt.date.today()
        return sorted(_mentions(doc.ents, today=day), key=lambda mention: mention.start)
