"""The case store on SQLite and PostgreSQL: idempotent and racing saves, reads, deletes, purges."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from noticebot.intake.cases import CaseDraft, NoticeRef, summarize
from noticebot.intake.conversations import (
    delete_conversation,
    has_tracker_table,
    purge_conversations,
    stale_conversations,
)
from noticebot.intake.db import SchemaNotReady, make_engine, make_session_factory
from noticebot.intake.repository import CaseNotFound, CaseRepository

MakeDraft = Callable[..., CaseDraft]
Clock = Any  # conftest.Clock: a settable clock, called like utc_now
Transcripts = Any  # conftest.Transcripts: Rasa's events table in the test database
UTC = dt.timezone.utc
TODAY = dt.date(2026, 11, 19)  # conftest's TODAY and NOW
NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=UTC)


def count_cases(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT COUNT(*) FROM cases")).scalar_one())


# ------------------------------------------------------------------------------- save


def test_save_creates_then_updates_the_conversations_one_case(
    repository: CaseRepository, make_draft: MakeDraft, clock: Clock, engine: Engine
) -> None:
    assert clock() == NOW
    first, created = repository.save(make_draft())
    assert created
    assert first.id.startswith("C") and len(first.id) == 11
    assert (first.status, first.notified_at) == ("new", None)
    assert first.created_at == first.updated_at == NOW
    assert first.summary == summarize(make_draft(), today=TODAY)

    clock.advance(minutes=3)
    changed = make_draft(contact_email="jane.doe@example.org", can_pay_in_full=True, route="pay",
                         reasons=("agrees with the amount", "can pay in full"),
                         notices=(NoticeRef("LT11", None, dt.date(2026, 12, 1)),))
    second, created = repository.save(changed)
    assert not created
    assert second.id == first.id
    assert second.created_at == NOW and second.updated_at == NOW + dt.timedelta(minutes=3)
    assert second.contact_email == "jane.doe@example.org"
    assert second.notices == (NoticeRef("LT11", None, dt.date(2026, 12, 1)),)
    assert "Route: pay (agrees with the amount; can pay in full)." in second.summary
    assert count_cases(engine) == 1


def test_what_save_returns_is_what_get_reads_back(
    repository: CaseRepository, make_draft: MakeDraft
) -> None:
    draft = make_draft(
        amount=Decimal("9999999999.99"),
        consent_at=dt.datetime(2026, 11, 19, 9, 55, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        contact_name="Zoë O'Brien-Nguyễn", contact_time="après 17 h, 週末",
    )
    saved, _ = repository.save(draft)
    read = repository.get(saved.id)
    assert read == saved
    assert read.amount == Decimal("9999999999.99") and str(read.amount) == "9999999999.99"
    assert read.consent_at == dt.datetime(2026, 11, 19, 14, 55, tzinfo=UTC)
    assert read.consent_at.tzinfo == UTC and read.created_at.tzinfo == UTC
    assert read.draft == draft
    assert repository.get(saved.id).contact_name == "Zoë O'Brien-Nguyễn"


def test_saving_a_closed_case_again_reopens_it(
    repository: CaseRepository, make_draft: MakeDraft
) -> None:
    case, _ = repository.save(make_draft())
    repository.mark_notified(case.id, NOW)
    repository.set_status(case.id, "closed")
    again, created = repository.save(make_draft(contact_time=None))
    assert not created
    assert (again.status, again.notified_at, again.contact_time) == ("new", None, None)
    contacted = repository.set_status(case.id, "contacted")
    assert repository.save(make_draft())[0].status == contacted.status == "contacted"


def test_two_concurrent_saves_of_one_conversation_leave_one_case(
    repository: CaseRepository, make_draft: MakeDraft, engine: Engine
) -> None:
    """Both threads look, find nothing, and insert at the same moment: one insert loses."""
    barrier = threading.Barrier(2, timeout=10)
    held = {"inserts": 0}
    lock = threading.Lock()

    def meet_before_first_inserts(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("INSERT INTO CASES"):
            return
        with lock:
            held["inserts"] += 1
            wait = held["inserts"] <= 2
        if wait:
            barrier.wait()

    sa.event.listen(engine, "before_cursor_execute", meet_before_first_inserts)
    results: list[tuple[Any, bool]] = []
    errors: list[BaseException] = []

    def save(name: str) -> None:
        try:
            results.append(repository.save(make_draft(contact_name=name)))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Jane Doe", "Jane Q. Doe")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sa.event.remove(engine, "before_cursor_execute", meet_before_first_inserts)

    assert errors == []
    assert held["inserts"] == 2  # both really tried to insert
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].id == results[1][0].id
    assert count_cases(engine) == 1
    assert repository.get(results[0][0].id).contact_name in {"Jane Doe", "Jane Q. Doe"}


def test_separate_conversations_make_separate_cases(
    repository: CaseRepository, make_draft: MakeDraft
) -> None:
    a, _ = repository.save(make_draft(conversation_id="a"))
    b, _ = repository.save(make_draft(conversation_id="b"))
    assert a.id != b.id


# ------------------------------------------------------------------------------- reads


def test_get_unknown_id_says_so(repository: CaseRepository) -> None:
    with pytest.raises(CaseNotFound, match="no case with id 'C0000000000'") as raised:
        repository.get("C0000000000")
    assert isinstance(raised.value, LookupError)


def test_get_accepts_the_id_as_typed(repository: CaseRepository, make_draft: MakeDraft) -> None:
    case, _ = repository.save(make_draft())
    assert repository.get(f" {case.id.lower()} ").id == case.id


def test_list_newest_first_urgent_only_and_since(
    repository: CaseRepository, make_draft: MakeDraft, clock: Clock
) -> None:
    plan = [
        # conversation, created (days before NOW), deadline, urgency at intake
        ("old-normal", 10, dt.date(2026, 12, 31), "normal"),
        ("became-urgent", 5, dt.date(2026, 11, 25), "soon"),  # 6 days left today
        ("overdue", 3, dt.date(2026, 11, 1), "overdue"),
        ("no-deadline-urgent", 2, None, "urgent"),
        ("no-deadline", 1, None, "unknown"),
    ]
    for conversation, days_ago, deadline, urgency in plan:
        clock.now = NOW - dt.timedelta(days=days_ago)
        repository.save(make_draft(conversation_id=conversation, response_deadline=deadline,
                                   urgency=urgency))
    clock.now = NOW

    def ids(cases: list[Any]) -> list[str]:
        return [c.conversation_id for c in cases]

    assert ids(repository.list()) == [p[0] for p in reversed(plan)]
    assert ids(repository.list(urgent_only=True)) == [
        "no-deadline-urgent", "overdue", "became-urgent"]
    assert ids(repository.list(since=dt.date(2026, 11, 16))) == [
        "no-deadline", "no-deadline-urgent", "overdue"]
    assert ids(repository.list(urgent_only=True, since=dt.date(2026, 11, 17))) == [
        "no-deadline-urgent"]
    assert repository.list(since=dt.date(2026, 11, 20)) == []


def test_since_counts_in_the_repositorys_time_zone(
    engine: Engine, make_draft: MakeDraft
) -> None:
    # 2026-11-19 03:00 UTC is still 2026-11-18 in New York.
    eastern = CaseRepository(make_session_factory(engine),
                             now=lambda: dt.datetime(2026, 11, 19, 3, 0, tzinfo=UTC),
                             zone=ZoneInfo("America/New_York"))
    eastern.save(make_draft())
    assert len(eastern.list(since=dt.date(2026, 11, 18))) == 1
    assert eastern.list(since=dt.date(2026, 11, 19)) == []


# ------------------------------------------------------------------------------- updates


def test_set_status(repository: CaseRepository, make_draft: MakeDraft, clock: Clock) -> None:
    case, _ = repository.save(make_draft())
    clock.advance(hours=2)
    contacted = repository.set_status(case.id, "contacted")
    assert contacted.status == "contacted"
    assert contacted.updated_at == NOW + dt.timedelta(hours=2)
    assert repository.get(case.id).status == "contacted"
    with pytest.raises(ValueError, match="unknown status 'done'; valid statuses: new, "
                                         "contacted, closed"):
        repository.set_status(case.id, "done")
    with pytest.raises(CaseNotFound):
        repository.set_status("C0000000000", "closed")


def test_mark_notified(repository: CaseRepository, make_draft: MakeDraft) -> None:
    case, _ = repository.save(make_draft())
    when = dt.datetime(2026, 11, 19, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert repository.mark_notified(case.id, when).notified_at == when
    assert repository.get(case.id).notified_at == when
    with pytest.raises(ValueError, match="timezone-aware"):
        repository.mark_notified(case.id, dt.datetime(2026, 11, 19, 10, 1))


def test_the_database_refuses_an_unknown_status(engine: Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO cases (id, created_at, updated_at, channel, conversation_id, notices,"
            " urgency, reasons, summary, contact_name, consent_at, status) VALUES ('C1',"
            " :t, :t, 'rest', 'x', '[]', 'unknown', '[]', '', 'J', :t, 'open')"), {"t": NOW})


# ------------------------------------------------------------------------------- delete


def test_delete_takes_the_conversations_transcript_and_nothing_else(
    repository: CaseRepository, make_draft: MakeDraft, transcripts: Transcripts
) -> None:
    case, _ = repository.save(make_draft(conversation_id="conv-1"))
    other, _ = repository.save(make_draft(conversation_id="conv-2"))
    transcripts.add("conv-1", NOW, NOW, NOW)
    transcripts.add("conv-2", NOW)
    report = repository.delete(case.id)
    assert report.case == case and report.events == 3
    assert transcripts.counts() == {"conv-2": 1}
    assert [c.id for c in repository.list()] == [other.id]
    with pytest.raises(CaseNotFound):
        repository.delete(case.id)


def test_delete_without_a_tracker_table_here(
    repository: CaseRepository, make_draft: MakeDraft
) -> None:
    case, _ = repository.save(make_draft())
    report = repository.delete(case.id)
    assert report.events is None
    assert repository.list() == []


def test_a_failed_delete_keeps_the_transcript(
    repository: CaseRepository, make_draft: MakeDraft, transcripts: Transcripts,
    engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One transaction: if deleting the case fails, the transcript is not gone either."""
    case, _ = repository.save(make_draft())
    transcripts.add("conv-1", NOW)

    def broken_flush(*_: Any, **__: Any) -> None:
        raise sa.exc.OperationalError("DELETE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(sa.orm.Session, "flush", broken_flush)
    with pytest.raises(sa.exc.OperationalError):
        repository.delete(case.id)
    monkeypatch.undo()
    assert transcripts.counts() == {"conv-1": 1}
    assert repository.get(case.id) == case


# ------------------------------------------------------------------------------- purge


def test_purge_deletes_old_cases_their_transcripts_and_stale_transcripts(
    repository: CaseRepository, make_draft: MakeDraft, clock: Clock, transcripts: Transcripts
) -> None:
    clock.now = NOW - dt.timedelta(days=40)
    old, _ = repository.save(make_draft(conversation_id="old-case"))
    clock.now = NOW - dt.timedelta(days=5)
    recent, _ = repository.save(make_draft(conversation_id="recent-case"))
    clock.now = NOW
    transcripts.add("old-case", NOW - dt.timedelta(days=41), NOW - dt.timedelta(days=40))
    transcripts.add("recent-case", NOW - dt.timedelta(days=5))
    transcripts.add("stale-chat", NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=31))
    transcripts.add("live-chat", NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=1))

    report = repository.purge(older_than_days=30)

    assert (report.cases, report.conversations, report.events) == (1, 2, 4)
    assert report.tracker_table
    assert report.cutoff == NOW - dt.timedelta(days=30)
    assert [c.id for c in repository.list()] == [recent.id]
    assert transcripts.counts() == {"recent-case": 1, "live-chat": 2}
    with pytest.raises(CaseNotFound):
        repository.get(old.id)
    again = repository.purge(older_than_days=30)
    assert (again.cases, again.conversations, again.events) == (0, 0, 0)


