"""End to end on SQLite and PostgreSQL: conversations persist across a restart, sensitive numbers
never reach a table or a log line (REST and Socket.IO), ordinary numbers and the intake's case are
kept, and the HTTP API refuses unauthenticated reads.

Each backend starts ``scripts/run.sh`` twice (before and after the restart). With ``CI=true`` the
PostgreSQL run must happen (the ``postgres_admin_url`` fixture fails instead of skipping).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import socketio
import sqlalchemy as sa
from e2e_servers import INTAKE_SCRIPT, Stack, say, start_stack, texts

from noticebot.senders import sender_id

pytestmark = pytest.mark.e2e

TOKEN = "e2e-" + uuid.uuid4().hex
# What a frightened person might paste; none of it may be stored or logged.
SENSITIVE_MESSAGES = {
    "ssn": ("my ssn is 219-09-9999, is the CP504 real?", ["219-09-9999"]),
    "ein": ("our EIN is 12-3456789", ["12-3456789"]),
    "routing": ("routing 021000021 account number 000123456789",
                ["021000021", "000123456789"]),
    "card": ("can I pay with card 4111 1111 1111 1111?",
             ["4111 1111 1111 1111", "4111111111111111"]),
    "bare": ("social security 078051120", ["078051120", "078-05-1120"]),
}
NEEDLES = [needle for _, needles in SENSITIVE_MESSAGES.values() for needle in needles]


@dataclass
class Backend:
    """A database for one run: its URL and how to read every table of it."""

    name: str
    url: str

    def dump(self) -> str:
        """Every row of every table, as text."""
        engine = sa.create_engine(self.url, future=True)
        try:
            with engine.connect() as connection:
                names = sa.inspect(connection).get_table_names()
                rows = [
                    repr(tuple(row)) for name in names
                    for row in connection.execute(sa.text(f'SELECT * FROM "{name}"'))
                ]
        finally:
            engine.dispose()
        return "\n".join(rows)

    def scalar(self, query: str, **params: Any) -> Any:
        """One value from the database."""
        engine = sa.create_engine(self.url, future=True)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(query), params).scalar()
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """A fresh SQLite file, or a fresh PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        yield Backend("sqlite", f"sqlite:///{folder / 'noticebot.db'}")
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"noticebot_e2e_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield Backend("postgresql", url)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="module")
def stack(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Both servers on ``backend``, with an API token and debug logging."""
    log_path = tmp_path_factory.mktemp(f"run-{backend.name}") / "run.log"
    running = start_stack(log_path, DATABASE_URL=backend.url, RASA_AUTH_TOKEN=TOKEN,
                          LOG_LEVEL="DEBUG", FIRM_NAME="Example Tax Help",
                          FIRM_BOOKING_URL="https://example.org/book")
    try:
        yield running
    finally:
        running.stop()


def tracker_events(stack: Stack, sender: str, channel: str = "rest") -> list[dict[str, Any]]:
    """The stored conversation, read through the (authenticated) HTTP API."""
    assert stack.token == TOKEN
    return list(stack.tracker(sender, channel)["events"])


def socketio_say(stack: Stack, message: str) -> tuple[str, list[dict[str, Any]]]:
    """One message through the Socket.IO channel in a new session: the session id (the
    conversation is ``socketio:<id>``) and the replies that came back within 30 s."""
    client = socketio.Client()
    replies: list[dict[str, Any]] = []
    tokens: list[str] = []
    client.on("bot_uttered", lambda data: replies.append(data))
    client.on("session_confirm", lambda data: tokens.append(data))
    client.connect(stack.base, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": None})
        for _ in range(100):
            if tokens:
                break
            client.sleep(0.1)
        client.emit("user_uttered", {"message": message, "session_id": tokens[0]})
        for _ in range(300):
            if replies:
                client.sleep(1)  # let the rest of this turn arrive
                break
            client.sleep(0.1)
    finally:
        client.disconnect()
    return tokens[0].split(".")[0], replies


# ------------------------------------------------------------------------------ privacy


@dataclass
class SentMessages:
    """The replies to every sensitive message, sent through REST and through Socket.IO."""

    rest: dict[str, list[dict[str, Any]]]
    socketio: list[dict[str, Any]]
    session: str


@pytest.fixture(scope="module")
def sent(stack: Stack) -> SentMessages:
    """Send each sensitive message once per channel (the tests below read the results)."""
    rest = {kind: say(stack.base, f"pii-rest-{kind}", message)
            for kind, (message, _) in SENSITIVE_MESSAGES.items()}
    session, replies = socketio_say(stack, SENSITIVE_MESSAGES["ssn"][0])
    return SentMessages(rest, replies, session)


@pytest.mark.parametrize("kind", list(SENSITIVE_MESSAGES))
def test_rest_messages_with_sensitive_numbers_are_redacted_and_warned(sent: SentMessages,
                                                                      kind: str) -> None:
    replies = sent.rest[kind]
    assert "removed what looked like" in texts(replies)
    assert not any(n in texts(replies) for n in SENSITIVE_MESSAGES[kind][1])


def test_socketio_messages_are_redacted_too(stack: Stack, sent: SentMessages) -> None:
    assert any("removed what looked like" in (r.get("text") or "") for r in sent.socketio)
    events = tracker_events(stack, sent.session, "socketio")
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    assert user_texts == ["my ssn is [SSN removed], is the CP504 real?"]


def test_no_table_and_no_log_line_holds_a_sensitive_number(stack: Stack, backend: Backend,
                                                           sent: SentMessages) -> None:
    dump, log = backend.dump(), stack.log()
    assert dump.count("[SSN removed]") >= 2  # the messages were stored, redacted
    assert "DEBUG" in log  # the servers really logged at debug level
    assert [n for n in NEEDLES if n in dump] == []
    assert [n for n in NEEDLES if n in log] == []


# ------------------------------------------------------------------------------ intake




def test_intake_stores_one_case_and_keeps_ordinary_numbers(stack: Stack,
                                                           backend: Backend) -> None:
    sender = "intake-" + uuid.uuid4().hex[:8]
    replies: list[dict[str, Any]] = []
    for message, expected in INTAKE_SCRIPT:
        replies = say(stack.base, sender, message)
        if expected:
            assert expected in texts(replies), (message, texts(replies))
    created = [r["custom"] for r in replies if (r.get("custom") or {}).get("type")
               == "case_created"]
    assert len(created) == 1
    case_id = created[0]["case_id"]
    say(stack.base, sender, "yes")  # a stray repeat never makes a second case
    assert backend.scalar("SELECT count(*) FROM cases WHERE conversation_id = :s",
                          s=sender_id("rest", sender)) == 1
    assert backend.scalar("SELECT contact_phone FROM cases WHERE id = :i",
                          i=case_id) == "+12025550143"
    assert "CP504" in backend.scalar("SELECT summary FROM cases WHERE id = :i", i=case_id)
    dump = backend.dump()
    for ordinary in ("$12,400", "November 2, 2026", "CP504", "(202) 555-0143"):
        assert ordinary in dump


# ------------------------------------------------------------------------------ the API


def test_reading_a_conversation_needs_the_token(stack: Stack) -> None:
    say(stack.base, "auth-check", "hello")
    url = f"{stack.base}/conversations/{sender_id('rest', 'auth-check')}/tracker"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=30).status_code == 401
    assert requests.get(url, params={"token": TOKEN}, timeout=30).status_code == 200


def test_channels_without_credentials_are_off_and_say_why(stack: Stack) -> None:
    for channel, missing in (("slack", "SLACK_TOKEN"), ("telegram", "TELEGRAM_TOKEN")):
        answer = requests.post(f"{stack.base}/webhooks/{channel}/webhook", json={}, timeout=30)
        assert answer.status_code == 503
        assert missing in answer.text


# ------------------------------------------------------------------------------ restart


def test_a_restart_keeps_the_conversation(stack: Stack, backend: Backend) -> None:
    sender = "restart-" + uuid.uuid4().hex[:8]
    say(stack.base, sender, "I got an LT11")
    stack.stop()
    assert stack.process.returncode is not None
    again = start_stack(stack.log_path, DATABASE_URL=backend.url, RASA_AUTH_TOKEN=TOKEN)
    try:
        events = tracker_events(again, sender)
        assert [e["text"] for e in events if e["event"] == "user"] == ["I got an LT11"]
        # The new process remembers the notice: a date alone now gives its deadline.
        replies = say(again.base, sender, "it is dated November 2, 2026")
        cards = [r["custom"] for r in replies
                 if (r.get("custom") or {}).get("type") == "notice_summary"]
        assert cards and cards[-1]["notice_code"] == "LT11"
        assert cards[-1]["response_deadline"] == "2026-12-02"
    finally:
        again.stop()
