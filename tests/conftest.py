"""Shared fixtures: the real catalog and one recognizer per test session (both are costly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticebot.knowledge.catalog import Catalog, load_catalog
from noticebot.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    """The curated catalog folder of this checkout."""
    return KNOWLEDGE_DIR


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The curated catalog, loaded once."""
    return load_catalog(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def recognizer():  # type: ignore[no-untyped-def]
    """One spaCy recognizer for the whole session."""
    from noticebot.nlp import Recognizer

    return Recognizer()


def _reachable_postgres_admin_url() -> tuple[str | None, str]:
    """The first admin URL on 127.0.0.1:5432 that connects, and why none did otherwise."""
    import getpass

    import sqlalchemy as sa

    users = dict.fromkeys(["postgres", getpass.getuser(), "root"])
    errors = []
    for user in users:
        url = f"postgresql+psycopg2://{user}@127.0.0.1:5432/postgres"
        engine = sa.create_engine(
            url, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.DBAPIError as exc:
            errors.append(f"{user}: {str(exc.orig).strip().splitlines()[0]}")
            continue
        finally:
            engine.dispose()
        return url, ""
    return None, "; ".join(errors)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """An AUTOCOMMIT-capable admin URL of the local PostgreSQL (its ``postgres`` database).

    Unreachable: the test is skipped, except under CI=true, where it fails (PostgreSQL tests
    must run in CI).
    """
    import os

    url, why = _reachable_postgres_admin_url()
    if url is None:
        message = f"PostgreSQL on 127.0.0.1:5432 is not reachable ({why})"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true needs it")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def channel_stack(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One ``scripts/run.sh`` (Rasa, actions, chat page) with Slack and Telegram configured
    against a local fake of their APIs; shared by the end-to-end channel and browser tests."""
    from e2e_servers import start_stack
    from fake_apis import (
        SLACK_SIGNING_SECRET,
        SLACK_TOKEN,
        FakeApis,
    )

    folder = tmp_path_factory.mktemp("channels")
    fake = FakeApis().start()
    stack = start_stack(
        folder / "run.log",
        DATABASE_URL=f"sqlite:///{folder / 'channels.db'}",
        SLACK_TOKEN=SLACK_TOKEN,
        SLACK_SIGNING_SECRET=SLACK_SIGNING_SECRET,
        SLACK_API_URL=fake.slack_url,
        **fake.telegram_env(),
    )
    try:
        yield stack, fake
    finally:
        stack.stop()
        fake.stop()
    assert stack.process.returncode is not None
