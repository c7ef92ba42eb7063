"""The ``cases`` table (SQLAlchemy declarative, its own MetaData).

Rasa's tracker store shares the database and owns the ``events`` table: that table is not in
this metadata, and the migrations never touch it. The repository turns rows into
``noticebot.intake.cases.Case`` objects; no ORM object leaves it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    MetaData,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator

from noticebot.intake.cases import (
    MAX_CHANNEL,
    MAX_CONVERSATION_ID,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    MAX_TIME,
    NEW,
    STATUSES,
)

CASES_TABLE = "cases"
STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in STATUSES))
CENTS = Decimal("0.01")

# Constraint names are spelled out so the hand-written migrations can name them too.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
mapper_registry = registry(metadata=metadata)
Base: Any = mapper_registry.generate_base()


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC; read back aware (UTC) on every database.

    SQLite keeps no offset, so values are written as UTC and read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Refuse naive datetimes; store UTC (without tzinfo on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} for a timezone-aware column")
        utc = value.astimezone(dt.timezone.utc)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Money(TypeDecorator):
    """Numeric(12, 2) read back as a Decimal with cents on every database.

    SQLite has no decimal type: it is read as a float (no SQLAlchemy warning) and turned back
    into the exact two-decimal amount, which a float holds for anything below ten billion.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        """Plain floats from SQLite (converted below), Decimals elsewhere."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(12, 2, asdecimal=False))
        return dialect.type_descriptor(Numeric(12, 2))

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> Any:
        """Round to cents; SQLite takes the float."""
        if value is None:
            return None
        cents = Decimal(value).quantize(CENTS)
        return float(cents) if dialect.name == "sqlite" else cents

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        """A Decimal with two places."""
        if value is None:
            return None
        return Decimal(str(value)).quantize(CENTS)


class CaseRow(Base):
    """One row of ``cases``: one case per conversation."""

    __tablename__ = CASES_TABLE
    __table_args__ = (
        CheckConstraint(STATUS_CHECK, name="status"),
        Index(None, "response_deadline"),
    )

    id = Column(String(16), primary_key=True)  # "C" + 10 characters (cases.new_case_id)
    created_at = Column(UTCDateTime, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)
    channel = Column(String(MAX_CHANNEL), nullable=False)
    conversation_id = Column(String(MAX_CONVERSATION_ID), nullable=False, unique=True)
    # [{"code": "CP504", "notice_date": "2026-11-02", "response_deadline": "2026-11-22"}, ...]
    notices = Column(JSON, nullable=False)
    response_deadline = Column(Date, nullable=True)
    urgency = Column(String(16), nullable=False)
    amount = Column(Money, nullable=True)
    agrees_with_amount = Column(Boolean, nullable=True)
    can_pay_in_full = Column(Boolean, nullable=True)
    has_red_flags = Column(Boolean, nullable=True)
    route = Column(String(16), nullable=True)
    reasons = Column(JSON, nullable=False)  # ["agrees with the amount", ...]
    summary = Column(Text, nullable=False)
    contact_name = Column(String(MAX_NAME), nullable=False)
    contact_email = Column(String(MAX_EMAIL), nullable=True)
    contact_phone = Column(String(MAX_PHONE), nullable=True)
    contact_time = Column(String(MAX_TIME), nullable=True)
    consent_at = Column(UTCDateTime, nullable=False)
    status = Column(String(16), nullable=False, default=NEW, server_default=text(f"'{NEW}'"))
    notified_at = Column(UTCDateTime, nullable=True)


REMINDERS_TABLE = "reminders"
# pending: waits for its time; sending: claimed by one Rasa server; sent; failed (the channel
# refused it); cancelled ("stop reminders"); missed (its time passed long ago, e.g. while every
# server was down).
REMINDER_STATUSES = ("pending", "sending", "sent", "failed", "cancelled", "missed")
REMINDER_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in REMINDER_STATUSES))


class ReminderRow(Base):
    """One row of ``reminders``: a Rasa ``ReminderScheduled`` kept until it is sent, so it
    survives a restart and is sent by one server only (``noticebot.reminder_store``)."""

    __tablename__ = REMINDERS_TABLE
    __table_args__ = (
        CheckConstraint(REMINDER_STATUS_CHECK, name="status"),
        Index(None, "status", "send_at"),
        Index(None, "conversation_id"),
    )

    name = Column(String(64), primary_key=True)  # the event's name (unique across conversations)
    conversation_id = Column(String(MAX_CONVERSATION_ID), nullable=False)
    channel = Column(String(MAX_CHANNEL), nullable=False)  # the input channel's name
    output = Column(JSON, nullable=False)  # where in the channel ({"slack_channel": ...})
    intent = Column(String(64), nullable=False)
    entities = Column(JSON, nullable=False)
    kill_on_user_message = Column(Boolean, nullable=False)
    send_at = Column(UTCDateTime, nullable=False)
    status = Column(String(16), nullable=False)
    claimed_by = Column(String(64), nullable=True)
    created_at = Column(UTCDateTime, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)
