"""Cases: what an intake conversation leaves for the firm, and the summary a professional reads.

Pure domain: no database here. ``CaseDraft`` is what the action server builds once the person
has consented and confirmed their details; it checks itself when built (``ValueError``).
``Case`` is a stored case. It is flat: it extends ``CaseDraft`` with the fields the store adds
(id, times, status, summary), so ``case.contact_email`` reads like ``draft.contact_email`` and
``case.draft`` gives the plain draft back.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from noticebot.deadlines import NORMAL, OVERDUE, SOON, UNKNOWN, URGENT, urgency_for
from noticebot.knowledge.catalog import ROUTES
from noticebot.settings import get_settings

NEW, CONTACTED, CLOSED = "new", "contacted", "closed"
STATUSES = (NEW, CONTACTED, CLOSED)
URGENCIES = (OVERDUE, URGENT, SOON, NORMAL, UNKNOWN)
# Urgencies that ``cases list --urgent`` shows, and the most days left that is still urgent
# (noticebot.deadlines.urgency_for: overdue below 0, urgent from 0 to 7).
URGENT_URGENCIES = (OVERDUE, URGENT)
URGENT_MAX_DAYS_LEFT = 7

# Longest values the store keeps (the columns in models.py and the migration use these sizes).
MAX_CHANNEL = 64
MAX_CONVERSATION_ID = 255
MAX_NAME = 200
MAX_EMAIL = 320
MAX_PHONE = 32
MAX_TIME = 200
MAX_NOTICE_CODE = 32
# Numeric(12, 2): below ten billion dollars.
MAX_AMOUNT = Decimal("9999999999.99")

# Case ids: "C" and ten characters of Crockford's base32 (no I, L, O, U: nothing to misread).
CASE_ID_PREFIX = "C"
CASE_ID_LENGTH = 10
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CASE_ID_RE = re.compile(rf"^{CASE_ID_PREFIX}[{CROCKFORD_ALPHABET}]{{{CASE_ID_LENGTH}}}$")

# ------------------------------------------------------------------ the summary's sentence pieces
# Every word of ``summarize`` is in ``staff.yml`` of the knowledge directory (the content tree:
# docs/content.md); the functions below only choose and join them.
STAFF_FILE = "staff.yml"
_ANSWER_PIECES = ("agrees", "can_pay", "red_flags")  # said for a yes and for a no


@dataclass(frozen=True)
class SummaryWords:
    """The sentence pieces of a case summary (``staff.yml``, ``summary``)."""

    notice_dated: str
    notice: str
    no_notice: str
    respond_by: str
    respond_by_overdue: str
    no_deadline: str
    days_left: str
    due_today: str
    days: str
    one_day: str
    owes: str
    amount_not_given: str
    agrees: Mapping[bool, str]
    can_pay: Mapping[bool, str]
    red_flags: Mapping[bool, str]
    route: str
    route_with_reasons: str
    no_route: str
    contact: str
    prefers: str
    list_separator: str
    last_separator: str
    part_separator: str
    clause_separator: str


def parse_summary_words(data: Mapping[str, Any]) -> SummaryWords:
    """The ``summary`` mapping of ``staff.yml``; a missing piece is an error naming it."""
    missing = [name for name in SummaryWords.__dataclass_fields__ if data.get(name) in (None, "")]
    if missing:
        raise ValueError(f"{STAFF_FILE}: summary is missing {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name in SummaryWords.__dataclass_fields__:
        value = data[name]
        if name in _ANSWER_PIECES:
            if not isinstance(value, Mapping) or set(value) != {True, False}:
                raise ValueError(f"{STAFF_FILE}: summary.{name} needs a true and a false text")
            value = {bool(k): str(v) for k, v in value.items()}
        else:
            value = str(value)
        values[name] = value
    return SummaryWords(**values)


@lru_cache(maxsize=4)
def _load_summary_words(path: Path) -> SummaryWords:
    with path.open(encoding="utf-8") as handle:
        return parse_summary_words((yaml.safe_load(handle) or {}).get("summary") or {})


def summary_words() -> SummaryWords:
    """The summary's words, read from the knowledge directory once (on first use)."""
    return _load_summary_words(get_settings().knowledge_dir / STAFF_FILE)


@dataclass(frozen=True)
class NoticeRef:
    """One notice the person has: its code, the date printed on it, its response deadline."""

    code: str
    notice_date: dt.date | None
    response_deadline: dt.date | None