def test_purge_without_a_tracker_table_still_purges_cases(
    repository: CaseRepository, make_draft: MakeDraft, clock: Clock
) -> None:
    clock.now = NOW - dt.timedelta(days=8)
    repository.save(make_draft())
    clock.now = NOW
    report = repository.purge(older_than_days=7)
    assert (report.cases, report.conversations, report.events, report.tracker_table) == (
        1, 0, 0, False)


@pytest.mark.parametrize("days", [0, -3, True])
def test_purge_needs_a_positive_number_of_days(repository: CaseRepository, days: int) -> None:
    with pytest.raises(ValueError, match="older_than_days must be at least 1"):
        repository.purge(older_than_days=days)


# ------------------------------------------------------------------------------- conversations


def test_conversation_helpers(engine: Engine, transcripts: Transcripts) -> None:
    transcripts.add("a", NOW - dt.timedelta(days=3), NOW - dt.timedelta(days=2))
    transcripts.add("b", NOW - dt.timedelta(days=3), NOW)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        assert has_tracker_table(session)
        assert stale_conversations(session, NOW - dt.timedelta(days=1)) == ["a"]
        assert delete_conversation(session, "nobody") == 0
    with sessions.begin() as session:
        assert purge_conversations(session, NOW - dt.timedelta(days=1)) == 2
    assert transcripts.counts() == {"b": 2}
    with sessions.begin() as session:
        assert delete_conversation(session, "b") == 2
    assert transcripts.counts() == {}
    with sessions.begin() as session, pytest.raises(ValueError, match="timezone-aware"):
        stale_conversations(session, dt.datetime(2026, 1, 1))


