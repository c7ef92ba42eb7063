"""Notice date -> response deadline, days left, urgency, and the rights that expire.

Rules (docs/contract.md): the date printed on the notice wins. A deadline *counted* from the notice
date that ends on a Saturday, Sunday or District of Columbia legal holiday moves to the next
business day (IRC 7503). Urgency: ``overdue`` (< 0 days left), ``urgent`` (0-7), ``soon``
(8-14), ``normal`` (> 14), ``unknown`` when no deadline can be given. A notice whose
hearing window is still open (a final notice of intent to levy, a lien notice) is at least
``soon``: its deadline guards a right that does not come back.

When only the day the notice arrived is known, a notice dated by a counted rule was dated that
day or earlier, so its deadline is at the latest that day plus the rule's days: when even that
is past, the window has most likely closed (``likely_passed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from noticebot.knowledge.catalog import Notice, Right

OVERDUE = "overdue"
URGENT = "urgent"
SOON = "soon"
NORMAL = "normal"
UNKNOWN = "unknown"

# How the response deadline was found.
BASIS_PRINTED = "printed"  # the date printed on the notice
BASIS_COUNTED = "counted"  # notice date + the notice's rule (IRC 7503 applied)
BASIS_ESTIMATED = "estimated"  # notice date + the usual period a source gives; check the notice
BASIS_NEEDS_PRINTED_DATE = "needs_printed_date"  # only the printed date counts and we lack it
BASIS_NEEDS_NOTICE_DATE = "needs_notice_date"  # a counted rule, but no notice date yet
BASIS_NO_DEADLINE = "no_deadline"  # the notice asks for nothing by a date

# The rights whose open window keeps a notice at least "soon" (a hearing that does not come back).
HEARING_RIGHTS = frozenset({"cdp_hearing"})

# A notice dated further ahead than this is almost surely a typing mistake.
MAX_FUTURE_NOTICE_DAYS = 31


class DeadlineInputError(ValueError):
    """The dates given cannot be right (deadline before the notice date, a far-future notice)."""


@dataclass(frozen=True)
class BusinessDay:
    """A last day for acting, after moving past weekends and DC legal holidays."""

    day: dt.date
    moved_from: dt.date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ExpiringRight:
    """A right with the last day to use it (``None`` when it cannot be computed yet)."""

    id: str
    label: str
    form: str | None
    last_day: dt.date | None
    days_left: int | None
    lost: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineResult:
    """Everything the assistant says about a notice's timing."""

    notice_code: str
    notice_date: dt.date | None
    response_deadline: dt.date | None
    days_left: int | None
    urgency: str
    basis: str
    moved_from: dt.date | None
    moved_reason: str | None
    rights: tuple[ExpiringRight, ...]
    likely_passed: bool = False  # no date, but the day it arrived says the window has closed


@lru_cache(maxsize=16)
def _dc_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", subdiv="DC", years=[year])


def dc_holiday_name(day: dt.date) -> str | None:
    """Return the name of the District of Columbia legal holiday on ``day``, if any."""
    name = _dc_holidays(day.year).get(day)
    return str(name) if name else None


def next_business_day(day: dt.date) -> BusinessDay:
    """Move ``day`` forward past Saturdays, Sundays and DC legal holidays (IRC 7503)."""
    current = day
    reason: str | None = None
    while True:
        if current.weekday() == 5:
            reason = reason or "a Saturday"
        elif current.weekday() == 6:
            reason = reason or "a Sunday"
        elif (holiday := dc_holiday_name(current)) is not None:
            reason = reason or f"a legal holiday ({holiday})"
        else:
            break
        current += dt.timedelta(days=1)
    if current == day:
        return BusinessDay(day=day)
    return BusinessDay(day=current, moved_from=day, reason=reason)


def urgency_for(days_left: int | None) -> str:
    """Map days left to the urgency levels of docs/contract.md."""
    if days_left is None:
        return UNKNOWN
    if days_left < 0:
        return OVERDUE
    if days_left <= 7:
        return URGENT
    if days_left <= 14:
        return SOON
    return NORMAL


