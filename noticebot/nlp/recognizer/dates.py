"""Dates: the day a date span means ("March 3", "last tuesday", "the 2nd", read near
today: a year-less notice date is the most recent such day) and the role its cue words
give it ("respond by" -> deadline, "dated" -> notice, "came" -> received)."""

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Span

from noticebot.nlp.recognizer.rules import DateCues, load_rules, normalize

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RE = re.compile(
    r"(?:(?P<shift>last|past|next|coming|this)\s+)?(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*"
)
_SLASH_DAY_RE = re.compile(r"\d{1,2}/\d{1,2}")
_DAY_OF_MONTH_RE = re.compile(r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)")
_FULL_NUMERIC_DATE_RE = re.compile(r"\d+[/-]\d+[/-]\d+")
_FOUR_DIGITS_RE = re.compile(r"\b\d{4}\b")
_DATE_CACHE_SIZE = 4096
# A year-less date at most this many days ahead is read as coming; later ones as past.
FUTURE_WINDOW_DAYS = 92
# Roles of dates that are never in the future: a year-less one is the most recent such day.
PAST_ROLES = frozenset({"notice", "received"})


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
    phrase = normalize(text)
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
