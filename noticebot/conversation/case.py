"""The case an intake leaves for the firm, drafted from what the conversation knows.

The notices' deadlines (the most urgent one leads), the person's answers, the route with its
reasons (triage run again on the same facts), and the contact details the intake form read.
Nothing here knows Rasa: ``actions/intake.py`` passes the state and the form's answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticebot.conversation.engine import route_for
from noticebot.conversation.state import ConversationState
from noticebot.intake.cases import CaseDraft
from noticebot.intake.flow import build_draft
from noticebot.knowledge.catalog import Catalog
from noticebot.notices import explain_entries, lead_explanation


@dataclass(frozen=True)
class Contact:
    """What the intake form read: a name, an e-mail or a phone, a time; when consent was given."""

    name: str
    email: str | None
    phone: str | None
    time: str | None
    consent_at: dt.datetime


def case_draft(
    state: ConversationState,
    contact: Contact,
    *,
    channel: str,
    conversation_id: str,
    catalog: Catalog,
    today: dt.date,
) -> CaseDraft:
    """The case draft of the conversation (checked by ``CaseDraft`` when built)."""
    explanations = explain_entries(catalog, state.notices, today=today)
    lead = lead_explanation(explanations)
    reasons: tuple[str, ...] = ()
    if state.route:
        result = route_for(state, catalog=catalog, today=today)
        reasons = result.reasons if result is not None else ()
    return build_draft(
        channel=channel,
        conversation_id=conversation_id,
        deadlines=[e.deadline for e in explanations],
        lead=lead.deadline if lead else None,
        amount=state.amount,
        agrees_with_amount=state.agrees_with_amount,
        can_pay_in_full=state.can_pay_in_full,
        has_red_flags=state.has_red_flags,
        route=state.route,
        reasons=reasons,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        contact_time=contact.time,
        consent_at=contact.consent_at,
    )
