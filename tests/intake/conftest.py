"""Databases for the case store tests: a SQLite file and a fresh PostgreSQL database each.

``empty_database_url`` runs every test that uses it twice, ``[sqlite]`` and ``[postgresql]``;
``database_url`` is the same, migrated with ``noticebot.intake.db.upgrade``. PostgreSQL comes
from the session fixture ``postgres_admin_url`` (tests/conftest.py): skipped when unreachable,
a failure under CI=true.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from noticebot.intake.cases import CaseDraft, NoticeRef
from noticebot.intake.db import make_engine, make_session_factory, upgrade
from noticebot.intake.repository import CaseRepository

TODAY = dt.date(2026, 11, 19)
NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.timezone.utc)

# Rasa's SQL tracker store table, as far as the case store reads it.
EVENTS_COLUMNS = (
    ("id", sa.Integer, {"primary_key": True}),
    ("sender_id", sa.String(255), {"nullable": False}),
    ("type_name", sa.String(255), {"nullable": False}),
    ("timestamp", sa.Float, {}),
    ("intent_name", sa.String(255), {}),
    ("action_name", sa.String(255), {}),
    ("data", sa.Text, {}),
)


def _create_database(admin_url: str) -> str:
    name = f"noticebot_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def _drop_database(admin_url: str, name: str) -> None:
    admin = sa.create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody has migrated: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'cases.db'}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = _create_database(admin_url)
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin_url, name)


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """The same database, migrated to head."""
    upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite file (for tests that need no second database)."""
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    upgrade(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the migrated database, disposed afterwards."""
    created = make_engine(database_url)
    yield created
    created.dispose()


class Clock:
    """A settable clock for the repository."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """The repository's clock, at NOW."""
    return Clock()


@pytest.fixture
def repository(engine: Engine, clock: Clock) -> CaseRepository:
    """A repository on the migrated database; summaries count days from TODAY."""
    return CaseRepository(make_session_factory(engine), now=clock, today=lambda: TODAY)


def _draft(**changes: Any) -> CaseDraft:
    values: dict[str, Any] = {
        "channel": "rest",
        "conversation_id": "conv-1",
        "notices": (NoticeRef("CP504", dt.date(2026, 11, 2), dt.date(2026, 11, 22)),),
        "response_deadline": dt.date(2026, 11, 22),
        "urgency": "urgent",
        "amount": Decimal("12400"),
        "agrees_with_amount": True,
        "can_pay_in_full": False,
        "has_red_flags": False,
        "route": "negotiate",
        "reasons": ("agrees with the amount", "cannot pay in full"),
        "contact_name": "Jane Doe",
        "contact_email": "jane@example.com",
        "contact_phone": "+12025550143",
        "contact_time": "weekday mornings",
        "consent_at": NOW - dt.timedelta(minutes=5),
    }
    values.update(changes)
    return CaseDraft(**values)


@pytest.fixture
def make_draft() -> Callable[..., CaseDraft]:
    """Build a valid draft (the summary example), with any field changed by keyword."""
    return _draft


def _create_events_table(engine: Engine) -> sa.Table:
    table = sa.Table(
        "events",
        sa.MetaData(),
        *(sa.Column(name, kind, **options) for name, kind, options in EVENTS_COLUMNS),
    )
    table.create(engine)
    return table


class Transcripts:
    """Rasa's ``events`` table in the test database, and a way to add conversations to it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.table = _create_events_table(engine)

    def add(self, sender_id: str, *times: dt.datetime) -> None:
        """One user event per time, in the conversation ``sender_id``."""
        rows = [
            {"sender_id": sender_id, "type_name": "user", "timestamp": t.timestamp(),
             "intent_name": "greet", "action_name": None, "data": "{}"}
            for t in times
        ]
        with self.engine.begin() as connection:
            connection.execute(self.table.insert(), rows)

    def counts(self) -> dict[str, int]:
        """Events per conversation."""
        query = sa.select(self.table.c.sender_id, sa.func.count()).group_by(
            self.table.c.sender_id
        )
        with self.engine.connect() as connection:
            return {sender: count for sender, count in connection.execute(query)}


@pytest.fixture
def transcripts(engine: Engine) -> Transcripts:
    """An ``events`` table (as Rasa's tracker store makes it) in the migrated database."""
    return Transcripts(engine)


@pytest.fixture
def events_table_factory() -> Callable[[Engine], sa.Table]:
    """Create Rasa's ``events`` table on any engine."""
    return _create_events_table
