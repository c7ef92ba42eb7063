"""Answers composed for the question asked, from the catalog's facts and yearly figures.

The cards of ``data/knowledge/answers.yml`` say which question each one answers (patterns that
must all be found in the question, patterns that rule it out, the notices it is for, the amount
it needs) and the short text that answers it, with placeholders filled here:

- ``{fig:ID}``: the figure's value, the newest row unless the question names a year (and a
  quarter: "april 2026" is the second quarter; "before 2017" is 2016); ``{now:ID}``: the newest
  row whatever the question asks (for what applies today); ``{year:ID}``: that row's
  year; ``{when:ID}``: "in 2010" when a year was asked, else "as of 2024";
  ``{note:ID}``: a short remark when the row is not confirmed by an IRS source; ``{rates:ID}``:
  a rate set each quarter, said with its period ("6% from April 2026", or every rate of the year
  asked: "6% from January 2019, 5% from July 2019");
- ``{amount}``: the balance the question names; ``{share:ID}``: that percentage of it;
- ``{notice}``: the notice being discussed; ``{right:ID}``: what is left of one of its rights
  ("For your LT11 dated November 20, 2026, the last day is December 21, 2026: 17 days from
  today.", or that it closed and on what day); ``{deadline}``: its response deadline the same way.

A placeholder written ``{right?:ID}`` (with ``?``) is left out when it cannot be filled; any
other placeholder that cannot be filled makes the card fall back to its ``otherwise`` text, else
the card is not used. The most specific card (the most patterns found, then one that needs a
notice or an amount) wins. Sources must be clean (``source_problem``); a card whose sources are
not all primary says so (``secondary: true``), and the answer tells the person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.deadlines import DeadlineResult, ExpiringRight
from noticebot.knowledge.catalog import (
    PRIMARY,
    Catalog,
    Figure,
    source_kind,
    source_problem,
)
from noticebot.reading.cues import load_cue_book, normalize

CARDS_FILE = "answers.yml"
KINDS = (
    "form", "fee", "interest", "threshold", "deadline", "consequence", "difference", "scam",
    "what_to_do", "home", "proof_of_payment", "payroll_plan", "account_lookup", "amount", "other",
)
_PLACEHOLDER = re.compile(r"\{(\w+)(\?)?(?::(\w+))?\}")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-3]\d)(?!\d)")
_BEFORE_YEAR = re.compile(r"\b(?:before|prior to) (?:the year )?(19[89]\d|20[0-3]\d)\b")
# Changes people name instead of a year: "before fresh start" is before the 2011-2012 changes.
_BEFORE_ERA = ((re.compile(r"\bbefore (?:the )?fresh ?start\b"), 2010),)
_AMOUNT_CONDITION = re.compile(r"^(above|at most) (\d+|fig:\w+)$")
_QUARTERS = (
    (re.compile(r"\b(?:q1|first quarter|1st quarter|jan\w*|feb\w*|mar(?:ch)?)\b"), 1),
    (re.compile(r"\b(?:q2|second quarter|2nd quarter|apr\w*|may|june?)\b"), 2),
    (re.compile(r"\b(?:q3|third quarter|3rd quarter|july?|aug\w*|sept?\w*)\b"), 3),
    (re.compile(r"\b(?:q4|fourth quarter|4th quarter|oct\w*|nov\w*|dec\w*)\b"), 4),
)
_QUARTER_STARTS = {1: "January", 2: "April", 3: "July", 4: "October"}
UNCONFIRMED_NOTE = " (reported by other sources, not yet on an IRS page)"
SECONDARY_LABEL = "Part of this comes from non-IRS sources; check it with the IRS."


class CardError(ValueError):
    """``answers.yml`` breaks a rule; the message names the card."""


@dataclass(frozen=True)
class Card:
    """One composed answer: when it applies, what it says, where it comes from."""

    id: str
    kind: str
    ask: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    notices: tuple[str, ...]  # only for these notices (empty: any)
    amount: tuple[str, str] | None  # ("above", "0") / ("at most", "fig:ID"): only then
    say: str
    otherwise: str | None
    sources: tuple[str, ...]
    secondary: bool = False  # a source is not an official one: the answer says so
    more: str | None = None  # the catalog topic that says more, offered after the answer

    @property
    def specificity(self) -> int:
        """How narrowly the card applies (the most specific card wins): its patterns, and one
        more for each condition on the notice or the amount."""
        return len(self.ask) + bool(self.notices) + bool(self.amount)


@dataclass(frozen=True)
class Composed:
    """A composed answer: its text and sources."""

    card: str
    kind: str
    text: str
    sources: tuple[str, ...]
    secondary: bool = False
    more: str | None = None  # the catalog topic that says more


@dataclass(frozen=True)
class Context:
    """What the conversation knows when the question comes."""

    today: dt.date
    notice_code: str | None = None
    deadline: DeadlineResult | None = None
    amount: float | None = None  # the balance the question (or the conversation) names


def _patterns(raw: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    book = load_cue_book()
    try:
        # written the way people type ("dont", "cant"), read the way questions are normalized
        return tuple(re.compile(rf"(?<![\w$])(?:{normalize(str(p), book)})") for p in raw)
    except re.error as error:
        raise CardError(f"{where}: {error}") from error


def _card_sources(raw: Any, where: str, *, secondary: bool) -> tuple[str, ...]:
    sources = tuple(str(s) for s in raw or ())
    if not sources:
        raise CardError(f"{where}: needs 'sources'")
    for url in sources:
        problem = source_problem(url)
        if problem is not None:
            raise CardError(f"{where}: source {problem}: {url!r}")
    kinds = [source_kind(url) for url in sources]
    if kinds[0] != PRIMARY:
        raise CardError(f"{where}: the first source must be an official one: {sources[0]!r}")
    if any(kind != PRIMARY for kind in kinds) and not secondary:
        raise CardError(f"{where}: a non-official source needs 'secondary: true'")
    return sources


def _amount_condition(raw: Any, where: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    match = _AMOUNT_CONDITION.match(str(raw).strip())
    if not match:
        raise CardError(
            f"{where}: amount is 'above N' or 'at most N' (N a number or fig:ID): {raw!r}"
        )
    return match.group(1), match.group(2)


def parse_cards(raw: Mapping[str, Any]) -> tuple[Card, ...]:
    """The cards of a plain mapping (as read from ``answers.yml``), checked."""
    cards = []
    seen = set()
    for index, entry in enumerate(raw.get("cards") or ()):
        where = f"cards[{index}] {entry.get('id')}"
        if not entry.get("id") or entry["id"] in seen:
            raise CardError(f"{where}: needs a unique id")
        seen.add(entry["id"])
        if not entry.get("ask") or not entry.get("say"):
            raise CardError(f"{where}: needs 'ask' and 'say'")
        if entry.get("kind") not in KINDS:
            raise CardError(f"{where}: kind is one of {', '.join(KINDS)}")
        secondary = bool(entry.get("secondary"))
        cards.append(
            Card(
                id=str(entry["id"]),
                kind=str(entry["kind"]),
                ask=_patterns(entry["ask"], where),
                unless=_patterns(entry.get("unless"), where),
                notices=tuple(str(c) for c in entry.get("notices") or ()),
                amount=_amount_condition(entry.get("amount"), where),
                say=" ".join(str(entry["say"]).split()),
                otherwise=" ".join(str(entry["otherwise"]).split())
                if entry.get("otherwise")
                else None,
                sources=_card_sources(entry.get("sources"), where, secondary=secondary),
                secondary=secondary,
                more=str(entry["more"]) if entry.get("more") else None,
            )
        )
    return tuple(cards)


@lru_cache(maxsize=4)
def load_cards(directory: Path) -> tuple[Card, ...]:
    """The cards of ``directory/answers.yml`` (read once)."""
    with (directory / CARDS_FILE).open(encoding="utf-8") as handle:
        return parse_cards(yaml.safe_load(handle) or {})


def asked_year(question: str) -> int | None:
    """The year a question names ("in 2017"; "before 2017" is 2016), if any."""
    for pattern, year in _BEFORE_ERA:
        if pattern.search(question):
            return year
    before = _BEFORE_YEAR.search(question)
    if before:
        return int(before.group(1)) - 1
    found = _YEAR.findall(question)
    return int(found[-1]) if found else None


def asked_quarter(question: str) -> int | None:
    """The quarter a question names ("april", "q1", "first quarter"), if any."""
    return next((q for pattern, q in _QUARTERS if pattern.search(question)), None)


def say_money(value: float) -> str:
    """"$2,000", "$0.50"."""
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def say_value(figure: Figure) -> str:
    """A figure as people read it: "$22", "7%", "$66,000", "180 days"."""
    value = figure.value
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    if figure.unit == "USD":
        return f"${number}"
    if figure.unit.startswith(("percent", "%")):
        return f"{number}%"
    return f"{number} {figure.unit}".strip()


def _say_day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _period(figure: Figure) -> str:
    if figure.quarter:
        return f"{_QUARTER_STARTS[figure.quarter]} {figure.year}"
    return str(figure.year)


def _rates(catalog: Catalog, figure_id: str, year: int | None, quarter: int | None) -> str:
    """A quarterly rate with its period: one row, or every rate of the year asked."""
    if year is None or quarter is not None:
        row = catalog.figure(figure_id, year=year, quarter=quarter)
        note = "" if row.confirmed else UNCONFIRMED_NOTE
        if year is None:
            return f"{say_value(row)} from {_period(row)}{note}"
        return f"{say_value(row)} in {_QUARTER_STARTS[quarter or 1]} {year}{note}"
    rows = sorted(
        (f for f in catalog.figures if f.id == figure_id and f.year == year),
        key=lambda f: f.quarter or 0,
    )
    start = catalog.figure(figure_id, year=year, quarter=1)  # in force on January 1
    if not rows or (rows[0].quarter or 1) > 1:
        rows = [start, *rows]
    said: list[str] = []
    last = None
    for row in rows:
        if row.value == last:
            continue
        last = row.value
        month = _QUARTER_STARTS[row.quarter or 1] if row.year == year else "January"
        note = "" if row.confirmed else UNCONFIRMED_NOTE
        said.append(f"{say_value(row)} from {month} {year}{note}")
    if len(said) == 1:
        return said[0].replace(f"from January {year}", f"all of {year}")
    return ", then ".join(said)


def _label(right: ExpiringRight) -> str:
    """"equivalent hearing", "Collection Due Process hearing" (a name keeps its capitals)."""
    first, _, rest = right.label.partition(" ")
    if first.istitle() and first not in ("Collection",):
        first = first.lower()
    return f"{first} {rest}".strip()


def _right_sentence(right: ExpiringRight, code: str, notice_date: dt.date | None) -> str:
    dated = f" dated {_say_day(notice_date)}" if notice_date else ""
    if right.last_day is None or right.days_left is None:
        raise KeyError(right.id)
    if right.days_left < 0:
        closed = _say_day(right.last_day)
        return f"For your {code}{dated}, the {_label(right)} window closed on {closed}."
    left = "today is the last day" if right.days_left == 0 else (
        "1 day from today" if right.days_left == 1 else f"{right.days_left} days from today"
    )
    return (f"For your {code}{dated}, the last day for the {_label(right)} is "
            f"{_say_day(right.last_day)}: {left}.")


def _fill(text: str, *, catalog: Catalog, context: Context, question: str) -> str:
    """``text`` with its placeholders filled; ``KeyError`` when one cannot be."""
    year, quarter = asked_year(question), asked_quarter(question)

    def figure(figure_id: str) -> Figure:
        if year is None:
            return catalog.figure(figure_id)
        return catalog.figure(figure_id, year=year, quarter=quarter)

    def value(kind: str, name: str | None) -> str:
        if kind == "fig" and name:
            return say_value(figure(name))
        if kind == "now" and name:
            return say_value(catalog.figure(name))
        if kind == "year" and name:
            return str(figure(name).year)
        if kind == "when" and name:
            return f"in {year}" if year is not None else f"as of {_period(figure(name))}"
        if kind == "note" and name:
            return "" if figure(name).confirmed else UNCONFIRMED_NOTE
        if kind == "rates" and name:
            return _rates(catalog, name, year, quarter)
        if kind == "amount":
            if context.amount is None:
                raise KeyError("amount")
            return say_money(context.amount)
        if kind == "share" and name:
            if context.amount is None:
                raise KeyError("amount")
            return say_money(context.amount * figure(name).value / 100)
        if kind == "notice":
            if not context.notice_code:
                raise KeyError("notice")
            return context.notice_code
        if kind == "right" and name:
            deadline = context.deadline
            right = next((r for r in deadline.rights if r.id == name), None) if deadline else None
            if deadline is None or right is None:
                raise KeyError(name)
            return _right_sentence(right, deadline.notice_code, deadline.notice_date)
        if kind == "deadline":
            deadline = context.deadline
            if deadline is None or deadline.response_deadline is None:
                raise KeyError("deadline")
            days = deadline.days_left or 0
            if days < 0:
                return (f"The deadline of your {deadline.notice_code} was "
                        f"{_say_day(deadline.response_deadline)}: it has passed.")
            return (f"Your {deadline.notice_code}'s deadline is "
                    f"{_say_day(deadline.response_deadline)}: {days} days from today.")
        raise KeyError(kind)

    def replace(match: re.Match[str]) -> str:
        kind, optional, name = match.group(1), match.group(2), match.group(3)
        try:
            return value(kind, name)
        except KeyError:
            if optional:
                return ""
            raise

    return _PLACEHOLDER.sub(replace, text)


def _amount_fits(card: Card, amount: float | None, catalog: Catalog) -> bool:
    if card.amount is None:
        return True
    if amount is None:
        return False
    condition, written = card.amount
    limit = (
        catalog.figure(written[4:]).value if written.startswith("fig:") else float(written)
    )
    return amount > limit if condition == "above" else amount <= limit


def matching_cards(
    question: str, cards: Sequence[Card], context: Context, catalog: Catalog
) -> list[Card]:
    """The cards that apply to ``question`` (normalized), the most specific first."""
    found = [
        card
        for card in cards
        if all(p.search(question) for p in card.ask)
        and not any(p.search(question) for p in card.unless)
        and (not card.notices or context.notice_code in card.notices)
        and _amount_fits(card, context.amount, catalog)
    ]
    found.sort(key=lambda card: card.specificity, reverse=True)
    return found


_MONEY = re.compile(
    r"(?<![\w.])\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|grand|thousand)?(?![\w%])",
    re.IGNORECASE,
)


_MONEY_WORDS = frozenset(
    "owe owes owed owing offer offering paid pay paying balance on of about around roughly "
    "approximately like is for only was total".split()
)


def question_amount(question: str) -> float | None:
    """The first sum of money a question names ("10k", "$8,000", "owe 8000"), never a year or a
    form number ("form 9465", "cp504")."""
    for match in _MONEY.finditer(question):
        digits, cents, thousands = match.group(1).replace(",", ""), match.group(2), match.group(3)
        value = float(digits + (cents or "")) * (1000 if thousands else 1)
        written = match.group(0).strip()
        if thousands or written.startswith("$") or "," in written:
            return value
        before = question[: match.start()].split()
        if value >= 100 and before and before[-1] in _MONEY_WORDS and not (
            1900 <= value <= 2099
        ):
            return value
    return None


def compose(
    question: str, *, cards: Sequence[Card], catalog: Catalog, context: Context
) -> Composed | None:
    """The best card's answer to ``question`` (as typed), or ``None``."""
    question = normalize(question, load_cue_book())
    for card in matching_cards(question, cards, context, catalog):
        for text in (card.say, card.otherwise):
            if text is None:
                continue
            try:
                filled = _fill(text, catalog=catalog, context=context, question=question)
            except KeyError:
                continue
            return Composed(
                card=card.id,
                kind=card.kind,
                text=" ".join(filled.split()),
                sources=card.sources,
                secondary=card.secondary,
                more=card.more,
            )
    return None


def missing_references(cards: Sequence[Card], catalog: Catalog) -> tuple[str, ...]:
    """Every figure or topic a card names that the catalog lacks."""
    known = {figure.id for figure in catalog.figures}
    topics = {topic.id for topic in catalog.topics}
    missing = [
        f"{card.id}: topic {card.more}" for card in cards if card.more and card.more not in topics
    ]
    missing += [
        f"{card.id}: {card.amount[1][4:]}"
        for card in cards
        if card.amount and card.amount[1].startswith("fig:") and card.amount[1][4:] not in known
    ]
    for card in cards:
        for text in (card.say, card.otherwise or ""):
            for kind, _, name in _PLACEHOLDER.findall(text):
                if kind in ("fig", "now", "year", "when", "note", "rates", "share") and (
                    name not in known
                ):
                    missing.append(f"{card.id}: {name}")
    return tuple(missing)
