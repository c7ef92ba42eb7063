"""Explain a notice: catalog entry + deadline -> the facts and SPEC's ``notice_summary`` payload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from noticebot.deadlines import (
    BASIS_COUNTED,
    BASIS_ESTIMATED,
    BASIS_NEEDS_NOTICE_DATE,
    BASIS_NEEDS_PRINTED_DATE,
    BASIS_PRINTED,
    DeadlineResult,
    compute_deadline,
)
from noticebot.knowledge.catalog import Catalog, Notice


@dataclass(frozen=True)
class NoticeExplanation:
    """A known notice with its timing, ready to be said and sent as a payload."""

    notice: Notice
    deadline: DeadlineResult

    @property
    def summary(self) -> dict[str, Any]:
        """SPEC's ``notice_summary`` payload."""
        return notice_summary(self.notice, self.deadline)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def notice_summary(notice: Notice, deadline: DeadlineResult) -> dict[str, Any]:
    """Build the ``notice_summary`` payload exactly as SPEC.md names its fields."""
    return {
        "type": "notice_summary",
        "notice_code": notice.code,
        "title": notice.title,
        "stage": notice.stage,
        "notice_date": _iso(deadline.notice_date),
        "response_deadline": _iso(deadline.response_deadline),
        "days_left": deadline.days_left,
        "urgency": deadline.urgency,
        "sources": list(notice.sources),
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


@dataclass(frozen=True)
class Reply:
    """One bot message: a response name of the domain, the values it is filled with, a payload."""

    response: str
    values: dict[str, Any]
    payload: dict[str, Any] | None = None


def say_day(day: dt.date) -> str:
    """A date as people read it: ``Wednesday, December 2, 2026``."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def explanation_replies(explanation: NoticeExplanation) -> list[Reply]:
    """The messages that explain a notice and its deadline, in the order they are sent."""
    notice, deadline = explanation.notice, explanation.deadline
    base = {"notice_code": notice.code, "title": notice.title}
    replies = [
        Reply("utter_notice_explained", {**base, "meaning": notice.meaning.text}),
        Reply("utter_notice_summary", base, payload=explanation.summary),
    ]
    values: dict[str, Any] = {**base, "deadline_rule": notice.deadline.text}
    if deadline.response_deadline is not None:
        values["response_deadline"] = say_day(deadline.response_deadline)
        values["days_left"] = deadline.days_left
    if deadline.notice_date is not None:
        values["notice_date"] = say_day(deadline.notice_date)
    if deadline.days_left is not None and deadline.days_left < 0:
        replies.append(Reply("utter_deadline_passed", values))
    elif deadline.basis == BASIS_COUNTED:
        replies.append(Reply("utter_deadline_counted", values))
    elif deadline.basis == BASIS_ESTIMATED:
        replies.append(Reply("utter_deadline_estimated", values))
    elif deadline.basis == BASIS_PRINTED:
        replies.append(Reply("utter_deadline_printed", values))
    elif deadline.basis == BASIS_NEEDS_PRINTED_DATE:
        replies.append(Reply("utter_deadline_needs_printed_date", values))
    elif deadline.basis == BASIS_NEEDS_NOTICE_DATE:
        replies.append(Reply("utter_deadline_needs_notice_date", values))
    else:
        replies.append(Reply("utter_deadline_none", values))
    if deadline.moved_from is not None and (deadline.days_left or 0) >= 0:
        replies.append(
            Reply(
                "utter_deadline_moved",
                {"moved_from": say_day(deadline.moved_from), "moved_reason": deadline.moved_reason},
            )
        )
    return replies
