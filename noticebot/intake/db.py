"""Engines, sessions and migrations of the case store.

``make_engine`` and ``make_session_factory`` build what the repository needs (never at import).
``upgrade`` and ``current_revision`` run Alembic on the migrations packaged beside this module,
so they work from a wheel as well as from the checkout (where ``alembic upgrade head`` reads
``alembic.ini``). Alembic's bookkeeping table is ``noticebot_alembic_version``, so the database
can be shared with other tools, Rasa's tracker store among them.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
VERSION_TABLE = "noticebot_alembic_version"
SQLITE_BUSY_TIMEOUT_SECONDS = 15
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
PRIVATE_FILE_MODE = 0o600


class SchemaNotReady(RuntimeError):  # noqa: N818 (the name says what to do)
    """The ``cases`` table is missing: the database has not been migrated."""

    def __init__(self, url: str) -> None:
        super().__init__(
            "the case store is not migrated: run `alembic upgrade head` "
            f"(DATABASE_URL={mask_url(url)})"
        )


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***``, for messages and logs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # Not a URL SQLAlchemy reads: hide whatever stands before an "@".
        return "***@" + url.rsplit("@", 1)[1] if "@" in url else url
    return str(parsed.render_as_string(hide_password=True))


def _enable_wal(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: write-ahead log (readers never block the writer)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def prepare_sqlite_file(url: str) -> None:
    """For a SQLite file URL: its folder, and the file created readable by its owner only
    (mode 0600; SQLite gives its -wal and -shm files the same mode). An existing file that
    others can read is narrowed to 0600. Other URLs: nothing."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        return
    except FileExistsError:
        pass
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
        logger.warning("%s was readable by other users (mode %o); it is now %o.",
                       path, mode, mode & 0o700)


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite gets its folder, a file of mode 0600, a busy timeout and
    WAL; PostgreSQL pings. Errors never carry the statement's parameters (a case's contact
    details): ``hide_parameters``."""
    parsed = make_url(url)
    options: dict[str, Any] = {"future": True, "hide_parameters": True}
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        prepare_sqlite_file(url)
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    elif backend == "postgresql":
        options["pool_pre_ping"] = True
        if parsed.get_driver_name() == "psycopg2":
            options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS}
    engine = create_engine(parsed, **options)
    if backend == "sqlite":
        event.listen(engine, "connect", _enable_wal)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions in 2.0 style: ``with factory.begin() as session:`` per unit of work."""
    return sessionmaker(engine, future=True, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config on the packaged migrations; ``url`` overrides DATABASE_URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        # ConfigParser interpolation: a "%" in the URL (an escaped password) must be doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the case store at ``url`` up to ``revision`` (a no-op when already there)."""
    logger.info("migrating the case store at %s to %s", mask_url(url), revision)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the case store at ``url`` down to ``revision`` ("base" drops the cases table)."""
    logger.info("downgrading the case store at %s to %s", mask_url(url), revision)
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    """The newest revision of the packaged migrations."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; None when it was never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE}
            )
            return context.get_current_revision()
    finally:
        engine.dispose()


def create_database_if_missing(url: str) -> bool:
    """Create the PostgreSQL database ``url`` names when it does not exist (connecting to the
    server's ``postgres`` database as the same user); True when it was created. SQLite files
    are created on first use, so nothing is done for them."""
    target = make_url(url)
    if not target.drivername.startswith("postgresql") or not target.database:
        return False
    admin = create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True
    )
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).first()
            if exists:
                return False
            quoted = connection.dialect.identifier_preparer.quote(target.database)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        admin.dispose()
