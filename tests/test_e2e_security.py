"""End to end: what an attacker or a careless person can and cannot do to a running stack.

On the session's channel stack (``scripts/run.sh`` with Slack and Telegram against the local
fakes, a fresh SQLite file, no secret set in the environment: every secret comes from ``var/``):

- sensitive numbers sent through every channel (REST, with metadata and input_channel too;
  Socket.IO; Slack; Telegram), and by a REST client that gives up while its message is being
  processed (the action server paused with SIGSTOP, so Rasa's handler logs its
  ``rest.message.received.timeout``), leave no digit in the servers' log or in any table;
- the takeovers: a REST caller using another channel's conversation id, a Socket.IO client
  presenting another session's id (bare, with a forged signature, or without asking for it),
  and whoever types next in a conversation after its intake;
- the tokens: the HTTP API refuses calls without one though none was configured, no token is on
  a process's command line, the action server refuses calls without its token and text/plain
  bodies, the REST webhook refuses proxied calls without its token; the SQLite file is 0600.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
import sqlalchemy as sa
from e2e_servers import INTAKE_SCRIPT, Stack, rest_headers, say, texts
from fake_apis import FakeApis
from test_e2e_channels import (
    notice_date_words,
    slack_message_event,
    slack_post,
    telegram_message,
    telegram_post,
)

from noticebot.secret_files import SECRETS
from noticebot.senders import sender_id
from noticebot.settings import secret

pytestmark = pytest.mark.e2e

# What a frightened person pastes (each a separate message), and the digits that must never be
# found again: as typed, and as bare digits.
SENSITIVE = {
    "ssn": "my social security number is 219-09-9999, is this CP504 real?",
    "ein": "our business EIN is 12-3456789",
    "bank": "pay it from routing 021000021 account 000123456789",
    "card": "can I pay with my card 4111 1111 1111 1111",
}
NEEDLES = ["219-09-9999", "219099999", "12-3456789", "123456789", "021000021",
           "000123456789", "4111 1111 1111 1111", "4111111111111111"]
WARNING = "removed what looked like"


def database_url(stack: Stack) -> str:
    return stack.env["DATABASE_URL"]


def dump_tables(url: str) -> str:
    """Every row of every table, as text."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            names = sa.inspect(connection).get_table_names()
            return "\n".join(
                repr(tuple(row)) for name in names
                for row in connection.execute(sa.text(f'SELECT * FROM "{name}"')))
    finally:
        engine.dispose()


def pid_serving(port: int) -> int:
    found = subprocess.run(["pgrep", "-f", "--", f"--port {port}( |$)"],
                           capture_output=True, text=True, check=False).stdout.split()
    assert found, f"no process serves port {port}"
    return int(found[0])


