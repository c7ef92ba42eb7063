"""The reminders waiting to be sent, in the database (the ``reminders`` table).

Rasa 3.6 keeps a scheduled reminder in its process's memory only: a restart loses it, and with
two Rasa servers only the one that scheduled it would send it. So ``rasa_ext.reminders`` writes
every ``ReminderScheduled`` here instead, and each server polls for the ones that are due. A
server *claims* a reminder before sending it: one ``UPDATE ... WHERE status = 'pending'``, which
only one server can win, so a reminder is sent once (at most once: one that fails is marked
``failed`` and not tried again, since a repeated reminder is worse than a lost one, and the
person has the calendar file).

Nothing here knows Rasa: a reminder is its name, its conversation, its channel and where in it,
the intent and entities it fires with, and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from noticebot.clock import utc_now
from noticebot.intake.models import ReminderRow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"
MISSED = "missed"
# A reminder found this long after its time (every server was down) is not sent: its words
# ("in 7 days") would be wrong, and the calendar file's alarms have rung.
DEFAULT_GRACE = dt.timedelta(hours=20)




@dataclass(frozen=True)
class StoredReminder:
    """One reminder as kept in the database."""

    name: str
    conversation_id: str
    channel: str
    intent: str
    send_at: dt.datetime
    entities: Mapping[str, Any] = field(default_factory=dict)
    output: Mapping[str, Any] = field(default_factory=dict)
    kill_on_user_message: bool = False
    status: str = PENDING


def _stored(row: ReminderRow) -> StoredReminder:
    return StoredReminder(
        name=row.name,
        conversation_id=row.conversation_id,
        channel=row.channel,
        intent=row.intent,
        send_at=row.send_at,
        entities=dict(row.entities or {}),
        output=dict(row.output or {}),
        kill_on_user_message=bool(row.kill_on_user_message),
        status=row.status,
    )


class ReminderStore:
    """Schedule, cancel and claim reminders (SQLAlchemy 2.0 style, one transaction each)."""

    def __init__(
        self,
        sessions: sessionmaker,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        grace: dt.timedelta = DEFAULT_GRACE,
    ) -> None:
        """Keep the session factory, the clock (tests pass a fake one) and the grace time."""
        self._sessions = sessions
        self._clock = clock
        self._grace = grace

    def schedule(self, reminder: StoredReminder) -> None:
        """Keep a reminder to send. The same name again replaces it (Rasa's rule for a
        reminder of the same name), unless it was sent already: it is never sent twice."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(ReminderRow, reminder.name)
            if row is not None and row.status in (SENT, SENDING):
                return
            if row is None:
                row = ReminderRow(name=reminder.name, created_at=now)
                session.add(row)
            row.conversation_id = reminder.conversation_id
            row.channel = reminder.channel
            row.output = dict(reminder.output)
            row.intent = reminder.intent
            row.entities = dict(reminder.entities)
            row.kill_on_user_message = reminder.kill_on_user_message
            row.send_at = reminder.send_at
            row.status = PENDING
            row.claimed_by = None
            row.updated_at = now

    def pending(self, conversation_id: str) -> list[StoredReminder]:
        """The conversation's reminders not sent yet, soonest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ReminderRow)
                .where(ReminderRow.conversation_id == conversation_id)
                .where(ReminderRow.status == PENDING)
                .order_by(ReminderRow.send_at)
            ).all()
            return [_stored(row) for row in rows]

    def cancel(
        self, conversation_id: str, matches: Callable[[StoredReminder], bool] = lambda _: True
    ) -> int:
        """Cancel the conversation's pending reminders that ``matches`` accepts; how many."""
        names = [r.name for r in self.pending(conversation_id) if matches(r)]
        if not names:
            return 0
        with self._sessions.begin() as session:
            result = session.execute(
                update(ReminderRow)
                .where(ReminderRow.name.in_(names))
                .where(ReminderRow.status == PENDING)
                .values(status=CANCELLED, updated_at=self._clock())
            )
            return int(result.rowcount or 0)

    def claim_due(self, worker: str) -> list[StoredReminder]:
        """The due reminders this worker won, each marked ``sending``; those too late are
        marked ``missed``. Several servers may call this at once: each reminder goes to one."""
        now = self._clock()
        with self._sessions.begin() as session:
            session.execute(
                update(ReminderRow)
                .where(ReminderRow.status == PENDING)
                .where(ReminderRow.send_at < now - self._grace)
                .values(status=MISSED, updated_at=now)
            )
        with self._sessions() as session:
            due = session.scalars(
                select(ReminderRow.name)
                .where(ReminderRow.status == PENDING)
                .where(ReminderRow.send_at <= now)
                .order_by(ReminderRow.send_at)
            ).all()
        claimed = []
        for name in due:
            with self._sessions.begin() as session:
                won = session.execute(
                    update(ReminderRow)
                    .where(ReminderRow.name == name)
                    .where(ReminderRow.status == PENDING)
                    .values(status=SENDING, claimed_by=worker[:64], updated_at=now)
                ).rowcount
                if won == 1:
                    row = session.get(ReminderRow, name)
                    if row is not None:
                        claimed.append(_stored(row))
        return claimed

    def finish(self, name: str, *, sent: bool) -> None:
        """Mark a claimed reminder ``sent`` or ``failed``."""
        with self._sessions.begin() as session:
            session.execute(
                update(ReminderRow)
                .where(ReminderRow.name == name)
                .where(ReminderRow.status == SENDING)
                .values(status=SENT if sent else FAILED, updated_at=self._clock())
            )

    def status(self, name: str) -> str | None:
        """A reminder's status (``None`` when there is no such reminder)."""
        with self._sessions() as session:
            row = session.get(ReminderRow, name)
            return row.status if row is not None else None
