"""The case store: save a conversation's case (idempotently), read, update, delete, purge.

Every method is one unit of work (``with sessions.begin() as session``) and returns plain
``Case`` values, never ORM objects. A missing ``cases`` table raises ``SchemaNotReady``.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields

from sqlalchemy import delete, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from noticebot.clock import utc_now
from noticebot.intake.cases import (
    CLOSED,
    NEW,
    STATUSES,
    URGENT_MAX_DAYS_LEFT,
    URGENT_URGENCIES,
    Case,
    CaseDraft,
    new_case_id,
    normalize_case_id,
    notice_from_dict,
    notice_to_dict,
    summarize,
)
from noticebot.intake.conversations import (
    conversations_with_events,
    delete_conversation,
    delete_conversations,
    has_tracker_table,
    stale_conversations,
)
from noticebot.intake.db import SchemaNotReady
from noticebot.intake.models import CASES_TABLE, CENTS, CaseRow

logger = logging.getLogger(__name__)

# An insert can lose a race (another save of the same conversation, or, once in 2**50, an id
# collision); it is retried as a fresh unit of work, which then finds the row and updates it.
SAVE_ATTEMPTS = 3


class CaseNotFound(LookupError):  # noqa: N818 (reads as what happened)
    """No case has this id."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case with id {case_id!r}")
        self.case_id = case_id


@dataclass(frozen=True)
class DeleteReport:
    """A deleted case and how many events of its conversation's transcript went with it."""

    case: Case
    events: int | None  # None: Rasa's tracker store is not in this database


@dataclass(frozen=True)
class PurgeReport:
    """What ``purge`` deleted: cases last updated before ``cutoff`` and stale transcripts."""

    cutoff: dt.datetime
    cases: int
    conversations: int
    events: int
    tracker_table: bool  # False: no transcripts here to purge




def _to_case(row: CaseRow) -> Case:
    """The row as a ``Case``: every field by its name (``CaseDraft`` declares them)."""
    values = {item.name: getattr(row, item.name) for item in fields(Case)}
    values["notices"] = tuple(notice_from_dict(n) for n in row.notices or ())
    values["reasons"] = tuple(row.reasons or ())
    return Case(**values)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.timezone.utc)


def _fill(row: CaseRow, draft: CaseDraft, *, summary: str, now: dt.datetime) -> None:
    """Copy the draft into the row by field name, normalized as the database gives it back."""
    for item in fields(CaseDraft):
        setattr(row, item.name, getattr(draft, item.name))
    row.notices = [notice_to_dict(n) for n in draft.notices]
    row.amount = None if draft.amount is None else draft.amount.quantize(CENTS)
    row.reasons = list(draft.reasons)
    row.contact_name = draft.contact_name.strip()
    row.consent_at = _utc(draft.consent_at)
    row.summary = summary
    row.updated_at = _utc(now)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; valid statuses: {', '.join(STATUSES)}")


