"""Explain notices: catalog entry + dates -> facts, deadline replies and the ``notice_summary``.

A conversation may hold several notices; each keeps its own dates and summary, and the one with
the most urgent deadline leads. Which date of a message belongs to which notice is decided by
the reader (``noticebot.reading``); this module explains what is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from noticebot.deadlines import (
    BASIS_COUNTED,
    BASIS_ESTIMATED,
    BASIS_NEEDS_NOTICE_DATE,
    BASIS_NEEDS_PRINTED_DATE,
    BASIS_PRINTED,
    DeadlineInputError,
    DeadlineResult,
    ExpiringRight,
    compute_deadline,
    most_urgent,
)
from noticebot.knowledge.catalog import Catalog, Notice
from noticebot.reply import Reply

NOTICE_DATE = "notice_date"
PRINTED_DEADLINE = "printed_deadline"
RECEIVED = "received"


@dataclass(frozen=True)
class NoticeExplanation:
    """A known notice with its timing, ready to be said and sent as a payload."""

    notice: Notice
    deadline: DeadlineResult

    @property
    def summary(self) -> dict[str, Any]:
        """The ``notice_summary`` payload (docs/contract.md)."""
        return notice_summary(self.notice, self.deadline)


@dataclass(frozen=True)
class NoticeEntry:
    """What the conversation knows about one notice: its code, the dates given for it, and
    whether its date was asked for already (it is never asked twice)."""

    code: str
    notice_date: dt.date | None = None
    printed_deadline: dt.date | None = None
    received: dt.date | None = None
    date_asked: bool = False

    def as_slot(self) -> dict[str, Any]:
        """Plain values for a Rasa slot."""
        return {
            "code": self.code,
            NOTICE_DATE: _iso(self.notice_date),
            PRINTED_DEADLINE: _iso(self.printed_deadline),
            RECEIVED: _iso(self.received),
            "date_asked": self.date_asked,
        }

    @classmethod
    def from_slot(cls, value: Mapping[str, Any]) -> NoticeEntry:
        """Rebuild from :meth:`as_slot`; unreadable dates are dropped."""
        return cls(
            code=str(value["code"]),
            notice_date=parse_iso(value.get(NOTICE_DATE)),
            printed_deadline=parse_iso(value.get(PRINTED_DEADLINE)),
            received=parse_iso(value.get(RECEIVED)),
            date_asked=bool(value.get("date_asked", False)),
        )

    @property
    def has_date(self) -> bool:
        """True when the notice date or the printed deadline is known."""
        return self.notice_date is not None or self.printed_deadline is not None


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
    """Build the ``notice_summary`` payload with exactly the fields docs/contract.md names."""
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
    received: dt.date | None = None,
) -> NoticeExplanation | None:
    """Explain the notice ``code`` (canonical or alias); ``None`` when the catalog lacks it."""
    notice = catalog.resolve(code)
    if notice is None:
        return None
    deadline = compute_deadline(
        notice,
        today=today,
        notice_date=notice_date,
        printed_deadline=printed_deadline,
        received=received,
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
            received=entry.received,
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


def lead_explanation(explanations: Sequence[NoticeExplanation]) -> NoticeExplanation | None:
    """The notice whose deadline comes first leads (known deadlines before unknown ones)."""
    lead = most_urgent([e.deadline for e in explanations])
    return next((e for e in explanations if e.deadline is lead), None)


def explanation_replies(explanation: NoticeExplanation) -> list[Reply]:
    """The message that explains what a notice is; it carries the summary card."""
    notice = explanation.notice
    values = {"notice_code": notice.code, "title": notice.title, "meaning": notice.meaning.text}
    return [Reply("utter_notice_summary", values, payload=explanation.summary)]


# A right that only matters once another one has passed (the equivalent hearing is the late
# Collection Due Process request): it is not mentioned while the first one is open.
FALLBACK_RIGHTS = {"equivalent_hearing": "cdp_hearing"}


def _mentioned_rights(deadline: DeadlineResult) -> list[ExpiringRight]:
    """The rights worth saying: known last days, fallbacks only once their first right passed."""
    passed = {r.id for r in deadline.rights if r.days_left is not None and r.days_left < 0}
    return [
        right
        for right in deadline.rights
        if right.last_day is not None
        and right.days_left is not None
        and (right.id not in FALLBACK_RIGHTS or FALLBACK_RIGHTS[right.id] in passed)
    ]


def deadline_replies(explanation: NoticeExplanation) -> list[Reply]:
    """The messages about a notice's deadline, the weekend move and the rights that expire.

    Each date is said once: a right that ends on the response deadline is said with it.
    """
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
    elif deadline.likely_passed:
        response = "utter_deadline_likely_passed"
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
    for right in _mentioned_rights(deadline):
        assert right.last_day is not None and right.days_left is not None
        right_values = {
            "right": right.label,
            "form": right.form or "",
            "last_day": say_day(right.last_day),
            "days_left": right.days_left,
            "lost": right.lost,
        }
        if right.days_left < 0:
            replies.append(Reply("utter_right_lost", right_values))
        elif right.last_day == deadline.response_deadline and not passed:
            name = "utter_right_same_day_form" if right.form else "utter_right_same_day"
            replies.append(Reply(name, right_values))
        else:
            name = "utter_right_open_form" if right.form else "utter_right_open"
            replies.append(Reply(name, right_values))
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