class SocketClient:
    """A Socket.IO client that records what it receives."""

    def __init__(self, stack: Stack) -> None:
        self.events: list[tuple[str, Any]] = []
        self.client = socketio.Client()
        for name in ("session_confirm", "bot_uttered", "user_echo"):
            self.client.on(name, lambda data, name=name: self.events.append((name, data)))
        self.client.connect(stack.base, transports=["polling"], socketio_path="socket.io")

    def of(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    def session(self, session_id: str | None = None) -> str:
        """Ask for a session (``session_id`` to resume one); the token the server confirms."""
        before = len(self.of("session_confirm"))
        self.client.emit("session_request", {"session_id": session_id})
        self.wait(lambda: len(self.of("session_confirm")) > before)
        return str(self.of("session_confirm")[-1])

    def say(self, token: str, message: str, wait: bool = True) -> list[Any]:
        before = len(self.of("bot_uttered"))
        self.client.emit("user_uttered", {"message": message, "session_id": token})
        if wait:
            self.wait(lambda: len(self.of("bot_uttered")) > before)
            self.client.sleep(1.5)  # the rest of the turn
        else:
            self.client.sleep(4)
        return self.of("bot_uttered")[before:]

    def wait(self, done: Any, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not done():
            self.client.sleep(0.1)
        assert done(), self.events[-5:]

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(scope="module")
def stack(channel_stack: tuple[Stack, FakeApis]) -> Stack:
    return channel_stack[0]


@pytest.fixture(scope="module")
def fake(channel_stack: tuple[Stack, FakeApis]) -> FakeApis:
    return channel_stack[1]


# ------------------------------------------------------------------ no digit in a log or table


@pytest.fixture(scope="module")
def sent_everywhere(stack: Stack, fake: FakeApis) -> dict[str, Any]:
    """Every sensitive message through every channel, and one REST client that gives up."""
    tag = uuid.uuid4().hex[:6]
    seen: dict[str, Any] = {}
    # REST, the numbers in the text, in the metadata and in input_channel too.
    for kind, text in SENSITIVE.items():
        response = requests.post(f"{stack.base}/webhooks/rest/webhook", timeout=60, json={
            "sender": f"pii-{kind}-{tag}", "message": text,
            "metadata": {"note": text, "nested": [{"again": text}]},
            "input_channel": f"partner {text}"})
        assert response.ok, response.text
        seen[f"rest {kind}"] = response.json()
    # Socket.IO
    client = SocketClient(stack)
    try:
        token = client.session()
        for kind, text in SENSITIVE.items():
            seen[f"socketio {kind}"] = client.say(token, text)
        seen["socketio echoes"] = client.of("user_echo")
    finally:
        client.close()
    # Slack and Telegram
    for index, (kind, text) in enumerate(SENSITIVE.items()):
        before = len(fake.calls_to("slack", "chat.postMessage"))
        slack_post(stack, slack_message_event(f"U0PII{index}{tag}", f"D0PII{index}", text),
                   "application/json")
        seen[f"slack {kind}"] = fake.wait_for(
            "slack", "chat.postMessage", before,
            lambda c: WARNING in str(c.params.get("text")))
        before = len(fake.calls_to("telegram", "sendMessage"))
        assert telegram_post(stack, telegram_message(8800 + index, text)).ok
        seen[f"telegram {kind}"] = fake.wait_for(
            "telegram", "sendMessage", before, lambda c: WARNING in str(c.params.get("text")))
    # A REST client that gives up while its message waits for the (paused) action server.
    before = len(stack.log())
    paused = pid_serving(stack.action_port)
    os.kill(paused, signal.SIGSTOP)
    try:
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.post(f"{stack.base}/webhooks/rest/webhook", timeout=4,
                          json={"sender": f"gave-up-{tag}", "message": SENSITIVE["ssn"]})
        deadline = time.monotonic() + 30
        while "rest.message.received.timeout" not in stack.log()[before:]:
            assert time.monotonic() < deadline, stack.log()[before:][-3000:]
            time.sleep(0.5)
    finally:
        os.kill(paused, signal.SIGCONT)
    seen["gave up log"] = stack.log()[before:]
    return seen


def test_every_channel_warns_and_nothing_reaches_a_log_or_a_table(
        stack: Stack, sent_everywhere: dict[str, Any]) -> None:
    for kind in SENSITIVE:
        assert WARNING in texts(sent_everywhere[f"rest {kind}"])
        assert any(WARNING in (m.get("text") or "") for m in sent_everywhere[f"socketio {kind}"])
    # What the widget stores is what the server kept: the echo, numbers removed.
    echoes = [e["text"] for e in sent_everywhere["socketio echoes"]]
    assert len(echoes) == len(SENSITIVE) and all("removed]" in e for e in echoes)
    log, tables = stack.log(), dump_tables(database_url(stack))
    assert "[SSN removed]" in tables and "[card number removed]" in tables
    assert "partner our business EIN is [EIN removed]" in tables  # input_channel, redacted
    # The client that gave up: Rasa's handler logged its message (redacted before it could).
    gave_up = sent_everywhere["gave up log"]
    assert "rest.message.received.timeout" in gave_up and "[SSN removed]" in gave_up
    assert [n for n in NEEDLES if n in log] == []
    assert [n for n in NEEDLES if n in tables] == []
    # What the channels said back (the fake APIs' calls also hold the bot token: texts only).
    said = json.dumps([texts(v) if k.startswith("rest") else
                       [getattr(c, "params", c).get("text") for c in v]
                       for k, v in sent_everywhere.items() if k != "gave up log"])
    assert [n for n in NEEDLES if n in said] == []


# ------------------------------------------------------------------ takeovers


def test_rest_cannot_continue_another_channels_conversation(stack: Stack, fake: FakeApis) -> None:
    chat = 8900 + int(uuid.uuid4().int % 90)
    before = len(fake.calls_to("telegram", "sendMessage"))
    notice = f"I got an LT11 dated {notice_date_words(3)}"
    telegram_post(stack, telegram_message(chat, notice))
    fake.wait_for("telegram", "sendMessage", before,
                  lambda c: "Do you agree with the amount" in str(c.params.get("text")))
    # The attacker knows the chat id and posts as it, bare and with the channel's prefix.
    for claimed in (str(chat), f"telegram:{chat}"):
        said = texts(say(stack.base, claimed, "yes"))
        assert "pay the full amount" not in said  # not the Telegram conversation's next step
    telegram_events = stack.tracker(str(chat), "telegram")["events"]
    users = [e["text"] for e in telegram_events if e["event"] == "user"]
    assert users == [notice]
    assert stack.tracker(f"telegram:{chat}")["sender_id"] == f"rest:telegram:{chat}"


def test_a_socketio_session_cannot_be_taken_over(stack: Stack) -> None:
    victim, attacker = SocketClient(stack), SocketClient(stack)
    try:
        token = victim.session()
        session = token.split(".")[0]
        notice = f"I got an LT11 dated {notice_date_words(3)}"
        victim.say(token, notice)
        # The bare session id (as in a case, a log line, a staff notice): a new session.
        assert attacker.session(session) != token
        # A forged signature: a new session.
        forged = attacker.session(f"{session}.{'A' * 43}")
        assert forged.split(".")[0] != session
        # A REST caller with the session id: another conversation (rest:<id>).
        assert "pay the full amount" not in texts(say(stack.base, session, "yes"))
        assert "pay the full amount" not in texts(say(stack.base, f"socketio:{session}", "yes"))
        # The victim's whole token, sent on a connection that was given another session:
        # ignored, nothing answered, nothing stored.
        assert attacker.say(token, "yes", wait=False) == []
        victim_said = [m.get("text") for m in victim.of("bot_uttered")]
        assert not any("pay the full amount" in (t or "") for t in victim_said)
        users = [e["text"] for e in stack.tracker(session, "socketio")["events"]
                 if e["event"] == "user"]
        assert users == [notice]
        # The victim's own connection goes on.
        assert any("pay the full amount" in (m.get("text") or "")
                   for m in victim.say(token, "yes"))
    finally:
        victim.close()
        attacker.close()


PRIVATE = ("Jane", "555-0143", "+12025550143", "weekday mornings")


def test_after_an_intake_the_next_person_cannot_read_back_or_overwrite_it(stack: Stack) -> None:
    sender = "shared-kiosk-" + uuid.uuid4().hex[:6]
    for message, expected in INTAKE_SCRIPT:
        said = texts(say(stack.base, sender, message))
        if expected:
            assert expected in said, (message, said)
    url = database_url(stack)

    def case_row() -> tuple[Any, ...]:
        engine = sa.create_engine(url, future=True)
        try:
            with engine.connect() as connection:
                return tuple(connection.execute(sa.text(
                    "SELECT id, contact_name, contact_phone, contact_time, updated_at "
                    "FROM cases WHERE conversation_id = :c"),
                    {"c": sender_id("rest", sender)}).one())
        finally:
            engine.dispose()

    stored = case_row()
    # The next person on the same sender id: a stray yes, then a new request for a person.
    replies = [texts(say(stack.base, sender, text)) for text in
               ("yes", "is that right?", "I want to talk to a person", "yes")]
    assert "What name" in replies[-1]  # asked again, not read back
    assert not any(private in reply for reply in replies for private in PRIVATE), replies
    assert case_row() == stored  # not submitted again, not changed
    slots = stack.tracker(sender)["slots"]
    assert all(slots.get(name) is None for name in
               ("contact_name", "contact_email", "contact_phone", "contact_time"))


# ------------------------------------------------------------------ tokens


def test_the_http_api_needs_a_token_though_none_was_configured(stack: Stack) -> None:
    assert "RASA_AUTH_TOKEN" not in stack.env or not stack.env["RASA_AUTH_TOKEN"]
    url = f"{stack.base}/conversations/{sender_id('rest', 'nobody')}/tracker"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.post(f"{stack.base}/model/parse", json={"text": "hi"},
                         timeout=30).status_code == 401
    assert requests.get(url, params=stack.api_params(), timeout=30).status_code == 200
    folder = Path(stack.env.get("NOTICEBOT_SECRETS_DIR") or Path(__file__).parents[1] / "var")
    for name in SECRETS.values():
        path = folder / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_no_secret_is_on_a_command_line(stack: Stack) -> None:
    secrets_ = [secret(variable, stack.env) for variable in SECRETS]
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    assert any("rasa_ext.serve" in line for line in found)
    assert [s for s in secrets_ if any(s in line for line in found)] == []


def test_the_action_server_needs_its_token_and_json(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.action_port}"
    call = {"next_action": "action_submit_intake", "sender_id": "rest:x", "tracker": {},
            "domain": {}, "version": "3.6.21"}
    token = {"X-Action-Token": secret("ACTION_SERVER_TOKEN", stack.env)}
    assert requests.get(f"{url}/health", timeout=10).ok
    assert requests.post(f"{url}/webhook", json=call, timeout=10).status_code == 401
    assert requests.get(f"{url}/actions", timeout=10).status_code == 401
    wrong = {"X-Action-Token": "wrong"}
    assert requests.post(f"{url}/webhook", json=call, headers=wrong, timeout=10).status_code == 401
    # What a web page can send without a preflight: refused even with the token.
    plain = requests.post(f"{url}/webhook", data=json.dumps(call), timeout=10,
                          headers={**token, "Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert requests.get(f"{url}/actions", headers=token, timeout=10).ok


def test_the_rest_webhook_needs_its_token_through_a_proxy(stack: Stack) -> None:
    body = {"sender": "via-proxy", "message": "hello"}
    proxied = {"X-Forwarded-For": "203.0.113.7"}
    url = f"{stack.base}/webhooks/rest/webhook"
    assert requests.post(url, json=body, headers=proxied, timeout=60).status_code == 401
    answer = requests.post(url, json=body, headers={**proxied, **rest_headers(stack.env)},
                           timeout=60)
    assert answer.ok and answer.json()
    assert requests.post(url, json=body, timeout=60).ok  # on this machine, directly: open


def test_the_sqlite_file_is_private(stack: Stack) -> None:
    path = Path(sa.engine.make_url(database_url(stack)).database or "")
    for file in [path, *path.parent.glob(path.name + "-*")]:
        assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file