@dataclass(frozen=True)
class CaseDraft:
    """What the conversation produced; checked when built (``ValueError`` names the field)."""

    # The fields are declared here once, in the order the export gives them: the repository
    # copies them to and from the table by name, the export lists them in this order, and
    # tests tie the table (intake/models.py), the migrations and ``cases show`` to this list.
    urgency: str  # one of URGENCIES
    response_deadline: dt.date | None  # the most urgent notice's
    notices: tuple[NoticeRef, ...]
    amount: Decimal | None
    agrees_with_amount: bool | None
    can_pay_in_full: bool | None
    has_red_flags: bool | None
    route: str | None  # pay / negotiate / appeal / get_help, None before triage ends
    reasons: tuple[str, ...]
    contact_name: str
    contact_email: str | None
    contact_phone: str | None  # E.164, like +12025550143
    contact_time: str | None  # free text like "weekday mornings"; None = no preference
    consent_at: dt.datetime  # tz-aware
    channel: str  # "rest", "socketio", "slack", "telegram", ...
    conversation_id: str  # Rasa's sender_id: one case per conversation

    def __post_init__(self) -> None:
        """Refuse a draft the store cannot keep or a professional cannot act on."""
        validate_draft(self)


@dataclass(frozen=True)
class Case(CaseDraft):
    """A stored case as the rest of the code sees it: every draft field, flat, plus these."""

    id: str
    created_at: dt.datetime
    updated_at: dt.datetime
    status: str  # one of STATUSES
    summary: str
    notified_at: dt.datetime | None  # when the staff webhook took it; None = not yet

    def __post_init__(self) -> None:
        """Check the draft fields and the status."""
        super().__post_init__()
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; valid: {', '.join(STATUSES)}")

    @property
    def draft(self) -> CaseDraft:
        """The plain draft: this case's draft fields only."""
        return CaseDraft(**{f.name: getattr(self, f.name) for f in fields(CaseDraft)})

    @classmethod
    def from_draft(
        cls,
        draft: CaseDraft,
        *,
        id: str,
        created_at: dt.datetime,
        updated_at: dt.datetime,
        status: str,
        summary: str,
        notified_at: dt.datetime | None,
    ) -> Case:
        """A case holding ``draft``'s fields and the store's."""
        values = {f.name: getattr(draft, f.name) for f in fields(CaseDraft)}
        return cls(
            **values,
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            status=status,
            summary=summary,
            notified_at=notified_at,
        )


