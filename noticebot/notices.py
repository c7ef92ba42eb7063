"""Explain notices: catalog entry + dates -> facts, deadline replies and the ``notice_summary``.

A conversation may hold several notices; each keeps its own dates and summary, and the one with
the most urgent deadline leads. Which date a person gave is decided from the words around it
(the recognizer's date role), else from the question just asked, else from whether it lies in
the future (a response date) or the past (the notice date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from noticebot.deadlines import (
    BASIS_COUNTED,
    BASIS_ESTIMATED,
    BASIS_NEEDS_NOTICE_DATE,
    BASIS_NEEDS_PRINTED_DATE,
    BASIS_PRINTED,
    DeadlineInputError,
    DeadlineResult,
    compute_deadline,
    most_urgent,
)
from noticebot.knowledge.catalog import Catalog, Notice

NOTICE_DATE = "notice_date"
PRINTED_DEADLINE = "printed_deadline"


@dataclass(frozen=True)
class NoticeExplanation:
    """A known notice with its timing, ready to be said and sent as a payload."""

    notice: Notice
    deadline: DeadlineResult

    @property
    def summary(self) -> dict[str, Any]:
        """SPEC's ``notice_summary`` payload."""
        return notice_summary(self.notice, self.deadline)


@dataclass(frozen=True)
class NoticeEntry:
    """What the conversation knows about one notice: its code and the dates given for it."""

    code: str
    notice_date: dt.date | None = None
    printed_deadline: dt.date | None = None

    def as_slot(self) -> dict[str, str | None]:
        """Plain values for a Rasa slot."""
        return {
            "code": self.code,
            NOTICE_DATE: _iso(self.notice_date),
            PRINTED_DEADLINE: _iso(self.printed_deadline),
        }

    @classmethod
    def from_slot(cls, value: Mapping[str, Any]) -> NoticeEntry:
        """Rebuild from :meth:`as_slot`; unreadable dates are dropped."""
        return cls(
            code=str(value["code"]),
            notice_date=parse_iso(value.get(NOTICE_DATE)),
            printed_deadline=parse_iso(value.get(PRINTED_DEADLINE)),
        )


@dataclass(frozen=True)
class GivenDates:
    """The dates found in one message, sorted by what they mean."""

    notice_date: dt.date | None = None
    printed_deadline: dt.date | None = None
    received: dt.date | None = None


@dataclass(frozen=True)
class Reply:
    """One bot message: a response name of the domain, the values it is filled with, a payload."""

    response: str
    values: dict[str, Any]
    payload: dict[str, Any] | None = None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def parse_iso(value: Any) -> dt.date | None:
    """An ISO date string as a date; anything else as ``None``."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def say_day(day: dt.date) -> str:
    """A date as people read it: ``Wednesday, December 2, 2026``."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def notice_summary(notice: Notice, deadline: DeadlineResult) -> dict[str, Any]:
    """Build the ``notice_summary`` payload exactly as SPEC.md names its fields."""
    sources = dict.fromkeys((*notice.meaning.sources, *notice.deadline.sources))
    return {
        "type": "notice_summary",
        "notice_code": notice.code,
        "title": notice.title,
        "stage": notice.stage,
        "notice_date": _iso(deadline.notice_date),
        "response_deadline": _iso(deadline.response_deadline),
        "days_left": deadline.days_left,
        "urgency": deadline.urgency,
        "sources": list(sources),
    }


def explain_notice(
    catalog: Catalog,
    code: str,
    *,
    today: dt.date,
    notice_date: dt.date | None = None,
    printed_deadline: dt.date | None = None,
) -> NoticeExplanation | None:
    """Explain the notice ``code`` (canonical or alias); ``None`` when the catalog lacks it."""
    notice = catalog.resolve(code)
    if notice is None:
        return None
    deadline = compute_deadline(
        notice, today=today, notice_date=notice_date, printed_deadline=printed_deadline
    )
    return NoticeExplanation(notice=notice, deadline=deadline)


def explain_entry(
    catalog: Catalog, entry: NoticeEntry, *, today: dt.date
) -> NoticeExplanation | None:
    """Explain one remembered notice; ``None`` for an unknown code or impossible dates."""
    try:
        return explain_notice(
            catalog,
            entry.code,
            today=today,
            notice_date=entry.notice_date,
            printed_deadline=entry.printed_deadline,
        )
    except DeadlineInputError:
        return None


def explain_entries(
    catalog: Catalog, entries: Iterable[NoticeEntry], *, today: dt.date
) -> list[NoticeExplanation]:
    """Explain every remembered notice that can be explained."""
    found = (explain_entry(catalog, entry, today=today) for entry in entries)
    return [explanation for explanation in found if explanation is not None]


