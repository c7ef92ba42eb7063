"""Which notice each date of a message belongs to, and what the date is for that notice.

A date belongs to the notice it is written with:

- in the same clause, the notice named before it ("CP504 dated 10/2 + LT11 dated 11/13"), else
  the one named after it ("on 9/1 i got a cp504");
- else, in the same sentence, the last notice named before it, else the nearest after it;
- else the last notice named before it, else the first one after it;
- a date said of "both" notices, or of notices that came "the same day", belongs to every notice
  of its sentence.

A notice can be named again by its number alone ("the 501 is dated nov 9") once its code was
written; a notice named only by its printed title ("final notice of intent to levy") is a
description, not another notice, when codes are written in the same message.

What a date is: its cue words say (the recognizer's role: "dated" -> notice date, "pay by" ->
printed deadline, "came" -> received). Without one, a receipt word after it ("on nov 28 an LT11
came") makes it the day received; a relative day ("today", "yesterday", "on tuesday") is only
ever the day received, and only with a receipt word near it or right after the code ("a cp503
today"); a date written with a payment ("i paid it on march 3") belongs to no notice; a second
date of a notice that already has its notice date, and later than it, is the printed deadline;
otherwise a future date is the printed deadline and a past one the notice date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from noticebot.nlp import Mention, parse_date
from noticebot.reading.cues import CueBook, date_is_other
from noticebot.reading.model import LooseDate, NoticeMention

NOTICE_DATE, PRINTED_DEADLINE, RECEIVED = "notice_date", "printed_deadline", "received"

_SENTENCE_BREAK_RE = re.compile(r"[.!?;\n]")
_CLAUSE_BREAK_RE = re.compile(
    r"[.!?;,()+\n]|\s(?:and|but|then|so|also|plus|now|after that|before that|while|"
    r"and then|and now)\s"
)
_RELATIVE_RE = re.compile(
    r"^(?:today|yesterday|tomorrow|the day before yesterday|day before yesterday|"
    r"(?:(?:last|this|past|next|coming|on)\s+)?(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
    r"[a-z]*|\w+\s+(?:days?|weeks?|months?)\s+ago)$",
    re.IGNORECASE,
)
_RECEIPT_RE = re.compile(
    r"\b(?:got|received|receive|came|come|arrived|showed up|show up|shows up|in the mail|"
    r"opened|delivered|mailbox|picked up|dropped (?:it )?off|brought (?:it )?over|handed)\b",
    re.IGNORECASE,
)
# "on nov 28 an LT11 came": a receipt word after the date, with the letter as its subject.
_RECEIPT_AFTER_RE = re.compile(
    r"^[^.!?;,]{0,40}?\b(?:cp|lt|ltr|l\d|letter|notice|it|one|envelope|bill|mail|they|both)"
    r"\w*\b[^.!?;,]{0,25}?\b(?:came|arrived|showed up|shows up|got here|was delivered|"
    r"hit my mailbox)\b",
    re.IGNORECASE,
)
_ALL_CODES_RE = re.compile(
    r"\b(?:both|all|they|all three|both of them|(?:two|three|the|my) (?:letters|notices|"
    r"envelopes))\s+(?:came|arrived|showed up|got here|were dated|are dated|dated)\b"
    r"|\bsame day\b"
)
# "a CP503?? no sorry, it's a CP501": the first code was a slip.
_SELF_CORRECTION_RE = re.compile(
    r"^\W{0,6}(?:no|oops|wait|sorry|i mean|correction|actually)\b[^.!]{0,25}$", re.IGNORECASE
)
# "the lien one", "the levy letter": a notice named again by what it is about.
_DESCRIBED_RE = re.compile(
    r"\b(?:the|my)\s+(?P<about>lien|levy|passport|payment plan|plan)\s+"
    r"(?:one|letter|notice)\b"
)
_ABOUT = {
    "lien": ("LTR3172",),
    "levy": ("LT11", "LTR1058", "CP90", "CP297", "CP504", "CP504B", "CP91", "CP298"),
    "passport": ("CP508C", "LTR6152"),
    "payment plan": ("CP521", "CP523"),
    "plan": ("CP521", "CP523"),
}
# "the 501", "my 504", "the 1058": a notice named again by its number.
_BACK_REFERENCE_RE = re.compile(r"\b(?:the|my|that|this|their)\s+(\d{2,4})\b(?!\s*(?:days?|%))")
# A notice code written with digits ("cp504", "letter 1058"), as opposed to a printed title.
_HAS_DIGIT_RE = re.compile(r"\d")
_ADJACENT_CHARS = 3


@dataclass(frozen=True)
class _Code:
    """A place where a notice is named: its canonical code and its span."""

    code: str
    start: int
    end: int


def _breaks(text: str, pattern: re.Pattern[str], taken: Sequence[Mention]) -> list[int]:
    """Positions of the breaks of ``pattern`` that fall outside every mention."""
    return [
        match.start()
        for match in pattern.finditer(text)
        if not any(m.start <= match.start() < m.end for m in taken)
    ]


def _unit(position: int, breaks: Sequence[int]) -> int:
    """Index of the stretch between breaks that holds ``position``."""
    return sum(1 for b in breaks if b < position)


def named_codes(text: str, mentions: Sequence[Mention]) -> list[_Code]:
    """Every place a notice is named: its codes, the numbers that name a written code again,
    and printed titles (only when no code is written)."""
    coded = [m for m in mentions if m.label == "notice_code"]
    explicit = [m for m in coded if _HAS_DIGIT_RE.search(m.text)]
    chosen = explicit or coded
    chosen = [
        m
        for i, m in enumerate(chosen)
        if not (
            i + 1 < len(chosen)
            and _SELF_CORRECTION_RE.match(text[m.end : chosen[i + 1].start])
        )
    ]
    places = [_Code(str(m.value), m.start, m.end) for m in chosen]
    by_number = {re.sub(r"\D", "", str(m.value)): str(m.value) for m in explicit}
    lowered = text.lower()
    for match in _BACK_REFERENCE_RE.finditer(lowered):
        number = match.group(1)
        start, end = match.start(1), match.end(1)
        if (
            number in by_number
            and not any(m.start <= start < m.end for m in mentions)
            and any(p.start < start for p in places if p.code == by_number[number])
        ):
            places.append(_Code(by_number[number], start, end))
    written = {str(m.value) for m in explicit}
    for match in _DESCRIBED_RE.finditer(lowered):
        fitting = [code for code in _ABOUT[match["about"]] if code in written]
        if len(fitting) == 1:
            places.append(_Code(fitting[0], match.start(), match.end()))
    return sorted(places, key=lambda p: p.start)


def _distance(code: _Code, date: Mention) -> int:
    return date.start - code.end if code.end <= date.start else code.start - date.end


def owners_of(
    date: Mention, codes: Sequence[_Code], text: str, taken: Sequence[Mention]
) -> list[str]:
    """The notices ``date`` belongs to (``codes`` is not empty)."""
    if len({code.code for code in codes}) == 1:
        return [codes[0].code]
    clauses = _breaks(text, _CLAUSE_BREAK_RE, taken)
    sentences = _breaks(text, _SENTENCE_BREAK_RE, taken)
    sentence = _unit(date.start, sentences)
    in_sentence = [c for c in codes if _unit(c.start, sentences) == sentence]
    sentence_text = text[
        max([0, *[b for b in sentences if b < date.start]]) : min(
            [len(text), *[b for b in sentences if b >= date.start]]
        )
    ].lower()
    if _ALL_CODES_RE.search(sentence_text):
        named = in_sentence or list(codes)
        if len({c.code for c in named}) > 1:
            return list(dict.fromkeys(c.code for c in named))

    def nearest(candidates: Sequence[_Code]) -> str:
        return min(candidates, key=lambda c: (_distance(c, date), c.start > date.start)).code

    adjacent = [c for c in codes if c.end <= date.start and date.start - c.end <= _ADJACENT_CHARS]
    if adjacent:
        return [nearest(adjacent)]
    clause = _unit(date.start, clauses)
    same_clause = [c for c in codes if _unit(c.start, clauses) == clause]
    before = [c for c in same_clause if c.end <= date.start]
    if before:
        return [max(before, key=lambda c: c.start).code]
    if same_clause:
        return [nearest(same_clause)]
    before = [c for c in in_sentence if c.end <= date.start]
    if before:
        return [max(before, key=lambda c: c.start).code]
    if in_sentence:
        return [nearest(in_sentence)]
    before = [c for c in codes if c.end <= date.start]
    if before:
        return [max(before, key=lambda c: c.start).code]
    return [nearest(codes)]


def text_before(text: str, mention: Mention, taken: Sequence[Mention]) -> str:
    """The words of ``mention``'s clause in front of it (back to a break or another mention)."""
    start = 0
    for match in re.finditer(r"[.!?;,\n]", text[: mention.start]):
        if not any(m.start <= match.start() < m.end for m in taken):
            start = match.end()
    for other in taken:
        if other is not mention and start <= other.end <= mention.start:
            start = other.end
    return text[start : mention.start]