class CaseRepository:
    """Cases in the database behind ``sessions`` (a ``make_session_factory`` result).

    ``now`` is the clock (UTC, tz-aware); ``today`` the date that summaries count days left
    from (default: ``now`` in ``zone``); ``zone`` the time zone of ``list(since=...)`` dates.
    """

    def __init__(
        self,
        sessions: sessionmaker,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        today: Callable[[], dt.date] | None = None,
        zone: dt.tzinfo = dt.timezone.utc,
    ) -> None:
        self._sessions = sessions
        self._clock = now
        self._today = today or (lambda: self._now().astimezone(zone).date())
        self._zone = zone
        self._schema_checked = False

    # ----------------------------------------------------------------------------- helpers

    def _now(self) -> dt.datetime:
        value = self._clock()
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("the repository's clock must return timezone-aware datetimes")
        return value

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        """One transaction; raises ``SchemaNotReady`` when the cases table is missing."""
        with self._sessions.begin() as session:
            if not self._schema_checked:
                if not inspect(session.connection()).has_table(CASES_TABLE):
                    raise SchemaNotReady(session.get_bind().url.render_as_string())
                self._schema_checked = True
            yield session

    @staticmethod
    def _row(session: Session, case_id: str) -> CaseRow:
        wanted = normalize_case_id(case_id)
        row = session.get(CaseRow, wanted)
        if row is None:
            raise CaseNotFound(case_id)
        return row

    # ----------------------------------------------------------------------------- writes

    def save(self, draft: CaseDraft) -> tuple[Case, bool]:
        """Store the conversation's case: (case, True) when new, (case, False) when updated.

        One case per conversation: saving again updates the answers, contact, notices and
        summary; a closed case is reopened as new (and ``notified_at`` cleared, so the staff
        hear of it again). Concurrent saves of one conversation still leave one row.
        """
        attempt = 1
        while True:
            try:
                return self._save_once(draft)
            except IntegrityError:
                if attempt >= SAVE_ATTEMPTS:
                    raise
                attempt += 1
                logger.info("a case was inserted concurrently; saving again as an update")

    def _save_once(self, draft: CaseDraft) -> tuple[Case, bool]:
        now = self._now()
        summary = summarize(draft, today=self._today())
        with self._unit() as session:
            query = select(CaseRow).where(CaseRow.conversation_id == draft.conversation_id)
            row = session.scalars(query).one_or_none()
            created = row is None
            if row is None:
                row = CaseRow(id=new_case_id(), created_at=_utc(now), status=NEW, notified_at=None)
                session.add(row)
            elif row.status == CLOSED:
                row.status = NEW
                row.notified_at = None
            _fill(row, draft, summary=summary, now=now)
            session.flush()
            case = _to_case(row)
        logger.info("case %s %s", case.id, "created" if created else "updated")
        return case, created

    def set_status(self, case_id: str, status: str) -> Case:
        """Set a case's status (one of STATUSES); ``ValueError`` lists them when it is not."""
        _check_status(status)
        with self._unit() as session:
            row = self._row(session, case_id)
            if row.status != status:
                row.status = status
                row.updated_at = _utc(self._now())
            session.flush()
            return _to_case(row)

    def mark_notified(self, case_id: str, when: dt.datetime) -> Case:
        """Record that the staff were notified of the case at ``when`` (tz-aware)."""
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("when must be a timezone-aware datetime")
        with self._unit() as session:
            row = self._row(session, case_id)
            row.notified_at = _utc(when)
            session.flush()
            return _to_case(row)

    def delete(self, case_id: str) -> DeleteReport:
        """Delete a case and its conversation's transcript (tracker events) in one transaction."""
        with self._unit() as session:
            row = self._row(session, case_id)
            case = _to_case(row)
            events = (
                delete_conversation(session, row.conversation_id)
                if has_tracker_table(session)
                else None
            )
            session.delete(row)
        logger.info("case %s deleted with %s transcript events", case.id, events)
        return DeleteReport(case=case, events=events)

    def purge(self, *, older_than_days: int) -> PurgeReport:
        """Delete cases not updated for that many days, their transcripts, and stale transcripts.

        A transcript is stale when its newest event is older than the cutoff, whether or not a
        case was made from it.
        """
        if isinstance(older_than_days, bool) or older_than_days < 1:
            raise ValueError(f"older_than_days must be at least 1, got {older_than_days!r}")
        cutoff = self._now() - dt.timedelta(days=older_than_days)
        with self._unit() as session:
            old = CaseRow.updated_at < cutoff
            senders = set(session.scalars(select(CaseRow.conversation_id).where(old)))
            result = session.execute(
                delete(CaseRow).where(old).execution_options(synchronize_session=False)
            )
            cases = int(result.rowcount or 0)
            tracker = has_tracker_table(session)
            conversations = events = 0
            if tracker:
                senders = conversations_with_events(session, senders)
                senders.update(stale_conversations(session, cutoff))
                conversations = len(senders)
                events = delete_conversations(session, senders)
        logger.info("purged %d cases and %d conversations (%d events) last active before %s",
                    cases, conversations, events, cutoff.isoformat())
        return PurgeReport(cutoff=cutoff, cases=cases, conversations=conversations,
                           events=events, tracker_table=tracker)

    # ----------------------------------------------------------------------------- reads

    def get(self, case_id: str) -> Case:
        """The case with this id (typed forms accepted: lower case, O for 0, I or L for 1)."""
        with self._unit() as session:
            return _to_case(self._row(session, case_id))

    def list(
        self, *, urgent_only: bool = False, since: dt.date | None = None
    ) -> builtins.list[Case]:
        """Cases newest first; only overdue/urgent ones as of today, only created since a date."""
        query = select(CaseRow).order_by(CaseRow.created_at.desc(), CaseRow.id.desc())
        if urgent_only:
            last_urgent_day = self._today() + dt.timedelta(days=URGENT_MAX_DAYS_LEFT)
            query = query.where(
                or_(
                    CaseRow.response_deadline <= last_urgent_day,
                    CaseRow.response_deadline.is_(None) & CaseRow.urgency.in_(URGENT_URGENCIES),
                )
            )
        if since is not None:
            start = dt.datetime.combine(since, dt.time.min, tzinfo=self._zone)
            query = query.where(CaseRow.created_at >= start)
        with self._unit() as session:
            return [_to_case(row) for row in session.scalars(query)]