def _check_inputs(
    *, today: dt.date, notice_date: dt.date | None, printed_deadline: dt.date | None
) -> None:
    if notice_date is not None and (notice_date - today).days > MAX_FUTURE_NOTICE_DAYS:
        raise DeadlineInputError(
            f"the notice date {notice_date.isoformat()} is in the future; "
            "please check the date printed on the notice"
        )
    if notice_date is not None and printed_deadline is not None and printed_deadline < notice_date:
        raise DeadlineInputError(
            f"the response date {printed_deadline.isoformat()} is before the notice date "
            f"{notice_date.isoformat()}; please check both dates"
        )


def _right_last_day(
    right: Right, *, notice_date: dt.date | None, printed_deadline: dt.date | None
) -> dt.date | None:
    if right.follows_response_deadline and printed_deadline is not None:
        return printed_deadline
    if notice_date is None:
        return None
    if right.days_from_notice is not None:
        return next_business_day(notice_date + dt.timedelta(days=right.days_from_notice)).day
    if right.years_from_notice is not None:
        return next_business_day(notice_date + relativedelta(years=right.years_from_notice)).day
    return None


def compute_deadline(
    notice: Notice,
    *,
    today: dt.date,
    notice_date: dt.date | None = None,
    printed_deadline: dt.date | None = None,
    received: dt.date | None = None,
) -> DeadlineResult:
    """Compute the response deadline, days left, urgency and expiring rights of ``notice``.

    ``received`` (the day it arrived) only matters when no other date is known.
    """
    _check_inputs(today=today, notice_date=notice_date, printed_deadline=printed_deadline)
    rule = notice.deadline
    moved_from: dt.date | None = None
    moved_reason: str | None = None
    deadline: dt.date | None = None
    if rule.rule == "none":
        basis = BASIS_NO_DEADLINE
    elif printed_deadline is not None:
        deadline, basis = printed_deadline, BASIS_PRINTED
    else:
        days = rule.days if rule.rule == "days_from_notice" else rule.fallback_days
        if days is None:
            basis = BASIS_NEEDS_PRINTED_DATE
        elif notice_date is None:
            basis = BASIS_NEEDS_NOTICE_DATE
        else:
            counted = next_business_day(notice_date + dt.timedelta(days=days))
            deadline, moved_from, moved_reason = counted.day, counted.moved_from, counted.reason
            basis = BASIS_COUNTED if rule.rule == "days_from_notice" else BASIS_ESTIMATED
    days_left = (deadline - today).days if deadline is not None else None
    rights = tuple(
        _expiring(right, today=today, notice_date=notice_date, printed_deadline=printed_deadline)
        for right in notice.rights
    )
    urgency = urgency_for(days_left)
    hearing_open = any(
        right.id in HEARING_RIGHTS and right.days_left is not None and right.days_left >= 0
        for right in rights
    )
    if urgency == NORMAL and hearing_open:
        urgency = SOON
    likely_passed = False
    if deadline is None and notice_date is None and received is not None:
        days = rule.days if rule.rule == "days_from_notice" else rule.fallback_days
        likely_passed = days is not None and received + dt.timedelta(days=days) < today
    return DeadlineResult(
        notice_code=notice.code,
        notice_date=notice_date,
        response_deadline=deadline,
        days_left=days_left,
        urgency=urgency,
        basis=basis,
        moved_from=moved_from,
        moved_reason=moved_reason,
        rights=rights,
        likely_passed=likely_passed,
    )


def _expiring(
    right: Right,
    *,
    today: dt.date,
    notice_date: dt.date | None,
    printed_deadline: dt.date | None,
) -> ExpiringRight:
    last_day = _right_last_day(right, notice_date=notice_date, printed_deadline=printed_deadline)
    return ExpiringRight(
        id=right.id,
        label=right.label,
        form=right.form,
        last_day=last_day,
        days_left=(last_day - today).days if last_day is not None else None,
        lost=right.lost,
        sources=right.sources,
    )


def most_urgent(results: list[DeadlineResult]) -> DeadlineResult | None:
    """Return the result whose deadline comes first (known deadlines before unknown ones)."""
    if not results:
        return None
    return min(
        results,
        key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0),
    )
