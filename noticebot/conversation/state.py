"""What a conversation knows (the facts) and what it has said (the memory), as plain values.

The Rasa adapter keeps every field in a slot of the same name (``SLOTS``); ``from_slots`` and
``to_slots`` convert. Nothing here knows Rasa.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from noticebot.notices import NoticeEntry

# The questions the assistant asks and waits for (``pending_question``).
ASK_NOTICE_CODE = "notice_code"
ASK_NOTICE_DATE = "notice_date"
ASK_PRINTED_DEADLINE = "printed_deadline"
ASK_AGREES = "agrees_with_amount"
ASK_CAN_PAY = "can_pay_in_full"
ASK_RED_FLAGS = "has_red_flags"
DATE_QUESTIONS = (ASK_NOTICE_DATE, ASK_PRINTED_DEADLINE)
YES_NO_QUESTIONS = (ASK_AGREES, ASK_CAN_PAY, ASK_RED_FLAGS)

# What comes after the assistant's answer: wait for the person, or (re)start the intake form.
LISTEN = "listen"
INTAKE = "intake"


@dataclass(frozen=True)
class Memory:
    """What was said already, so nothing is said twice: the card of each notice (by a
    fingerprint of its content), the route given, whether a person was offered."""

    cards: Mapping[str, str] = field(default_factory=dict)
    route: str | None = None  # fingerprint of the route given last
    intake_offered: bool = False
    asked_code: bool = False  # "which notice did you get?" was asked
    greeted: bool = False
    reasked: int = 0  # times the pending question was asked again without an answer
    more: str | None = None  # the catalog topic offered after a short answer ("say more")

    def as_slot(self) -> dict[str, Any]:
        """Plain values for the ``shown`` slot."""
        return {
            "cards": dict(self.cards),
            "route": self.route,
            "intake_offered": self.intake_offered,
            "asked_code": self.asked_code,
            "greeted": self.greeted,
            "reasked": self.reasked,
            "more": self.more,
        }

    @classmethod
    def from_slot(cls, value: Mapping[str, Any] | None) -> Memory:
        """Rebuild from :meth:`as_slot` (an empty memory for ``None``)."""
        if not value:
            return cls()
        return cls(
            cards={str(k): str(v) for k, v in (value.get("cards") or {}).items()},
            route=value.get("route"),
            intake_offered=bool(value.get("intake_offered")),
            asked_code=bool(value.get("asked_code")),
            greeted=bool(value.get("greeted")),
            reasked=int(value.get("reasked") or 0),
            more=str(value["more"]) if value.get("more") else None,
        )


@dataclass(frozen=True)
class ConversationState:
    """The conversation's facts and memory; ``None`` means not known (not asked, not said)."""

    notices: tuple[NoticeEntry, ...] = ()
    notice_code: str | None = None  # the notice being discussed (named last)
    amount: float | None = None
    tax_years: tuple[int, ...] = ()
    agrees_with_amount: bool | None = None
    dispute_reason: str | None = None
    can_pay_in_full: bool | None = None
    monthly_payment: float | None = None
    red_flags: tuple[str, ...] = ()  # warning signs the person told
    has_red_flags: bool | None = None  # the answer to the warning-signs question
    installment_agreement: bool | None = None
    missed_installment: bool | None = None
    hardship: bool | None = None
    asked_for_human: bool = False
    pending_question: str | None = None
    route: str | None = None
    shown: Memory = field(default_factory=Memory)
    # What a photo or PDF of the notice said, until the person confirms it (MessageFacts.as_dict;
    # noticebot.conversation.documents)
    pending_document: Mapping[str, Any] | None = None
    # The reminders asked for in the chat (noticebot.reminders.Reminder.as_slot), until sent
    reminders: tuple[Mapping[str, Any], ...] = ()

    def with_changes(self, **changes: Any) -> ConversationState:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def entry(self, code: str | None) -> NoticeEntry | None:
        """The remembered notice ``code``, if any."""
        return next((e for e in self.notices if e.code == code), None)

    def to_slots(self) -> dict[str, Any]:
        """Every field as the plain value of its slot."""
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "notices":
                value = [entry.as_slot() for entry in value]
            elif item.name == "shown":
                value = value.as_slot()
            elif isinstance(value, tuple):
                value = [dict(v) if isinstance(v, Mapping) else v for v in value]
            out[item.name] = value
        return out

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> ConversationState:
        """The state kept in ``slots`` (missing or malformed values are unknown)."""

        def boolean(name: str) -> bool | None:
            value = slots.get(name)
            return value if isinstance(value, bool) else None

        def number(name: str) -> float | None:
            value = slots.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                return None
            return float(value)

        def text(name: str) -> str | None:
            value = slots.get(name)
            return str(value) if value not in (None, "") else None

        return cls(
            notices=tuple(NoticeEntry.from_slot(v) for v in slots.get("notices") or ()),
            notice_code=text("notice_code"),
            amount=number("amount"),
            tax_years=tuple(int(y) for y in slots.get("tax_years") or ()),
            agrees_with_amount=boolean("agrees_with_amount"),
            dispute_reason=text("dispute_reason"),
            can_pay_in_full=boolean("can_pay_in_full"),
            monthly_payment=number("monthly_payment"),
            red_flags=tuple(str(f) for f in slots.get("red_flags") or ()),
            has_red_flags=boolean("has_red_flags"),
            installment_agreement=boolean("installment_agreement"),
            missed_installment=boolean("missed_installment"),
            hardship=boolean("hardship"),
            asked_for_human=bool(slots.get("asked_for_human")),
            pending_question=text("pending_question"),
            route=text("route"),
            shown=Memory.from_slot(slots.get("shown")),
            pending_document=(
                dict(slots["pending_document"])
                if isinstance(slots.get("pending_document"), Mapping)
                else None
            ),
            reminders=tuple(
                dict(item) for item in slots.get("reminders") or () if isinstance(item, Mapping)
            ),
        )


# The slots the state lives in (domain/conversation.yml declares each one).
SLOTS = tuple(item.name for item in fields(ConversationState))
