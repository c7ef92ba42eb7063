"""The intake conversation's rules: consent, reading a name, a contact and a time, the replies.

Plain values in, plain values and domain replies out; the Rasa form in ``actions/intake.py``
only adapts. Nothing here stores anything: ``CaseRepository.save`` does, once consent is given
and the details are confirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from noticebot.deadlines import DeadlineResult
from noticebot.handoff import handoff_replies
from noticebot.intake.cases import Case, CaseDraft, NoticeRef
from noticebot.nlp.recognizer import canonical_email, canonical_name, canonical_phone
from noticebot.reply import Reply
from noticebot.settings import FirmProfile

# Said at any step of the intake, these stop it; nothing is stored.
STOP_PHRASES = (
    "never mind", "nevermind", "nvm", "stop", "cancel", "forget it", "quit", "abort",
    "i changed my mind", "not now", "don't", "dont", "no thanks", "no thank you",
)
# Answers to "when is a good time?" that mean any time.
NO_PREFERENCE = "no preference"
NO_PREFERENCE_PHRASES = (
    "skip", "no preference", "any time", "anytime", "whenever", "doesn't matter",
    "does not matter", "no", "nope", "none", "n/a", "na", "either", "whatever works",
)
MAX_NAME_LENGTH = 80
MAX_TIME_LENGTH = 120
# Words people put before their name ("my name is", "I'm", "it's", "this is").
_NAME_LEAD_RE = re.compile(
    r"^\s*(?:(?:my\s+(?:full\s+)?name\s+is|name\s*:|i\s*'?\s*a?m|it\s*'?\s*s|this\s+is|"
    r"call\s+me|you\s+can\s+call\s+me)\s+)",
    re.IGNORECASE,
)
# Answers that are words of the conversation, not a name or a time ("skip" is nobody's name
# here; "yes" to "when is a good time?" says nothing): the question is asked again.
NOT_A_NAME = frozenset({
    "skip", "yes", "yeah", "yep", "no", "nope", "ok", "okay", "sure", "none", "n/a", "na",
    "hi", "hello", "hey", "thanks", "thank you", "anything", "whatever", "idk", "i don't know",
})
NOT_A_TIME = frozenset({"yes", "yeah", "yep", "y", "ok", "okay", "sure", "fine"})
_NAME_CHARS_RE = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]*)*$")
_WORD_RE = re.compile(r"[a-z']+")


def _words(text: str) -> str:
    """The text lower-cased, words only, single spaces."""
    return " ".join(_WORD_RE.findall(text.lower().replace("’", "'")))


def is_stop(text: str | None) -> bool:
    """True when the whole message asks to stop ("never mind", "cancel", "stop")."""
    if not text:
        return False
    words = _words(text)
    return any(words == _words(phrase) for phrase in STOP_PHRASES)


# A short answer without a question in it answers the form's question, whatever intent the NLU
# gave it ("will s" is a name, not a question about a lien): at most this many words.
SHORT_ANSWER_WORDS = {"contact_name": 4, "contact_time": 8}
_QUESTION_START_RE = re.compile(
    r"^\s*(?:how|what|when|where|why|which|who|whats|can|could|would|should|do|does|is|are|am)"
    r"\b",
    re.IGNORECASE,
)


def short_answer(slot: str | None, text: str | None, *, asks_something: bool) -> str | None:
    """The raw answer to the form's question ``slot`` when ``text`` is short and asks nothing."""
    if slot not in SHORT_ANSWER_WORDS or not text or asks_something or "?" in text:
        return None
    if len(text.split()) > SHORT_ANSWER_WORDS[slot] or _QUESTION_START_RE.match(text):
        return None
    return text.strip()


def read_name(text: str | None) -> str | None:
    """The person's name from an answer ("my name is jane doe" -> "Jane Doe"), else None."""
    if not text:
        return None
    candidate = _NAME_LEAD_RE.sub("", text.strip()).strip(" .,!")
    if not candidate or len(candidate) > MAX_NAME_LENGTH or is_stop(candidate):
        return None
    if _words(candidate) in NOT_A_NAME:
        return None
    if not _NAME_CHARS_RE.match(candidate):
        return None
    return canonical_name(candidate)


@dataclass(frozen=True)
class Contact:
    """One way to reach the person: a normalized e-mail address or an E.164 phone number."""

    email: str | None = None
    phone: str | None = None


