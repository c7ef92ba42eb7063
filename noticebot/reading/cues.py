"""Cue phrases of ``cues.yml``: what a message states about the person, and what it asks.

The text is normalized (``normalize``), cut into sentences and clauses, and every cue of a fact
is looked for. A cue inside a question states nothing; a negated cue means the opposite (or
nothing, for a label such as a red flag); of several cues of one fact, the last one wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CUES_PATH = Path(__file__).with_name("cues.yml")

# Facts with a true/false value (``when_true`` / ``when_false`` in the YAML).
BOOLEAN_FACTS = (
    "agrees",
    "can_pay_in_full",
    "can_cure_missed",
    "installment_agreement",
    "missed_installment",
    "hardship",
    "wants_human",
)
# Flags: present or not (a negated or questioned cue says nothing).
FLAG_SECTIONS = ("no_red_flags", "unsure", "no_date")
# The order in which dispute reasons win when several are stated (the most specific first).
DISPUTE_PRIORITY = (
    "identity_theft",
    "payment_not_credited",
    "already_paid",
    "never_filed",
    "not_mine",
    "wrong_amount",
)

_WORD_RE = re.compile(r"[a-z][a-z']*|&")
_SENTENCE_END_RE = re.compile(r"(?<!\d)[.!?]+(?!\d)|\n+|(?<=\d)[.!?]+(?=\s|$)")
_CLAUSE_PUNCT_RE = re.compile(r"[,;:()\"]|(?<!\w)-(?!\w)|—|–")


@dataclass(frozen=True)
class Cue:
    """One cue: its compiled pattern, the value it states, how negation and questions apply."""

    regex: re.Pattern[str]
    value: Any
    negatable: bool = True
    in_questions: bool = False
    unless_before: re.Pattern[str] | None = None  # tested on the clause before the cue
    unless_after: re.Pattern[str] | None = None  # tested on the rest of the cue's sentence


@dataclass(frozen=True)
class CueBook:
    """Everything ``cues.yml`` holds, compiled."""

    replacements: Mapping[str, str]
    negators: tuple[tuple[str, ...], ...]
    negation_window: int
    clause_words: frozenset[str]
    question_starts: re.Pattern[str]
    inner_question_starts: re.Pattern[str]
    facts: Mapping[str, tuple[Cue, ...]]
    dispute_reasons: Mapping[str, tuple[Cue, ...]]
    red_flags: Mapping[str, tuple[Cue, ...]]
    flags: Mapping[str, tuple[Cue, ...]]
    asks: Mapping[str, tuple[Cue, ...]]
    request_words: frozenset[str]
    acknowledgement: re.Pattern[str]
    opening_yes: re.Pattern[str]
    opening_no: re.Pattern[str]
    other_date_window: int
    other_date_words: frozenset[str]
    other_date_notice_words: frozenset[str]


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){pattern}(?!\w)")


def _cue(raw: Any, value: Any, *, in_questions: bool = False) -> Cue:
    if isinstance(raw, str):
        return Cue(_compile(raw), value, negatable=True, in_questions=in_questions)
    unless = raw.get("unless_before")
    unless_after = raw.get("unless_after")
    return Cue(
        _compile(str(raw["pattern"])),
        value,
        negatable=bool(raw.get("negatable", True)),
        in_questions=bool(raw.get("in_questions", in_questions)),
        unless_before=re.compile(rf"(?<!\w)(?:{unless})(?!\w)") if unless else None,
        unless_after=re.compile(rf"(?<!\w)(?:{unless_after})(?!\w)") if unless_after else None,
    )


def _cues(raws: Iterable[Any], value: Any, *, in_questions: bool = False) -> tuple[Cue, ...]:
    return tuple(_cue(raw, value, in_questions=in_questions) for raw in raws or ())


def _labelled(
    section: Mapping[str, Any], *, in_questions: bool = False
) -> dict[str, tuple[Cue, ...]]:
    """Cues by label. A label may hold {unless_after: ..., cues: [...]}: the option then
    applies to each of its cues that does not set its own."""
    out = {}
    for label, raws in section.items():
        if isinstance(raws, Mapping):
            defaults = {k: v for k, v in raws.items() if k != "cues"}
            raws = [
                {**defaults, **({"pattern": raw} if isinstance(raw, str) else raw)}
                for raw in raws["cues"]
            ]
        out[str(label)] = _cues(raws, str(label), in_questions=in_questions)
    return out


def _word(value: Any) -> str:
    """A word of a YAML list; an unquoted no/yes (read as a boolean) is refused."""
    if isinstance(value, bool):
        raise ValueError("cues.yml: quote yes, no, on and off (YAML reads them as booleans)")
    return str(value)


def _any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<![\w'])(?:{pattern})" for pattern in patterns))


def parse_cue_book(raw: Mapping[str, Any]) -> CueBook:
    """Compile the cue book from a plain mapping (as read from ``cues.yml``)."""
    facts = {}
    for name in BOOLEAN_FACTS:
        section = raw["facts"][name]
        facts[name] = (
            *_cues(section.get("when_true"), True),
            *_cues(section.get("when_false"), False),
        )
    return CueBook(
        replacements={_word(k).lower(): _word(v) for k, v in raw["replacements"].items()},
        negators=tuple(tuple(_word(n).split()) for n in raw["negators"]),
        negation_window=int(raw["negation_window"]),
        clause_words=frozenset(_word(w) for w in raw["clause_words"]),
        question_starts=_any_of(raw["question_starts"]),
        inner_question_starts=_any_of(raw["inner_question_starts"]),
        facts=facts,
        dispute_reasons=_labelled(raw["facts"]["dispute_reason"]),
        red_flags=_labelled(raw["red_flags"]),
        flags={name: _cues(raw[name], True, in_questions=True) for name in FLAG_SECTIONS},
        asks=_labelled(raw["asks"], in_questions=True),
        request_words=frozenset(_word(w) for w in raw["request_words"]),
        opening_yes=re.compile(rf"^\W*(?:{raw['opening_yes']})"),
        opening_no=re.compile(rf"^\W*(?:{raw['opening_no']})"),
        acknowledgement=re.compile(
            r"(?:" + "|".join(raw["acknowledgements"]) + r")[\s.!,]*"
        ),
        other_date_window=int(raw["other_dates"]["window"]),
        other_date_words=frozenset(_word(w) for w in raw["other_dates"]["words"]),
        other_date_notice_words=frozenset(_word(w) for w in raw["other_dates"]["notice_words"]),
    )


@lru_cache(maxsize=1)
def load_cue_book(path: Path = CUES_PATH) -> CueBook:
    """Read and compile ``cues.yml`` once (on first use, never at import)."""
    with path.open(encoding="utf-8") as handle:
        return parse_cue_book(yaml.safe_load(handle))


def normalize(text: str, book: CueBook) -> str:
    """Lower case, plain quotes, the word replacements applied, whitespace collapsed."""
    lowered = (
        text.lower()
        .replace("’", "'")
        .replace("‘", "'")
        .replace("`", "'")
        .replace("“", '"')
        .replace("”", '"')
    )
    replaced = _WORD_RE.sub(lambda m: book.replacements.get(m.group(0), m.group(0)), lowered)
    return re.sub(r"[ \t\r\f\v]+", " ", replaced).strip()


@dataclass(frozen=True)
class Segments:
    """Where the clauses of a normalized text start, and which stretches are questions."""

    text: str
    clause_starts: tuple[int, ...]
    questions: tuple[tuple[int, int], ...]

    def clause_start(self, position: int) -> int:
        """Start of the clause that holds ``position``."""
        start = 0
        for boundary in self.clause_starts:
            if boundary > position:
                break
            start = boundary
        return start

    def sentence_start(self, position: int) -> int:
        """Start of the sentence that holds ``position``."""
        return max(
            (m.end() for m in _SENTENCE_END_RE.finditer(self.text[:position])), default=0
        )

    def in_question(self, position: int) -> bool:
        """True when ``position`` lies in a question."""
        return any(start <= position < end for start, end in self.questions)


def _sentences(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, ends with a question mark) of each sentence."""
    found = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if match.start() > start:
            found.append((start, match.start(), "?" in match.group(0)))
        start = match.end()
    if start < len(text):
        found.append((start, len(text), False))
    return found