def test_conversation_helpers_without_the_table_warn_and_return_zero(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    sessions = make_session_factory(engine)
    with caplog.at_level(logging.WARNING), sessions.begin() as session:
        assert not has_tracker_table(session)
        assert delete_conversation(session, "a") == 0
        assert purge_conversations(session, NOW) == 0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and "'events'" in warnings[0].getMessage()


# ------------------------------------------------------------------------------- schema


def test_an_unmigrated_database_says_how_to_migrate(
    empty_database_url: str, make_draft: MakeDraft
) -> None:
    url = empty_database_url
    if url.startswith("postgresql"):
        url = make_url(url).set(password="s3cret-pw").render_as_string(hide_password=False)
    engine = make_engine(url)
    repository = CaseRepository(make_session_factory(engine))
    try:
        with pytest.raises(SchemaNotReady) as raised:
            repository.save(make_draft())
        with pytest.raises(SchemaNotReady):
            repository.list()
    finally:
        engine.dispose()
    message = str(raised.value)
    assert message.startswith("the case store is not migrated: run `alembic upgrade head` "
                              "(DATABASE_URL=")
    assert "s3cret-pw" not in message
    if url.startswith("postgresql"):
        assert ":***@" in message


# ------------------------------------------------------------------------------- engines


def test_a_sqlite_engine_makes_its_folder_and_writes_ahead(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'cases.db'}"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    finally:
        engine.dispose()
    assert mode == "wal"
    assert (tmp_path / "deep" / "er" / "cases.db").exists()


def test_a_postgresql_engine_pings_before_use() -> None:
    engine = make_engine("postgresql://u:p@127.0.0.1:5432/x")
    assert engine.pool._pre_ping
    assert make_engine("sqlite://").url.get_backend_name() == "sqlite"  # in memory: no folder
