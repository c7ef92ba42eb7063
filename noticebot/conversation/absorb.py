"""Take what one message says into the conversation's facts.

The message's facts (``noticebot.reading``) are merged first: a fact said again replaces the
earlier one ("actually I can pay it"). A yes, a no or an "I don't know" answers the question
the assistant asked last; the intent fills a fact only when the message itself says nothing
about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from noticebot.conversation.state import (
    ASK_AGREES,
    ASK_CAN_PAY,
    ASK_NOTICE_CODE,
    ASK_NOTICE_DATE,
    ASK_PRINTED_DEADLINE,
    ASK_RED_FLAGS,
    DATE_QUESTIONS,
    ConversationState,
)
from noticebot.deadlines import DeadlineInputError, compute_deadline
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import NoticeEntry
from noticebot.reading import MessageFacts

AFFIRM, DENY = "affirm", "deny"
# Intents that state a fact when the message's words do not (the intent names of docs/contract.md).
INTENT_FACTS: dict[str, dict[str, bool]] = {
    "dispute_notice": {"agrees_with_amount": False},
    "can_pay": {"can_pay_in_full": True},
    "cannot_pay": {"can_pay_in_full": False},
    "report_hardship": {"hardship": True},
    "missed_payment": {"missed_installment": True, "installment_agreement": True},
}
# How sure the intent must be before it states a fact on its own, and how short the message
# (in words): a long message says many things, and its one intent is no statement of a fact.
INTENT_FACT_CONFIDENCE = 0.6
INTENT_FACT_MAX_WORDS = 15


@dataclass(frozen=True)
class Notes:
    """What merging the message found worth saying besides the facts themselves."""

    unknown_codes: tuple[str, ...] = ()  # codes the catalog does not have
    invalid_dates: tuple[str, ...] = ()  # notices whose dates could not be right (dropped)
    answered: bool = False  # the pending question got its answer
    unsure: str | None = None  # the pending question answered "I don't know"
    date_skipped: bool = False  # the pending date question answered "I don't have it"
    code_unknown: bool = False  # "which notice?" answered "I don't know"
    new_notices: tuple[str, ...] = ()
    changed: tuple[str, ...] = field(default_factory=tuple)  # facts the message changed


def _merge_notices(
    state: ConversationState, facts: MessageFacts, *, catalog: Catalog
) -> tuple[ConversationState, list[str], list[str]]:
    """Add the named notices with their dates; returns the state, new and unknown codes."""
    entries = list(state.notices)
    new: list[str] = []
    unknown: list[str] = []
    current = state.notice_code
    for mention in facts.notices:
        notice = catalog.resolve(mention.code)
        if notice is None:
            unknown.append(mention.code)
            continue
        index = next((i for i, e in enumerate(entries) if e.code == notice.code), None)
        if index is None:
            entries.append(NoticeEntry(code=notice.code))
            index = len(entries) - 1
            new.append(notice.code)
        entry = entries[index]
        entries[index] = replace(
            entry,
            notice_date=mention.notice_date or entry.notice_date,
            printed_deadline=mention.printed_deadline or entry.printed_deadline,
            received=mention.received or entry.received,
        )
        current = notice.code
    return state.with_changes(notices=tuple(entries), notice_code=current), new, unknown


def _place_loose_dates(
    state: ConversationState, facts: MessageFacts, *, today: dt.date
) -> ConversationState:
    """Give the dates written without a notice to the notice asked about or discussed.

    A date with a cue ("dated", "pay by", "came") keeps its role. Without one it answers the
    date question pending, else a future date is a response date and a past one the notice
    date.
    """
    if not facts.loose_dates or not state.notices:
        return state
    target = state.notice_code or state.notices[-1].code
    entry = state.entry(target)
    if entry is None:
        return state
    asked = state.pending_question if state.pending_question in DATE_QUESTIONS else None
    found: dict[str, dt.date] = {}
    for loose in facts.loose_dates:
        if loose.role == "received":
            kind = "received"
        elif loose.role == "deadline":
            kind = ASK_PRINTED_DEADLINE
        elif loose.role == "notice":
            kind = ASK_NOTICE_DATE
        elif asked is not None and asked not in found:
            kind = asked
        else:
            kind = ASK_PRINTED_DEADLINE if loose.day > today else ASK_NOTICE_DATE
        found.setdefault(kind, loose.day)
    updated = replace(
        entry,
        notice_date=found.get(ASK_NOTICE_DATE, entry.notice_date),
        printed_deadline=found.get(ASK_PRINTED_DEADLINE, entry.printed_deadline),
        received=found.get("received", entry.received),
    )
    return state.with_changes(
        notices=tuple(updated if e.code == target else e for e in state.notices)
    )


def _check_dates(
    state: ConversationState, *, catalog: Catalog, today: dt.date
) -> tuple[ConversationState, list[str]]:
    """Drop the dates that cannot be right (a deadline before its notice date, a notice dated
    far ahead); returns the codes whose dates were dropped."""
    entries = []
    invalid = []
    for entry in state.notices:
        notice = catalog.resolve(entry.code)
        if notice is None:
            continue
        try:
            compute_deadline(
                notice,
                today=today,
                notice_date=entry.notice_date,
                printed_deadline=entry.printed_deadline,
                received=entry.received,
            )
        except DeadlineInputError:
            invalid.append(entry.code)
            entry = NoticeEntry(code=entry.code, date_asked=False)
        entries.append(entry)
    return state.with_changes(notices=tuple(entries)), invalid


def _answer_pending(
    state: ConversationState, facts: MessageFacts, intent: str | None, *, dates_given: bool
) -> tuple[ConversationState, Notes]:
    """Apply a yes, a no or an "I don't know" to the question asked last."""
    pending = state.pending_question
    yes = (intent == AFFIRM and not facts.acknowledgement) or facts.answer_word == "yes"
    no = intent == DENY or facts.answer_word == "no"
    if yes and no:
        yes = facts.answer_word == "yes"
        no = not yes
    if pending == ASK_AGREES:
        if facts.agrees is not None:
            return state, Notes(answered=True)
        if yes or no:
            return state.with_changes(agrees_with_amount=yes), Notes(answered=True)
        if facts.unsure:
            return state.with_changes(agrees_with_amount=True), Notes(answered=True, unsure=pending)
    elif pending == ASK_CAN_PAY:
        cure = state.missed_installment and facts.can_cure_missed is not None
        if cure or facts.can_pay_in_full is not None or facts.hardship:
            return state, Notes(answered=True)
        if yes or no:
            return state.with_changes(can_pay_in_full=yes), Notes(answered=True)
        if facts.unsure:
            return state.with_changes(can_pay_in_full=False), Notes(answered=True, unsure=pending)
    elif pending == ASK_RED_FLAGS:
        if facts.red_flags:
            return state.with_changes(has_red_flags=True), Notes(answered=True)
        if facts.denies_red_flags or no:
            return state.with_changes(has_red_flags=False), Notes(answered=True)
        if yes:
            return state.with_changes(has_red_flags=True), Notes(answered=True)
        if facts.unsure:
            return state.with_changes(has_red_flags=False), Notes(answered=True, unsure=pending)
    elif pending in DATE_QUESTIONS:
        if dates_given:
            return state, Notes(answered=True)
        if no or facts.no_date or facts.unsure:
            return state, Notes(answered=True, date_skipped=True)
    elif pending == ASK_NOTICE_CODE:
        if facts.notices:
            return state, Notes(answered=True)
        if no or facts.unsure:
            return state, Notes(answered=True, code_unknown=True)
    return state, Notes()


def _dates_given(before: ConversationState, after: ConversationState) -> bool:
    """True when a notice got a notice date or a printed deadline it did not have."""
    for entry in after.notices:
        earlier = before.entry(entry.code)
        old = (earlier.notice_date, earlier.printed_deadline) if earlier else (None, None)
        if entry.has_date and (entry.notice_date, entry.printed_deadline) != old:
            return True
    return False


_SITUATION_FIELDS = {
    "agrees": "agrees_with_amount",
    "dispute_reason": "dispute_reason",
    "can_pay_in_full": "can_pay_in_full",
    "installment_agreement": "installment_agreement",
    "missed_installment": "missed_installment",
    "hardship": "hardship",
    "monthly_payment": "monthly_payment",
}


def absorb(
    state: ConversationState,
    facts: MessageFacts,
    *,
    intent: str | None,
    confidence: float,
    catalog: Catalog,
    today: dt.date,
    words: int = 0,
) -> tuple[ConversationState, Notes]:
    """The state after one message (of ``words`` words), and what merging it found worth
    saying."""
    before = state
    state, new_codes, unknown = _merge_notices(state, facts, catalog=catalog)
    state = _place_loose_dates(state, facts, today=today)
    state, invalid = _check_dates(state, catalog=catalog, today=today)
    if facts.no_date and state.notice_code is not None:
        # "i don't know what date the letter is": its date is not asked for
        state = state.with_changes(
            notices=tuple(
                replace(e, date_asked=True) if e.code == state.notice_code else e
                for e in state.notices
            )
        )
    state, notes = _answer_pending(
        state, facts, intent, dates_given=_dates_given(before, state)
    )

    changes: dict[str, object] = {}
    for name, slot in _SITUATION_FIELDS.items():
        value = getattr(facts, name)
        if value is not None:
            changes[slot] = value
    if state.missed_installment or facts.missed_installment:
        # with a missed plan payment the question is whether the missed payments can be paid
        # (that keeps the plan); paying the whole balance would do too, not paying it all says
        # nothing about them
        if facts.can_cure_missed is not None:
            changes["can_pay_in_full"] = facts.can_cure_missed
        elif facts.can_pay_in_full is False:
            changes.pop("can_pay_in_full", None)
    if facts.agrees is True:
        changes["dispute_reason"] = None
    if facts.missed_installment:
        changes["installment_agreement"] = True
    if facts.amount is not None:
        changes["amount"] = facts.amount
    if facts.tax_years:
        changes["tax_years"] = tuple(dict.fromkeys((*state.tax_years, *facts.tax_years)))
    if facts.red_flags:
        changes["red_flags"] = tuple(dict.fromkeys((*state.red_flags, *facts.red_flags)))
    if facts.wants_human or (
        intent == "request_human"
        and confidence >= INTENT_FACT_CONFIDENCE
        and words <= INTENT_FACT_MAX_WORDS
    ):
        changes["asked_for_human"] = True
    if (
        intent in INTENT_FACTS
        and confidence >= INTENT_FACT_CONFIDENCE
        and words <= INTENT_FACT_MAX_WORDS
    ):
        for slot, value in INTENT_FACTS[intent].items():
            stated = any(
                _SITUATION_FIELDS.get(name) == slot and getattr(facts, name) is not None
                for name in _SITUATION_FIELDS
            )
            if not stated and slot not in changes and getattr(state, slot) is None:
                changes[slot] = value  # the intent only fills what is still unknown
    state = state.with_changes(**changes)
    changed = tuple(
        slot
        for slot in changes
        if getattr(before, slot) is not None and getattr(before, slot) != getattr(state, slot)
    )
    return state, replace(
        notes,
        unknown_codes=tuple(unknown),
        invalid_dates=tuple(invalid),
        new_notices=tuple(new_codes),
        changed=changed,
    )


