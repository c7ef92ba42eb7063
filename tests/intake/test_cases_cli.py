"""The ``cases`` staff command against a migrated SQLite file: output, and one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from noticebot.apps.cases import main, printable
from noticebot.intake.cases import Case, CaseDraft
from noticebot.intake.db import current_revision, make_engine, make_session_factory
from noticebot.intake.repository import CaseRepository
from noticebot.settings import get_settings

UTC = dt.timezone.utc
MakeDraft = Callable[..., CaseDraft]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def settings_env(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """DATABASE_URL is the test database; the firm is in New York."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("FIRM_TIMEZONE", "America/New_York")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``cases`` with these arguments: (exit status, stdout, stderr)."""

    def call(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def seeded(
    sqlite_url: str, make_draft: MakeDraft, events_table_factory: Callable[..., sa.Table]
) -> Iterator[dict[str, Case]]:
    """Three cases (created now, with deadlines relative to today) and a transcript."""
    engine = make_engine(sqlite_url)
    today = dt.datetime.now(UTC).date()
    repository = CaseRepository(make_session_factory(engine))
    cases = {
        "urgent": repository.save(make_draft(
            conversation_id="conv-urgent", response_deadline=today + dt.timedelta(days=3),
            urgency="urgent"))[0],
        "later": repository.save(make_draft(
            conversation_id="conv-later", contact_name="Sam Roe, Jr.",
            response_deadline=today + dt.timedelta(days=60), urgency="normal"))[0],
        "odd": repository.save(make_draft(
            conversation_id="conv-odd", contact_name="=Evil\x1b[31m\nName",
            response_deadline=None, urgency="unknown", route=None, reasons=()))[0],
    }
    events = events_table_factory(engine)
    now = dt.datetime.now(UTC).timestamp()
    with engine.begin() as connection:
        connection.execute(events.insert(), [
            {"sender_id": "conv-urgent", "type_name": "user", "timestamp": now},
            {"sender_id": "conv-urgent", "type_name": "bot", "timestamp": now},
            {"sender_id": "stale", "type_name": "user", "timestamp": now - 90 * 86400},
        ])
    engine.dispose()
    yield cases


def test_list_is_a_readable_table(run: Run, seeded: dict[str, Case]) -> None:
    code, out, err = run("list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "CREATED", "URGENCY", "DEADLINE", "ROUTE", "STATUS", "NAME"]
    assert [line.split()[0] for line in lines[1:4]] == [
        seeded["odd"].id, seeded["later"].id, seeded["urgent"].id]
    assert "Sam Roe, Jr." in out
    assert "\x1b" not in out and "=Evil [31m Name" in out  # no terminal escapes, one line
    assert lines[-1] == "3 cases"


def test_list_urgent_and_since(run: Run, seeded: dict[str, Case]) -> None:
    code, out, _ = run("list", "--urgent")
    assert code == 0
    assert seeded["urgent"].id in out and seeded["later"].id not in out
    assert out.splitlines()[-1] == "1 case"
    tomorrow = (dt.datetime.now(UTC).date() + dt.timedelta(days=2)).isoformat()
    assert run("list", "--since", tomorrow)[1] == "no cases\n"


def test_show_prints_every_field_and_the_summary(run: Run, seeded: dict[str, Case]) -> None:
    case = seeded["urgent"]
    code, out, _ = run("show", case.id.lower())
    assert code == 0
    for expected in ("Case:", case.id, "Status:", "new", "jane@example.com", "+12025550143",
                     "weekday mornings", "$12,400.00", "Route:", "negotiate",
                     "Agrees with amount:", "CP504 (notice 2026-11-02", "Staff notified:",
                     "not yet", "Conversation:", "conv-urgent", "Summary:", case.summary):
        assert expected in out


def test_export_csv_and_json_to_stdout(run: Run, seeded: dict[str, Case]) -> None:
    code, out, _ = run("export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {r["id"] for r in rows} == {c.id for c in seeded.values()}
    odd = next(r for r in rows if r["id"] == seeded["odd"].id)
    assert odd["contact_name"] == "'=Evil\x1b[31m\nName"
    code, out, _ = run("export", "--format", "json", "--urgent")
    assert [c["id"] for c in json.loads(out)] == [seeded["urgent"].id]


def test_export_to_a_file_only_its_owner_can_read(
    run: Run, seeded: dict[str, Case], tmp_path: Path
) -> None:
    target = tmp_path / "cases.json"
    code, out, err = run("export", "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert err == f"exported 3 cases to {target}\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 3
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_set_status(run: Run, seeded: dict[str, Case]) -> None:
    case = seeded["later"]
    assert run("set-status", case.id, "contacted")[:2] == (0, f"case {case.id} is now contacted\n")
    assert "Status:" in run("show", case.id)[1] and "contacted" in run("show", case.id)[1]


def test_delete_says_the_transcript_went_too(run: Run, seeded: dict[str, Case]) -> None:
    case = seeded["urgent"]
    code, out, _ = run("delete", case.id)
    assert code == 0
    assert out == (f"deleted case {case.id}; its conversation transcript was deleted too "
                   "(2 events)\n")
    assert run("show", case.id)[0] == 2


def test_purge(run: Run, seeded: dict[str, Case]) -> None:
    code, out, _ = run("purge", "--older-than", "30")
    assert code == 0
    assert out.startswith("purged 0 cases and 1 conversation transcript (1 events) "
                          "last active before ")
    assert run("list")[1].splitlines()[-1] == "3 cases"


def test_migrate_and_database_url_option(run: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other' / 'new.db'}"
    code, out, _ = run("--database-url", url, "migrate")
    assert code == 0 and "is migrated" in out
    assert current_revision(url) == "0002"
    assert run("--database-url", url, "list")[:2] == (0, "no cases\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "C0000000000"], "no case with id 'C0000000000'"),
        (["delete", "nope"], "no case with id 'nope'"),
        (["set-status", "C0000000000", "closed"], "no case with id 'C0000000000'"),
        (["set-status", "{id}", "done"],
         "unknown status 'done'; valid statuses: new, contacted, closed"),
        (["list", "--since", "2026-13-01"], "'2026-13-01' is not a date in the form YYYY-MM-DD"),
        (["purge", "--older-than", "0"], "DAYS must be at least 1, got 0"),
        (["purge", "--older-than", "ten"], "'ten' is not a whole number of days"),
        (["export", "--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    run: Run, seeded: dict[str, Case], capsys: pytest.CaptureFixture[str],
    argv: list[str], message: str,
) -> None:
    argv = [a.replace("{id}", seeded["later"].id) for a in argv]
    with pytest.raises(SystemExit) as exited:  # argparse's own errors exit
        code = main(argv)
        raise SystemExit(code)
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and err.startswith("cases")
    assert "Traceback" not in err


def test_an_unmigrated_database(run: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    code, out, err = run("--database-url", url, "list")
    assert (code, out) == (2, "")
    assert err == (f"cases: error: the case store is not migrated: run `alembic upgrade head` "
                   f"(DATABASE_URL={url})\n")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://staff:pw-s3cret@127.0.0.1:1/cases", "cannot use the database "
         "postgresql://staff:***@127.0.0.1:1/cases: connection to server at"),
        ("sqlite:////proc/no-such-dir/cases.db", "No such file or directory"),
        ("not a url at all :pw-s3cret@", "is not a usable database URL (cannot parse it)"),
        ("mysqlx://u:pw-s3cret@h/db", "is not a usable database URL (unknown database driver)"),
    ],
)
def test_an_unusable_database_is_one_line(run: Run, url: str, message: str) -> None:
    code, out, err = run("--database-url", url, "list")
    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1 and "pw-s3cret" not in err


def test_a_bad_setting_is_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRM_TIMEZONE", "Mars/Olympus")
    get_settings.cache_clear()
    code, _, err = run("list")
    assert code == 2 and err == "cases: error: FIRM_TIMEZONE 'Mars/Olympus' is not a known " \
                                "time zone\n"


def test_printable() -> None:
    assert printable("a\x1b[2Jb\r\nc\td") == "a [2Jb c d"
    assert printable(None) == ""