def _check_length(name: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")


def _is_aware(value: dt.datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def validate_draft(draft: CaseDraft) -> None:
    """Raise ``ValueError`` naming the first thing wrong with ``draft``."""
    if not draft.conversation_id.strip():
        raise ValueError("conversation_id is empty")
    if not draft.channel.strip():
        raise ValueError("channel is empty")
    if not draft.contact_name.strip():
        raise ValueError("contact_name is empty: a case needs the person's name")
    if not ((draft.contact_email or "").strip() or (draft.contact_phone or "").strip()):
        raise ValueError("a case needs a contact_email or a contact_phone (neither was given)")
    if draft.urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {draft.urgency!r}; valid: {', '.join(URGENCIES)}")
    if draft.route is not None and draft.route not in ROUTES:
        raise ValueError(f"unknown route {draft.route!r}; valid: {', '.join(ROUTES)} or None")
    if not isinstance(draft.consent_at, dt.datetime) or not _is_aware(draft.consent_at):
        raise ValueError("consent_at must be a timezone-aware datetime (UTC)")
    if draft.amount is not None and (
        not draft.amount.is_finite() or not Decimal(0) <= draft.amount <= MAX_AMOUNT
    ):
        raise ValueError(f"amount must be between 0 and {MAX_AMOUNT}, got {draft.amount}")
    for notice in draft.notices:
        if not notice.code.strip():
            raise ValueError("a notice has an empty code")
        _check_length("a notice code", notice.code, MAX_NOTICE_CODE)
    _check_length("channel", draft.channel, MAX_CHANNEL)
    _check_length("conversation_id", draft.conversation_id, MAX_CONVERSATION_ID)
    _check_length("contact_name", draft.contact_name, MAX_NAME)
    _check_length("contact_email", draft.contact_email, MAX_EMAIL)
    _check_length("contact_phone", draft.contact_phone, MAX_PHONE)
    _check_length("contact_time", draft.contact_time, MAX_TIME)


def new_case_id() -> str:
    """A fresh random case id: "C" and ten Crockford base32 characters (50 bits)."""
    body = "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(CASE_ID_LENGTH))
    return CASE_ID_PREFIX + body


def normalize_case_id(text: str) -> str:
    """A case id as typed ("c7k2 m9..." lower case, O for 0, I or L for 1) in its stored form."""
    compact = "".join(text.split()).upper().replace("-", "")
    if not compact.startswith(CASE_ID_PREFIX):
        return compact
    body = compact[len(CASE_ID_PREFIX):].translate(_CROCKFORD_READS)
    return CASE_ID_PREFIX + body


def is_case_id(text: str) -> bool:
    """True when ``text`` has the form of a case id (it may still not exist)."""
    return bool(_CASE_ID_RE.match(text))


def notice_to_dict(notice: NoticeRef) -> dict[str, str | None]:
    """A notice as stored and exported: its code and ISO dates (None when unknown)."""
    return {
        "code": notice.code,
        "notice_date": notice.notice_date.isoformat() if notice.notice_date else None,
        "response_deadline": (
            notice.response_deadline.isoformat() if notice.response_deadline else None
        ),
    }


def notice_from_dict(value: dict[str, str | None]) -> NoticeRef:
    """The inverse of ``notice_to_dict``."""
    notice_date, deadline = value.get("notice_date"), value.get("response_deadline")
    return NoticeRef(
        code=str(value["code"]),
        notice_date=dt.date.fromisoformat(notice_date) if notice_date else None,
        response_deadline=dt.date.fromisoformat(deadline) if deadline else None,
    )


def current_urgency(draft: CaseDraft, *, today: dt.date) -> str:
    """The urgency as of ``today``: from the deadline when known, else as the conversation said."""
    if draft.response_deadline is None:
        return draft.urgency
    return urgency_for((draft.response_deadline - today).days)


# ------------------------------------------------------------------------------- the summary


def _join(items: Sequence[str], w: SummaryWords) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return w.list_separator.join(items[:-1]) + w.last_separator + items[-1]


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _days(count: int, w: SummaryWords) -> str:
    return w.one_day if count == 1 else w.days.format(n=count)


def format_amount(amount: Decimal) -> str:
    """Dollars as a person writes them: "$12,400", "$1,250.50"."""
    text = f"${amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _notices_sentence(draft: CaseDraft, today: dt.date, w: SummaryWords) -> str:
    names = [
        w.notice_dated.format(code=n.code, date=n.notice_date.isoformat())
        if n.notice_date
        else w.notice.format(code=n.code)
        for n in draft.notices
    ]
    lead = _join(names, w) if names else w.no_notice
    deadline = draft.response_deadline
    if deadline is None:
        when = w.no_deadline
    elif (days_left := (deadline - today).days) < 0:
        when = w.respond_by_overdue.format(deadline=deadline.isoformat(), days=_days(-days_left, w))
    else:
        when = w.respond_by.format(
            deadline=deadline.isoformat(),
            urgency=current_urgency(draft, today=today),
            days=w.days_left.format(days=_days(days_left, w)) if days_left else w.due_today,
        )
    return f"{lead}{w.clause_separator}{when}."


def _answers_sentence(draft: CaseDraft, w: SummaryWords) -> str:
    parts = [
        w.owes.format(amount=format_amount(draft.amount))
        if draft.amount is not None
        else w.amount_not_given
    ]
    for answer, phrases in (
        (draft.agrees_with_amount, w.agrees),
        (draft.can_pay_in_full, w.can_pay),
        (draft.has_red_flags, w.red_flags),
    ):
        if answer is not None:
            parts.append(phrases[answer])
    return _capitalized(w.part_separator.join(parts)) + "."


def _route_sentence(draft: CaseDraft, w: SummaryWords) -> str:
    if draft.route is None:
        return w.no_route + "."
    if draft.reasons:
        reasons = w.part_separator.join(draft.reasons)
        return w.route_with_reasons.format(route=draft.route, reasons=reasons) + "."
    return w.route.format(route=draft.route) + "."


def _contact_sentence(draft: CaseDraft, w: SummaryWords) -> str:
    details = [draft.contact_name.strip()]
    details += [c for c in (draft.contact_email, draft.contact_phone) if c]
    if draft.contact_time:
        details.append(w.prefers.format(time=draft.contact_time.strip()))
    return w.contact.format(details=w.list_separator.join(details)) + "."


def summarize(draft: CaseDraft, *, today: dt.date) -> str:
    """The case in four short sentences: notices and deadline, answers, route, contact."""
    w = summary_words()
    sentences = (
        _notices_sentence(draft, today, w),
        _answers_sentence(draft, w),
        _route_sentence(draft, w),
        _contact_sentence(draft, w),
    )
    return " ".join(" ".join(s.split()) for s in sentences)
