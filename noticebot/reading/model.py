"""What one message says: its notices with their own dates, the amount, and the person's situation.

``MessageFacts`` is plain data. It travels from the NLU pipeline to the actions inside Rasa's
parse data (``as_dict`` / ``from_dict``), so every field is a JSON value there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# The warning signs a person can tell (a balance over a limit and a passed hearing window are
# worked out from the amount and the dates, not read).
LEVY_IN_PLACE = "levy_in_place"
IDENTITY_THEFT = "identity_theft"
PASSPORT = "passport"
PAYROLL_TAXES = "payroll_taxes"
REVENUE_OFFICER = "revenue_officer"
SAID_RED_FLAGS = (LEVY_IN_PLACE, IDENTITY_THEFT, PASSPORT, PAYROLL_TAXES, REVENUE_OFFICER)

# Why a person disputes the amount.
DISPUTE_REASONS = (
    "already_paid",
    "payment_not_credited",
    "identity_theft",
    "never_filed",
    "wrong_amount",
    "not_mine",
)

# What a person asks (a message may ask several things).
QUESTION_KINDS = (
    "deadline",
    "consequences",
    "home",
    "passport",
    "payment_plan",
    "settlement",
    "appeal",
    "how_to_pay",
    "penalty_relief",
    "scam",
    "why_notice",
    "account_lookup",
    "what_to_do",
    "human",
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class NoticeMention:
    """A notice named in a message with the dates written with it."""

    code: str
    notice_date: dt.date | None = None
    printed_deadline: dt.date | None = None
    received: dt.date | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Plain values (ISO dates)."""
        return {
            "code": self.code,
            "notice_date": _iso(self.notice_date),
            "printed_deadline": _iso(self.printed_deadline),
            "received": _iso(self.received),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> NoticeMention:
        """Rebuild from :meth:`as_dict`; unreadable dates are dropped."""
        return cls(
            code=str(value["code"]),
            notice_date=_date(value.get("notice_date")),
            printed_deadline=_date(value.get("printed_deadline")),
            received=_date(value.get("received")),
        )

    @property
    def has_dates(self) -> bool:
        """True when any date was given with this notice."""
        return any((self.notice_date, self.printed_deadline, self.received))


@dataclass(frozen=True)
class LooseDate:
    """A date given without a notice: the day and its role ("notice", "deadline", "received")
    when cue words tell, else ``None``."""

    day: dt.date
    role: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Plain values."""
        return {"day": self.day.isoformat(), "role": self.role}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> LooseDate | None:
        """Rebuild from :meth:`as_dict`; ``None`` when the day is unreadable."""
        day = _date(value.get("day"))
        return cls(day=day, role=value.get("role")) if day is not None else None


@dataclass(frozen=True)
class MessageFacts:
    """Everything one message states; ``None`` means the message does not say."""

    notices: tuple[NoticeMention, ...] = ()
    # Dates the message gives without any notice named in it (they answer a question, or
    # belong to the notice being discussed), with the role their cue words give, if any.
    loose_dates: tuple[LooseDate, ...] = ()
    amount: float | None = None
    monthly_payment: float | None = None
    tax_years: tuple[int, ...] = ()
    forms: tuple[str, ...] = ()
    agrees: bool | None = None
    dispute_reason: str | None = None
    can_pay_in_full: bool | None = None
    can_cure_missed: bool | None = None  # can pay the missed plan payments now
    red_flags: tuple[str, ...] = ()
    denies_red_flags: bool = False  # "none of those", "no garnishment or anything"
    installment_agreement: bool | None = None
    missed_installment: bool | None = None
    hardship: bool | None = None
    wants_human: bool = False
    asks: tuple[str, ...] = ()
    unsure: bool = False  # "i don't know", "not sure"
    no_date: bool = False  # "i don't have the date", "can't find it"
    acknowledgement: bool = False  # the whole message is "ok", "got it", "i see"
    answer_word: str | None = None  # "yes" or "no" when the message opens with one

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values, for Rasa's parse data."""
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in ("notices", "loose_dates"):
                value = [entry.as_dict() for entry in value]
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[item.name] = value
        return out

    @classmethod
    def from_dict(cls, value: Mapping[str, Any] | None) -> MessageFacts:
        """Rebuild from :meth:`as_dict`; unknown keys are ignored, missing ones are empty."""
        if not value:
            return cls()
        kwargs: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in value:
                continue
            raw = value[item.name]
            if item.name == "notices":
                kwargs[item.name] = tuple(NoticeMention.from_dict(v) for v in raw or ())
            elif item.name == "loose_dates":
                found = (LooseDate.from_dict(v) for v in raw or ())
                kwargs[item.name] = tuple(d for d in found if d is not None)
            elif item.name == "tax_years":
                kwargs[item.name] = tuple(int(v) for v in raw or ())
            elif isinstance(raw, list):
                kwargs[item.name] = tuple(raw)
            else:
                kwargs[item.name] = raw
        return cls(**kwargs)

    @property
    def codes(self) -> tuple[str, ...]:
        """The notice codes named, in order."""
        return tuple(notice.code for notice in self.notices)

    @property
    def situation(self) -> dict[str, Any]:
        """The triage facts the message states (only those it states)."""
        found = {
            "agrees": self.agrees,
            "dispute_reason": self.dispute_reason,
            "can_pay_in_full": self.can_pay_in_full,
            "can_cure_missed": self.can_cure_missed,
            "installment_agreement": self.installment_agreement,
            "missed_installment": self.missed_installment,
            "hardship": self.hardship,
            "monthly_payment": self.monthly_payment,
        }
        return {key: value for key, value in found.items() if value is not None}

    @property
    def states_something(self) -> bool:
        """True when the message carries a notice, a form, an amount, a date or a triage fact."""
        return bool(
            self.notices
            or self.forms
            or self.amount is not None
            or self.loose_dates
            or self.situation
            or self.red_flags
            or self.wants_human
        )

    def with_changes(self, **changes: Any) -> MessageFacts:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def facts_from_entities(entities: list[Mapping[str, Any]]) -> MessageFacts:
    """Facts of a message that only carries entities (a button's payload such as
    ``/report_notice{"notice_code": "CP14"}``, which skips the NLU pipeline)."""
    codes = [str(e["value"]) for e in entities if e.get("entity") == "notice_code"]
    notices = tuple(NoticeMention(code=code) for code in dict.fromkeys(codes))
    dates = tuple(
        LooseDate(day=day, role=e.get("role"))
        for e in entities
        if e.get("entity") == "date" and (day := _date(e.get("value"))) is not None
    )
    amounts = [e.get("value") for e in entities if e.get("entity") == "amount"]
    amount = next((float(a) for a in amounts if isinstance(a, int | float)), None)
    return MessageFacts(notices=notices, loose_dates=dates, amount=amount)


EMPTY_FACTS = MessageFacts()
__all__ = [
    "DISPUTE_REASONS",
    "EMPTY_FACTS",
    "IDENTITY_THEFT",
    "LEVY_IN_PLACE",
    "PASSPORT",
    "PAYROLL_TAXES",
    "QUESTION_KINDS",
    "REVENUE_OFFICER",
    "SAID_RED_FLAGS",
    "LooseDate",
    "MessageFacts",
    "NoticeMention",
]