# Words before a date (in its clause) that make it the date of something else, whatever its cue.
_OTHER_EVENT_RE = re.compile(
    r"\b(?:rent|mortgage|flight|fly|flying|closing|payday|get paid|paid on|bonus|surgery|"
    r"funeral|wedding|trip|appointment|court date|tax period|period ending|year ending|"
    r"ending|birthday|lease|move|moving|travel|leave for)\b[^.!?;,]{0,30}$",
    re.IGNORECASE,
)


def _clause_before(text: str, position: int) -> str:
    """The text of the clause that holds ``position``, up to it."""
    start = max((m.end() for m in re.finditer(r"[.!?;,\n]", text[:position])), default=0)
    return text[start:position]


def _sentence_before(text: str, position: int) -> str:
    """The text of the sentence that holds ``position``, up to it."""
    start = max((m.end() for m in _SENTENCE_BREAK_RE.finditer(text[:position])), default=0)
    return text[start:position]


def _sentence_around(text: str, position: int) -> str:
    start = max((m.end() for m in _SENTENCE_BREAK_RE.finditer(text[:position])), default=0)
    match = _SENTENCE_BREAK_RE.search(text, position)
    return text[start : match.start() if match else len(text)]


def _next_to_code(date: Mention, codes: Sequence[_Code], text: str) -> bool:
    """True when ``date`` is written right next to a code ("a cp503 today", "today a cp504")."""
    for code in codes:
        if 0 <= date.start - code.end <= _ADJACENT_CHARS:
            return True
        between = text[date.end : code.start].lower()
        if 0 <= code.start - date.end <= 6 and re.fullmatch(r"[\s,]*(?:an?|the|my)?\s*", between):
            return True
    return False


