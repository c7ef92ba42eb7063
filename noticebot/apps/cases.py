"""The ``cases`` command for the firm's staff (also ``noticebot cases``): list, show, export,
set-status, delete, purge, migrate.

Bad input (an unknown id or status, a malformed date), a database that is not migrated or
cannot be reached: one clear line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from noticebot.apps.cliargs import OneLineParser, UsageError, iso_date
from noticebot.intake.cases import STATUSES, Case, current_urgency
from noticebot.intake.db import (
    SchemaNotReady,
    create_database_if_missing,
    make_engine,
    make_session_factory,
    mask_url,
    upgrade,
)
from noticebot.intake.export import to_csv, to_json
from noticebot.intake.repository import CaseNotFound, CaseRepository
from noticebot.settings import get_settings

PROG = "cases"
TABLE_COLUMNS = ("ID", "CREATED", "URGENCY", "DEADLINE", "ROUTE", "STATUS", "NAME")
NAME_WIDTH = 40


def _positive_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole number of days"
        ) from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"DAYS must be at least 1, got {days}")
    return days


def printable(text: str | None) -> str:
    """``text`` safe for a terminal: control characters (escapes, line breaks) as spaces."""
    if text is None:
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _zone() -> dt.tzinfo:
    name = get_settings().firm.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"FIRM_TIMEZONE {name!r} is not a known time zone") from exc


def _local(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


# ------------------------------------------------------------------------------- commands


class Context:
    """What every command needs: the database URL, a repository on it, the firm's zone."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.zone = _zone()
        self.engine = make_engine(url)
        self.repository = CaseRepository(make_session_factory(self.engine), zone=self.zone)

    def today(self) -> dt.date:
        """Today in the firm's time zone."""
        return dt.datetime.now(self.zone).date()


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """A table of cases, newest first."""
    cases = ctx.repository.list(urgent_only=args.urgent, since=args.since)
    if not cases:
        print("no cases")
        return 0
    today = ctx.today()
    rows = [list(TABLE_COLUMNS)]
    for case in cases:
        rows.append([
            case.id,
            _local(case.created_at, ctx.zone),
            current_urgency(case, today=today),
            case.response_deadline.isoformat() if case.response_deadline else "-",
            case.route or "-",
            case.status,
            printable(case.contact_name)[:NAME_WIDTH],
        ])
    print(_table(rows))
    print(f"{len(cases)} case{'s' if len(cases) != 1 else ''}")
    return 0


def _show_lines(case: Case, zone: dt.tzinfo, today: dt.date) -> list[str]:
    notices = [
        f"{n.code} (notice {n.notice_date or 'date unknown'}, "
        f"respond by {n.response_deadline or 'unknown'})"
        for n in case.notices
    ]
    yes_no = {True: "yes", False: "no", None: "not asked"}
    fields = [
        ("Case", case.id),
        ("Status", case.status),
        ("Created", _local(case.created_at, zone)),
        ("Updated", _local(case.updated_at, zone)),
        ("Staff notified", _local(case.notified_at, zone) or "not yet"),
        ("Channel", case.channel),
        ("Conversation", case.conversation_id),
        ("Notices", "; ".join(notices) or "none identified"),
        ("Respond by", str(case.response_deadline or "unknown")),
        ("Urgency", f"{current_urgency(case, today=today)} (at intake: {case.urgency})"),
        ("Amount", f"${case.amount:,.2f}" if case.amount is not None else "not given"),
        ("Agrees with amount", yes_no[case.agrees_with_amount]),
        ("Can pay in full", yes_no[case.can_pay_in_full]),
        ("Red flags", yes_no[case.has_red_flags]),
        ("Route", case.route or "not decided"),
        ("Reasons", "; ".join(case.reasons) or "-"),
        ("Name", case.contact_name),
        ("E-mail", case.contact_email or "-"),
        ("Phone", case.contact_phone or "-"),
        ("Best time", case.contact_time or "no preference"),
        ("Consent given", _local(case.consent_at, zone)),
        ("Summary", case.summary),
    ]
    width = max(len(label) for label, _ in fields) + 1
    return [f"{(label + ':').ljust(width)} {printable(value)}" for label, value in fields]


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Every field of one case, and its summary."""
    case = ctx.repository.get(args.id)
    print("\n".join(_show_lines(case, ctx.zone, ctx.today())))
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """All cases (or those asked for) as CSV or JSON, to stdout or a file."""
    cases = ctx.repository.list(urgent_only=args.urgent, since=args.since)
    text = to_csv(cases) if args.format == "csv" else to_json(cases)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # The export holds people's contact details: readable by its owner only.
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    print(f"exported {len(cases)} case{'s' if len(cases) != 1 else ''} to {args.output}",
          file=sys.stderr)
    return 0


def cmd_set_status(args: argparse.Namespace, ctx: Context) -> int:
    """Move a case to another status."""
    case = ctx.repository.set_status(args.id, args.status)
    print(f"case {case.id} is now {case.status}")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Context) -> int:
    """Delete a case and its conversation's transcript."""
    report = ctx.repository.delete(args.id)
    if report.events is None:
        transcript = ("no transcript in this database (Rasa's tracker store is elsewhere: "
                      "delete it there)")
    else:
        transcript = (f"its conversation transcript was deleted too ({report.events} "
                      f"event{'s' if report.events != 1 else ''})")
    print(f"deleted case {report.case.id}; {transcript}")
    return 0