def segment(text: str, book: CueBook) -> Segments:
    """Cut a normalized text into clauses and find its questions."""
    starts: set[int] = {0}
    for match in _SENTENCE_END_RE.finditer(text):
        starts.add(match.end())
    for match in _CLAUSE_PUNCT_RE.finditer(text):
        starts.add(match.end())
    for match in re.finditer(r"[a-z]+", text):
        if match.group(0) in book.clause_words:
            starts.add(match.start())
    clause_starts = tuple(sorted(starts))
    questions = []
    for start, end, asked in _sentences(text):
        question_start = None
        for match in book.question_starts.finditer(text, start, end):
            before = text[start : match.start()].rstrip()
            if not before or before[-1] in ",;:(" or before.split()[-1] in book.clause_words:
                question_start = match.start()
                break
        inner = book.inner_question_starts.search(text, start, end)
        if inner is not None and (question_start is None or inner.start() < question_start):
            question_start = inner.start()
        if question_start is None and asked:
            question_start = max((s for s in clause_starts if start <= s < end), default=start)
        if question_start is not None:
            questions.append((question_start, end))
    return Segments(text=text, clause_starts=clause_starts, questions=tuple(questions))


def _negated(segments: Segments, position: int, book: CueBook) -> bool:
    """True when a negator stands in the last ``negation_window`` words before ``position``
    in the same clause."""
    clause = segments.text[segments.clause_start(position) : position]
    words = re.findall(r"[a-z]+", clause)[-book.negation_window :]
    for negator in book.negators:
        size = len(negator)
        if any(tuple(words[i : i + size]) == negator for i in range(len(words) - size + 1)):
            return True
    return False