def _in_a_code_clause(date: Mention, codes: Sequence[_Code], text: str) -> bool:
    clauses = _breaks(text, _CLAUSE_BREAK_RE, [])
    clause = _unit(date.start, clauses)
    return any(_unit(code.start, clauses) == clause for code in codes)


def date_kind(
    date: Mention, day: dt.date, *, text: str, codes: Sequence[_Code], today: dt.date
) -> str | None:
    """What ``date`` is for its notice (see the module's docstring); ``None``: nothing."""
    relative = bool(_RELATIVE_RE.match(text[date.start : date.end].strip()))
    if date.role == "notice":
        return NOTICE_DATE
    if _OTHER_EVENT_RE.search(_clause_before(text, date.start)):
        return None  # "rent is due on the 1st", "i fly out dec 19", "tax period ending..."
    if date.role == "received":
        return RECEIVED
    if date.role == "deadline":
        return None if relative and day <= today else PRINTED_DEADLINE
    if _RECEIPT_AFTER_RE.search(text[date.end : date.end + 60]):
        return RECEIVED
    sentence_before = _sentence_before(text, date.start)
    if re.search(r"\bon\s*(?:the\s*)?$", sentence_before.lower()) and _RECEIPT_RE.search(
        sentence_before
    ):
        return RECEIVED
    if relative:
        near = _RECEIPT_RE.search(_sentence_around(text, date.start))
        if day <= today and (near or _next_to_code(date, codes, text)):
            return RECEIVED
        return None
    if day > today:
        # a future date without a cue is the deadline only when written with its notice
        return PRINTED_DEADLINE if _in_a_code_clause(date, codes, text) else None
    return NOTICE_DATE


@dataclass
class Attributed:
    """The notices of a message with their dates, and the dates written without a notice."""

    notices: tuple[NoticeMention, ...]
    loose: tuple[LooseDate, ...] = field(default_factory=tuple)


def attribute_dates(
    text: str, mentions: Sequence[Mention], *, today: dt.date, book: CueBook
) -> Attributed:
    """Give each date of the message to its notice (see the module's docstring)."""
    codes = named_codes(text, mentions)
    by_code: dict[str, dict[str, dt.date]] = {c.code: {} for c in codes}
    loose: list[LooseDate] = []
    for date in (m for m in mentions if m.label == "date"):
        try:
            day = dt.date.fromisoformat(str(date.value))
        except ValueError:
            continue
        if date.role is None and date_is_other(_sentence_before(text, date.start), book):
            continue
        if not codes:
            relative = bool(_RELATIVE_RE.match(text[date.start : date.end].strip()))
            if relative and date.role is None:
                continue
            loose.append(LooseDate(day=day, role=date.role))
            continue
        kind = date_kind(date, day, text=text, codes=codes, today=today)
        if kind is None:
            continue
        if kind == RECEIVED and day > today:
            day = parse_date(text[date.start : date.end], today=today, past=True) or day
        for owner in owners_of(date, codes, text, mentions):
            dates = by_code[owner]
            if (
                kind == NOTICE_DATE
                and date.role is None
                and NOTICE_DATE in dates
                and PRINTED_DEADLINE not in dates
                and day > dates[NOTICE_DATE]
            ):
                dates[PRINTED_DEADLINE] = day  # a later date of a dated notice: its deadline
                continue
            dates.setdefault(kind, day)
    notices = tuple(
        NoticeMention(
            code=code,
            notice_date=dates.get(NOTICE_DATE),
            printed_deadline=dates.get(PRINTED_DEADLINE),
            received=dates.get(RECEIVED),
        )
        for code, dates in by_code.items()
    )
    return Attributed(notices=notices, loose=tuple(loose))