def cmd_purge(args: argparse.Namespace, ctx: Context) -> int:
    """Delete cases and transcripts older than DAYS days."""
    report = ctx.repository.purge(older_than_days=args.older_than)
    print(
        f"purged {report.cases} case{'s' if report.cases != 1 else ''} and "
        f"{report.conversations} conversation transcript"
        f"{'s' if report.conversations != 1 else ''} ({report.events} events) "
        f"last active before {_local(report.cutoff, ctx.zone)}"
    )
    if not report.tracker_table:
        print("no transcripts in this database (Rasa's tracker store is elsewhere)")
    return 0


def cmd_migrate(args: argparse.Namespace, ctx: Context) -> int:
    """Create or upgrade the cases table (``alembic upgrade head`` without alembic.ini)."""
    if args.create_database and create_database_if_missing(ctx.url):
        print(f"created the database {mask_url(ctx.url)}")
    upgrade(ctx.url)
    print(f"the case store at {mask_url(ctx.url)} is migrated")
    return 0


def build_parser(prog: str = PROG) -> OneLineParser:
    """The ``cases`` argument parser (``prog``: how the command was called)."""
    parser = OneLineParser(prog=prog, description="The cases the assistant took in.")
    parser.add_argument("--database-url", help="the database (default: DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    listing = sub.add_parser("list", help="a table of cases, newest first")
    export = sub.add_parser("export", help="all cases as CSV or JSON")
    for command in (listing, export):
        command.add_argument("--urgent", action="store_true", help="overdue or urgent only")
        command.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                             help="created on or after this date")
    listing.set_defaults(func=cmd_list)
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", type=Path, help="file to write (default: stdout)")
    export.set_defaults(func=cmd_export)

    show = sub.add_parser("show", help="every field of one case")
    show.add_argument("id")
    show.set_defaults(func=cmd_show)

    status = sub.add_parser("set-status", help=f"set a case's status ({', '.join(STATUSES)})")
    status.add_argument("id")
    status.add_argument("status")
    status.set_defaults(func=cmd_set_status)

    delete = sub.add_parser("delete", help="delete a case and its conversation transcript")
    delete.add_argument("id")
    delete.set_defaults(func=cmd_delete)

    purge = sub.add_parser("purge", help="delete cases and transcripts older than DAYS")
    purge.add_argument("--older-than", type=_positive_days, required=True, metavar="DAYS")
    purge.set_defaults(func=cmd_purge)

    migrate = sub.add_parser("migrate", help="create or upgrade the cases table")
    migrate.add_argument("--create-database", action="store_true",
                         help="PostgreSQL: create the database first when it does not exist")
    migrate.set_defaults(func=cmd_migrate)
    return parser


def _fail(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


def _exc_kind(exc: Exception) -> str:
    """A short description of an error without its message (which may repeat a password)."""
    return "unknown database driver" if isinstance(exc, NoSuchModuleError) else "cannot parse it"


def _database_error(exc: DBAPIError, url: str) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    return f"cannot use the database {mask_url(url)}: {reason}"


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    """Entry point of the ``cases`` command, and of ``noticebot cases`` (``prog``)."""
    args = build_parser(prog).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        url: str = args.database_url or get_settings().database_url
    except ValueError as exc:  # a setting that cannot be used (SettingsError)
        return _fail(prog, str(exc))
    ctx: Context | None = None
    try:
        ctx = Context(url)
        return int(args.func(args, ctx))
    except (CaseNotFound, SchemaNotReady, UsageError) as exc:
        return _fail(prog, str(exc))
    except DBAPIError as exc:
        return _fail(prog, _database_error(exc, url))
    except ArgumentError as exc:
        return _fail(prog, f"{mask_url(url)} is not a usable database URL ({_exc_kind(exc)})")
    except ValueError as exc:
        return _fail(prog, str(exc))
    except OSError as exc:
        return _fail(prog, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    finally:
        if ctx is not None:
            ctx.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