def date_to_ask(notice: Notice) -> str | None:
    """Which date to ask for: the notice date (counted rules), the printed date, or none."""
    rule = notice.deadline
    if rule.rule == "none":
        return None
    if rule.rule == "days_from_notice" or rule.fallback_days is not None:
        return NOTICE_DATE
    return PRINTED_DEADLINE


def sort_dates(
    dates: Sequence[tuple[dt.date, str | None]], *, today: dt.date, asked: str | None = None
) -> GivenDates:
    """Decide which given date is the notice date, the printed deadline or the day it arrived.

    A role from the words around the date wins ("dated", "respond by", "came"). A date without
    one answers the question just asked, else a future date is a response date and a past one
    the notice date.
    """
    found: dict[str, dt.date] = {}
    for day, role in dates:
        if role == "received":
            found.setdefault("received", day)
            continue
        if role == "deadline":
            kind = PRINTED_DEADLINE
        elif role == "notice":
            kind = NOTICE_DATE
        elif asked in (NOTICE_DATE, PRINTED_DEADLINE) and asked not in found:
            kind = asked
        else:
            kind = PRINTED_DEADLINE if day > today else NOTICE_DATE
        found.setdefault(kind, day)
    return GivenDates(
        notice_date=found.get(NOTICE_DATE),
        printed_deadline=found.get(PRINTED_DEADLINE),
        received=found.get("received"),
    )


def remember(
    entries: Iterable[NoticeEntry], codes: Sequence[str], dates: GivenDates
) -> list[NoticeEntry]:
    """Add newly named notices and apply the given dates to the notice they are about.

    Dates belong to the last notice named in the message, else to the last one discussed.
    """
    known = {entry.code: entry for entry in entries}
    for code in codes:
        known.setdefault(code, NoticeEntry(code=code))
    target = codes[-1] if codes else (list(known)[-1] if known else None)
    if target is not None and (dates.notice_date or dates.printed_deadline):
        entry = known.pop(target)
        known[target] = replace(
            entry,
            notice_date=dates.notice_date or entry.notice_date,
            printed_deadline=dates.printed_deadline or entry.printed_deadline,
        )
    return list(known.values())


def lead_explanation(explanations: Sequence[NoticeExplanation]) -> NoticeExplanation | None:
    """The notice whose deadline comes first leads (known deadlines before unknown ones)."""
    lead = most_urgent([e.deadline for e in explanations])
    return next((e for e in explanations if e.deadline is lead), None)


def explanation_replies(explanation: NoticeExplanation) -> list[Reply]:
    """The messages that explain what a notice is, with its summary card."""
    notice = explanation.notice
    base = {"notice_code": notice.code, "title": notice.title}
    return [
        Reply("utter_notice_explained", {**base, "meaning": notice.meaning.text}),
        Reply("utter_notice_summary", base, payload=explanation.summary),
    ]


def deadline_replies(explanation: NoticeExplanation) -> list[Reply]:
    """The messages about a notice's deadline, the weekend move and the rights that expire."""
    notice, deadline = explanation.notice, explanation.deadline
    values: dict[str, Any] = {
        "notice_code": notice.code,
        "title": notice.title,
        "deadline_rule": notice.deadline.text,
    }
    if deadline.response_deadline is not None:
        values["response_deadline"] = say_day(deadline.response_deadline)
        values["days_left"] = deadline.days_left
        values["days_ago"] = -(deadline.days_left or 0)
    if deadline.notice_date is not None:
        values["notice_date"] = say_day(deadline.notice_date)
    passed = deadline.days_left is not None and deadline.days_left < 0
    if passed and deadline.basis == BASIS_ESTIMATED:
        response = "utter_deadline_estimate_passed"
    elif passed:
        response = "utter_deadline_passed"
    else:
        response = {
            BASIS_COUNTED: "utter_deadline_counted",
            BASIS_ESTIMATED: "utter_deadline_estimated",
            BASIS_PRINTED: "utter_deadline_printed",
            BASIS_NEEDS_PRINTED_DATE: "utter_deadline_needs_printed_date",
            BASIS_NEEDS_NOTICE_DATE: "utter_deadline_needs_notice_date",
        }.get(deadline.basis, "utter_deadline_none")
    replies = [Reply(response, values)]
    if deadline.moved_from is not None and not passed:
        replies.append(
            Reply(
                "utter_deadline_moved",
                {"moved_from": say_day(deadline.moved_from), "moved_reason": deadline.moved_reason},
            )
        )
    if passed and notice.lost_when_passed is not None:
        replies.append(Reply("utter_deadline_lost", {"lost": notice.lost_when_passed.text}))
    for right in deadline.rights:
        if right.last_day is None or right.days_left is None:
            continue
        right_values = {
            "right": right.label,
            "form": right.form or "",
            "last_day": say_day(right.last_day),
            "days_left": right.days_left,
            "lost": right.lost,
        }
        if right.days_left >= 0:
            name = "utter_right_open_form" if right.form else "utter_right_open"
            replies.append(Reply(name, right_values))
        else:
            replies.append(Reply("utter_right_lost", right_values))
    return replies


