"""Handing the person to a human: the firm's contact when configured, free help otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from noticebot.reply import Reply
from noticebot.settings import FirmProfile

FALLBACK_INTENT = "nlu_fallback"
# Misunderstandings in a row after which a person is offered.
MISUNDERSTANDINGS_BEFORE_HANDOFF = 2


def handoff_replies(firm: FirmProfile) -> list[Reply]:
    """How to reach a person: the firm profile's contacts, or neutral free help."""
    contacts = [c for c in (firm.phone, firm.booking_url, firm.email) if c]
    if not contacts:
        return [Reply("utter_offer_human_neutral", {})]
    values = {"firm_contact": ", ".join(contacts)}
    if firm.name:
        return [Reply("utter_offer_human_firm", {**values, "firm_name": firm.name})]
    return [Reply("utter_offer_human_firm_unnamed", values)]


def consecutive_misunderstandings(user_intents: Sequence[str]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for intent in reversed(user_intents):
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


def misunderstanding_replies(user_intents: Sequence[str], firm: FirmProfile) -> list[Reply]:
    """Ask again after one misunderstanding; offer a person after two in a row."""
    if consecutive_misunderstandings(user_intents) >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
        return [Reply("utter_misunderstood_twice", {}), *handoff_replies(firm)]
    return [Reply("utter_misunderstood", {})]