def read_contact(text: str | None) -> Contact | None:
    """An e-mail address or a phone number from an answer, validated; None when neither."""
    if not text:
        return None
    for token in re.split(r"[\s,;]+", text.strip()):
        if "@" in token:
            email = canonical_email(token.strip(".<>()"))
            if email:
                return Contact(email=email)
    phone = canonical_phone(text.strip())
    if phone is None:
        digits = re.sub(r"(?i)^\s*(?:my\s+)?(?:phone|number|cell|mobile)(?:\s+(?:is|number))*"
                        r"\s*:?\s*", "", text)
        phone = canonical_phone(digits.strip())
    return Contact(phone=phone) if phone else None


def read_time(text: str | None) -> str | None:
    """A preferred time as the person said it, ``NO_PREFERENCE`` for "skip", None if unusable."""
    if text is None:
        return None
    cleaned = " ".join(text.split()).strip(" .!")
    if not cleaned:
        return None
    if _words(cleaned) in {_words(p) for p in NO_PREFERENCE_PHRASES}:
        return NO_PREFERENCE
    if _words(cleaned) in NOT_A_TIME:
        return None
    if len(cleaned) > MAX_TIME_LENGTH:
        return None
    return cleaned


def contact_line(email: str | None, phone: str | None) -> str:
    """The contact details as one phrase ("jane@example.com and +12025550143")."""
    return " and ".join(c for c in (email, phone) if c)


def firm_label(firm: FirmProfile) -> str:
    """How the replies name whoever receives the case."""
    return firm.name or "the team that runs this assistant"


# ------------------------------------------------------------------------------- replies


def consent_question(firm: FirmProfile) -> Reply:
    """Ask for consent, saying what is stored, who sees it and how to delete it."""
    return Reply("utter_ask_intake_consent", {"firm_name": firm_label(firm)})


def confirm_question(
    name: str | None, email: str | None, phone: str | None, time: str | None
) -> Reply:
    """Read the details back before anything is stored."""
    return Reply(
        "utter_ask_intake_confirmed",
        {
            "contact_name": name or "",
            "contact": contact_line(email, phone),
            "contact_time": time if time and time != NO_PREFERENCE else "any time",
        },
    )


def created_replies(case: Case, *, created: bool, firm: FirmProfile) -> list[Reply]:
    """Confirm the stored case with its ``case_created`` payload, then how to reach the firm."""
    values = {
        "case_id": case.id,
        "firm_name": firm_label(firm),
        "contact": contact_line(case.contact_email, case.contact_phone),
    }
    payload = {"type": "case_created", "case_id": case.id}
    response = "utter_case_created" if created else "utter_case_updated"
    replies = [Reply(response, values, payload)]
    if firm.booking_url:
        replies.append(Reply("utter_case_booking_link", {"booking_url": firm.booking_url}))
    if firm.phone:
        replies.append(Reply("utter_case_firm_phone", {"firm_phone": firm.phone}))
    return replies


def not_stored_replies() -> list[Reply]:
    """The person said no or stopped: say plainly that nothing was kept."""
    return [Reply("utter_intake_not_stored", {})]


def failed_replies(firm: FirmProfile) -> list[Reply]:
    """Saving failed: apologize and give a direct way to reach a person."""
    return [Reply("utter_intake_failed", {}), *handoff_replies(firm)]


# ------------------------------------------------------------------------------- the draft


def _amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount >= 0 else None


def build_draft(
    *,
    channel: str,
    conversation_id: str,
    deadlines: Sequence[DeadlineResult],
    lead: DeadlineResult | None,
    amount: object,
    agrees_with_amount: bool | None,
    can_pay_in_full: bool | None,
    has_red_flags: bool | None,
    route: str | None,
    reasons: Sequence[str],
    contact_name: str,
    contact_email: str | None,
    contact_phone: str | None,
    contact_time: str | None,
    consent_at: dt.datetime,
) -> CaseDraft:
    """The case as the conversation left it (``lead`` is the most urgent notice's deadline)."""
    return CaseDraft(
        channel=channel or "unknown",
        conversation_id=conversation_id,
        notices=tuple(
            NoticeRef(d.notice_code, d.notice_date, d.response_deadline) for d in deadlines
        ),
        response_deadline=lead.response_deadline if lead else None,
        urgency=lead.urgency if lead else "unknown",
        amount=_amount(amount),
        agrees_with_amount=agrees_with_amount,
        can_pay_in_full=can_pay_in_full,
        has_red_flags=has_red_flags,
        route=route,
        reasons=tuple(reasons),
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_time=None if contact_time in (None, NO_PREFERENCE) else contact_time,
        consent_at=consent_at,
    )