def lead_replies(
    lead: NoticeExplanation, others: Sequence[NoticeExplanation]
) -> list[Reply]:
    """When several notices are known, say which deadline comes first."""
    if not others or lead.deadline.response_deadline is None:
        return []
    return [
        Reply(
            "utter_most_urgent_notice",
            {
                "notice_code": lead.notice.code,
                "response_deadline": say_day(lead.deadline.response_deadline),
                "other_codes": ", ".join(e.notice.code for e in others),
            },
        )
    ]


STATUS_UNKNOWN = "unknown"
STATUS_NEEDS_DATE = "needs_date"
STATUS_READY = "ready"


@dataclass(frozen=True)
class NoticeTurn:
    """The outcome of one message about notices: what to say and what to remember."""

    replies: list[Reply]
    entries: list[NoticeEntry]
    target: str | None
    status: str
    requested_date: str | None
    new_notice: bool


def notice_turn(
    catalog: Catalog,
    *,
    codes: Sequence[str],
    dates: Sequence[tuple[dt.date, str | None]],
    entries: Sequence[NoticeEntry],
    asked: str | None,
    said_no: bool,
    today: dt.date,
) -> NoticeTurn:
    """Take the codes and dates of one message; explain, ask for the date that counts, lead.

    ``asked`` is the date question pending (``notice_date`` or ``printed_deadline``);
    ``said_no`` means the person answered it with "no" (they don't have the date).
    """
    replies: list[Reply] = []
    known: list[str] = []
    for code in codes:
        notice = catalog.resolve(code)
        if notice is None:
            replies.append(Reply("utter_notice_unknown", {"notice_code": code}))
        elif notice.code not in known:
            known.append(notice.code)
    if not known and not entries:
        if not codes:
            replies.append(Reply("utter_ask_notice_code", {}))
        return NoticeTurn(replies, [], None, STATUS_UNKNOWN, None, new_notice=False)

    given = sort_dates(dates, today=today, asked=asked)
    if given.received and not (given.notice_date or given.printed_deadline):
        replies.append(Reply("utter_received_date_ignored", {}))
    previous = {entry.code for entry in entries}
    remembered = remember(entries, known, given)
    target = known[-1] if known else remembered[-1].code
    explanations: list[NoticeExplanation] = []
    for index, entry in enumerate(remembered):
        explanation = explain_entry(catalog, entry, today=today)
        if explanation is None:  # impossible dates: forget them and ask again
            replies.append(Reply("utter_notice_date_invalid", {}))
            remembered[index] = NoticeEntry(code=entry.code)
            explanation = explain_entry(catalog, remembered[index], today=today)
        if explanation is not None:
            explanations.append(explanation)
    by_code = {e.notice.code: e for e in explanations}
    for code in known:
        if code not in previous:
            replies.extend(explanation_replies(by_code[code]))
    current = by_code[target]
    entry = next(e for e in remembered if e.code == target)
    wanted = date_to_ask(current.notice)
    skipped = bool(asked) and said_no and not dates
    if target in previous and (given.notice_date or given.printed_deadline):
        replies.extend(explanation_replies(current)[1:])  # the updated summary card
    needs_date = (
        wanted is not None
        and entry.notice_date is None
        and entry.printed_deadline is None
        and not skipped
    )
    if skipped:
        replies.append(Reply("utter_date_unknown_ok", {}))
    replies.extend(deadline_replies(current))
    if needs_date:
        replies.append(Reply(f"utter_ask_{wanted}", {"notice_code": current.notice.code}))
    lead = lead_explanation(explanations)
    if lead is not None and len(explanations) > 1:
        replies.extend(lead_replies(lead, [e for e in explanations if e is not lead]))
    return NoticeTurn(
        replies=replies,
        entries=remembered,
        target=target,
        status=STATUS_NEEDS_DATE if needs_date else STATUS_READY,
        requested_date=wanted if needs_date else None,
        new_notice=bool(previous) and any(code not in previous for code in known),
    )
