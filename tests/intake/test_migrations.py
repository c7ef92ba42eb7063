"""Alembic migrations of the case store: create ``cases``, idempotent, never touch ``events``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from noticebot.intake.db import (
    MIGRATIONS_DIR,
    VERSION_TABLE,
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    upgrade,
)
from noticebot.intake.models import metadata
from noticebot.settings import PROJECT_ROOT, get_settings

CASE_COLUMNS = {
    "id", "created_at", "updated_at", "channel", "conversation_id", "notices",
    "response_deadline", "urgency", "amount", "agrees_with_amount", "can_pay_in_full",
    "has_red_flags", "route", "reasons", "summary", "contact_name", "contact_email",
    "contact_phone", "contact_time", "consent_at", "status", "notified_at",
}
NULLABLE = {
    "response_deadline", "amount", "agrees_with_amount", "can_pay_in_full", "has_red_flags",
    "route", "contact_email", "contact_phone", "contact_time", "notified_at",
}
NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.timezone.utc)


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_the_cases_and_reminders_tables(empty_database_url: str) -> None:
    url = empty_database_url
    assert current_revision(url) is None
    upgrade(url)
    assert tables(url) == {"cases", "reminders", VERSION_TABLE}
    engine = make_engine(url)
    try:
        inspector = sa.inspect(engine)
        columns = {c["name"]: c for c in inspector.get_columns("cases")}
        unique = inspector.get_unique_constraints("cases")
        indexes = inspector.get_indexes("cases")
        primary = inspector.get_pk_constraint("cases")
    finally:
        engine.dispose()
    assert set(columns) == CASE_COLUMNS
    assert {name for name, c in columns.items() if c["nullable"]} == NULLABLE
    assert primary["constrained_columns"] == ["id"]
    assert [u["column_names"] for u in unique] == [["conversation_id"]]
    assert [(i["name"], i["column_names"]) for i in indexes
            if not i.get("duplicates_constraint")] == [
        ("ix_cases_response_deadline", ["response_deadline"])]
    assert isinstance(columns["amount"]["type"], sa.Numeric)
    assert (columns["amount"]["type"].precision, columns["amount"]["type"].scale) == (12, 2)


def test_upgrade_is_idempotent_and_keeps_the_data(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO cases (id, created_at, updated_at, channel, conversation_id,"
                " notices, urgency, reasons, summary, contact_name, consent_at) VALUES"
                " ('C1', :t, :t, 'rest', 'x', '[]', 'unknown', '[]', '', 'J', :t)"), {"t": NOW})
        upgrade(database_url)
        upgrade(database_url)
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, status FROM cases")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("C1", "new")]  # the server default
    assert current_revision(database_url) == head_revision() == "0002"


def test_models_match_the_migrations(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "version_table": VERSION_TABLE})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_downgrade_removes_only_our_tables_and_leaves_rasas_events_alone(
    empty_database_url: str, events_table_factory: Callable[[Engine], sa.Table]
) -> None:
    url = empty_database_url
    engine = make_engine(url)
    try:
        events = events_table_factory(engine)
        with engine.begin() as connection:
            connection.execute(events.insert(), [
                {"sender_id": "conv-1", "type_name": "user", "timestamp": NOW.timestamp()}])
        upgrade(url)
        assert tables(url) == {"cases", "reminders", "events", VERSION_TABLE}
        downgrade(url, "base")
        assert tables(url) == {"events", VERSION_TABLE}
        assert current_revision(url) is None
        with engine.connect() as connection:
            assert connection.execute(sa.select(sa.func.count()).select_from(events)).scalar() == 1
        upgrade(url)
        assert current_revision(url) == "0002"
    finally:
        engine.dispose()


def test_the_alembic_command_uses_database_url_from_the_settings(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alembic upgrade head` at the repo root: alembic.ini, no URL in it, DATABASE_URL used."""
    url = f"sqlite:///{tmp_path}/from-env/cases.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        config = Config(str(PROJECT_ROOT / "alembic.ini"))
        config.attributes["configure_logger"] = False  # keep pytest's logging as it is
        assert (PROJECT_ROOT / config.get_main_option("script_location", "")).resolve() == (
            MIGRATIONS_DIR)
        assert config.get_main_option("sqlalchemy.url") is None
        command.upgrade(config, "head")
    finally:
        get_settings.cache_clear()
    assert current_revision(url) == "0002"


def test_offline_sql_names_only_our_table(capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config("sqlite:///offline.db"), "head", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE cases" in sql
    assert "CREATE TABLE reminders" in sql
    assert "events" not in sql
    assert VERSION_TABLE in sql


def test_a_percent_sign_in_the_url_survives_the_config() -> None:
    url = "postgresql://u:p%40ss@db.example/x"
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url


def test_autogenerate_ignores_rasas_events_table(
    database_url: str, events_table_factory: Callable[[Engine], sa.Table]
) -> None:
    """`alembic check` (and so `revision --autogenerate`) would never propose dropping it."""
    engine = make_engine(database_url)
    try:
        events_table_factory(engine)
    finally:
        engine.dispose()
    command.check(alembic_config(database_url))  # raises when a difference is found