@dataclass(frozen=True)
class Hit:
    """A cue found in the text: where, and the value it states there."""

    start: int
    end: int
    value: Any


def find(
    cues: Sequence[Cue], segments: Segments, book: CueBook, *, labels: bool = False
) -> list[Hit]:
    """Where ``cues`` are stated in the text, in order; cues inside longer ones dropped.

    A negated cue of a true value means false ("i don't think i can pay it all"); a negated
    false value or label says nothing.
    """
    hits: list[Hit] = []
    for cue in cues:
        for match in cue.regex.finditer(segments.text):
            if not cue.in_questions and segments.in_question(match.start()):
                continue
            if cue.unless_before is not None and cue.unless_before.search(
                segments.text[segments.sentence_start(match.start()) : match.start()]
            ):
                continue
            if cue.unless_after is not None and cue.unless_after.search(
                _SENTENCE_END_RE.split(segments.text[match.end() :], maxsplit=1)[0]
            ):
                continue
            value = cue.value
            if cue.negatable and _negated(segments, match.start(), book):
                if labels or value is not True:
                    continue  # a negated label or "no" says nothing; a negated "yes" is a no
                value = False
            hits.append(Hit(match.start(), match.end(), value))
    kept = [
        hit
        for hit in hits
        if not any(
            other is not hit
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            for other in hits
        )
    ]
    return sorted(kept, key=lambda hit: (hit.start, hit.end))


def asked(cues: Sequence[Cue], segments: Segments, book: CueBook) -> list[Hit]:
    """Where ``cues`` are asked: inside a question, or after a request word in the clause
    ("i need a payment plan")."""
    hits = []
    for hit in find(cues, segments, book, labels=True):
        if segments.in_question(hit.start):
            hits.append(hit)
            continue
        clause = segments.text[segments.clause_start(hit.start) : hit.start]
        if any(word in book.request_words for word in re.findall(r"[a-z]+", clause)):
            hits.append(hit)
    return hits


def negated_labels(
    labelled: Mapping[str, Sequence[Cue]], segments: Segments, book: CueBook
) -> set[str]:
    """The labels whose cues are stated only in the negative ("nothing has been garnished",
    "nobody stole my identity")."""
    denied = set()
    for label, cues in labelled.items():
        for cue in cues:
            for match in cue.regex.finditer(segments.text):
                if cue.negatable and _negated(segments, match.start(), book):
                    denied.add(label)
    return denied


def last_value(hits: Sequence[Hit]) -> Any:
    """The value of the last hit (the latest statement wins), or ``None``."""
    return hits[-1].value if hits else None


def date_is_other(sentence_before: str, book: CueBook) -> bool:
    """True when the words before a date (in its sentence) make it the date of something else:
    a payment, a call, a plan started (``other_dates`` in ``cues.yml``)."""
    words = re.findall(r"[a-z][a-z-]*", normalize(sentence_before, book))[-book.other_date_window :]
    for index in range(len(words) - 1, -1, -1):
        if words[index] in book.other_date_notice_words:
            return False
        if words[index] in book.other_date_words:
            return True
    return False
