"""End to end, with hypothesis-generated hostile input: the REST webhook and the Socket.IO channel
get empty and 10,000-character messages, control characters, mixed scripts, emoji, HTML and SQL
fragments, Rasa command look-alikes, and malformed bodies or events (wrong types, missing fields,
non-JSON, JSON that is not an object, deep nesting).

Properties: never a 5xx, never a Python traceback in what comes back, a JSON list of replies for a
well-formed request and a 400 with the reason for a malformed one (``rasa_ext/input_checks.py``),
every request answered within 30 s, and the server (and the Socket.IO connection) still
answering "I got a CP504" afterwards.

The examples are derandomized (the same inputs on every run) and few, to keep the module short.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import socketio
from e2e_servers import Stack, say, texts
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.e2e

REQUEST_SECONDS = 30
TRACEBACK_MARKERS = ("Traceback", 'File "')
# Each test runs its examples on one server: few, reproducible, no example database in the repo.
REST_SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MALFORMED_SETTINGS = settings(REST_SETTINGS, max_examples=25)
SOCKETIO_SETTINGS = settings(REST_SETTINGS, max_examples=12)

# ------------------------------------------------------------------------------ strategies

CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f"
FRAGMENTS = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE events; --',
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} %s %(x)s {0}",
    "../../etc/passwd",
    "/restart",
    '/report_notice{"notice_code": 5}',
    "/report_notice{not json",
    "I got a CP504",
]
# Code point ranges: Latin (with Latin-1), Cyrillic, Arabic, CJK, combining marks, emoji and
# their joiners/selectors, bidi controls. No surrogates here (raw, they cannot be sent as UTF-8);
# their JSON escapes ("\\ud800") are explicit examples below.
SCRIPTS = [(0x20, 0x7E), (0xA0, 0xFF), (0x400, 0x4FF), (0x600, 0x6FF), (0x4E00, 0x9FFF),
           (0x300, 0x36F), (0x1F300, 0x1FAFF), (0x200B, 0x200F), (0xFE00, 0xFE0F),
           (0x202A, 0x202E)]
hostile_char = st.one_of(
    st.sampled_from(CONTROL),
    *[st.characters(min_codepoint=lo, max_codepoint=hi, blacklist_categories=("Cs",))
      for lo, hi in SCRIPTS],
)
hostile_piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(hostile_char, max_size=40))
hostile_text = st.lists(hostile_piece, max_size=6).map("".join)
ten_thousand = st.text(hostile_char, min_size=1, max_size=30).map(
    lambda piece: (piece * (10_000 // len(piece) + 1))[:10_000])
message_text = st.one_of(st.just(""), ten_thousand, hostile_text)

MIXED_SCRIPTS = "Notice CP504 уведомление إشعار 通知 e\u0301\u0308 \u202eevil\u202c"
EMOJI = "\U0001F4EC\U0001F9FE\U0001F468\u200d\U0001F469\u200d\U0001F467 \u2764\ufe0f CP14?"

# JSON values, shallow: wrong types for "sender" and "message".
scalar = st.one_of(st.none(), st.booleans(), st.integers(),
                   st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
shallow_json = st.recursive(
    scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=5), inner, max_size=3), max_leaves=6)
well_formed_field = st.text(hostile_char, min_size=1, max_size=20)


def _wrong_fields(body: dict[str, Any]) -> bool:
    return not (isinstance(body.get("sender"), str) and isinstance(body.get("message"), str))


# Objects whose "sender"/"message" are missing or not strings (extra keys allowed).
bad_fields_body = st.fixed_dictionaries(
    {}, optional={
        "sender": st.one_of(well_formed_field, shallow_json),
        "message": st.one_of(well_formed_field, shallow_json),
        "metadata": shallow_json,
    },
).filter(_wrong_fields).map(lambda body: json.dumps(body).encode())


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return bool(raw)  # an empty body is the JSON-not-an-object case
    return False


not_json_body = st.one_of(
    st.binary(min_size=1, max_size=200),
    st.text(hostile_char, min_size=1, max_size=200).map(str.encode),
    st.sampled_from([b"sender=x&message=hi", b"{'sender': 'x', 'message': 'hi'}",
                     b'{"sender": "x", "message": "hi"', b"<xml/>", b"\xff\xfe\x00"]),
).filter(_not_json)
# Deeper than any JSON parser recurses: refused while parsing.
too_deep_body = st.integers(min_value=5_000, max_value=20_000).map(
    lambda depth: b'{"sender": "deep", "message": "hi", "metadata": '
    + b'{"a": ' * depth + b"1" + b"}" * depth + b"}")
# Well-formed JSON, but not an object, or an object whose message nests deep enough that
# handling it recurses past Python's limit.
non_object_body = st.one_of(
    st.just(b""),
    shallow_json.filter(lambda value: not isinstance(value, dict)).map(
        lambda value: json.dumps(value).encode()),
    st.integers(min_value=1, max_value=900).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(min_value=900, max_value=990).map(
        lambda depth: b'{"sender": "nested", "message": ' + b"[" * depth + b"]" * depth + b"}"),
)

# ------------------------------------------------------------------------------ helpers

LATENCIES: dict[str, float] = {}


def _timed(kind: str, seconds: float) -> None:
    LATENCIES[kind] = max(LATENCIES.get(kind, 0.0), seconds)
    assert seconds < REQUEST_SECONDS, f"{kind} took {seconds:.1f}s (limit {REQUEST_SECONDS}s)"


def no_traceback(text: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"a traceback reached the client: {text[:2000]!r}"


class LogWatch:
    """What the stack printed since the last ``mark()``: evidence for a failure message."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.stack.log_path.stat().st_size

    def since(self, tail: int | None = 4000) -> str:
        """What was logged since ``mark()``: its last ``tail`` characters, or all of it."""
        with self.stack.log_path.open("rb") as log:
            log.seek(self.offset)
            logged = log.read().decode(errors="replace")
        return logged[-tail:] if tail else logged

    def assert_no_traceback(self) -> None:
        """Nothing the servers logged since ``mark()`` is a traceback."""
        logged = self.since(tail=None)
        for marker in TRACEBACK_MARKERS:
            where = logged.find(marker)
            context = logged[max(0, where - 1500):][:4000]
            assert where < 0, f"the servers logged a traceback: {context}"


def post(stack: Stack, body: bytes, kind: str) -> requests.Response:
    """POST raw bytes to the REST webhook as JSON; time it."""
    started = time.monotonic()
    try:
        response = requests.post(
            f"{stack.base}/webhooks/rest/webhook", data=body,
            headers={"Content-Type": "application/json"}, timeout=REQUEST_SECONDS,
        )
    except requests.Timeout:
        pytest.fail(f"no answer within {REQUEST_SECONDS}s to {body[:300]!r}")
    _timed(kind, time.monotonic() - started)
    return response


def assert_still_answers(stack: Stack) -> None:
    replies = say(stack.base, f"after-{uuid.uuid4().hex}", "I got a CP504")
    assert "CP504" in texts(replies), replies


@pytest.fixture(scope="module")
def stack(channel_stack: tuple[Stack, Any],
          request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The shared stack; at the end, the slowest answer of each kind is reported."""
    running, _ = channel_stack
    yield running
    if LATENCIES:
        slowest = ", ".join(f"{kind} {seconds:.2f}s" for kind, seconds in sorted(LATENCIES.items()))
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\ntest_e2e_bad_input: slowest answers: {slowest}")


# ------------------------------------------------------------------------------ REST


def test_rest_answers_hostile_text_with_a_json_list(stack: Stack) -> None:
    log = LogWatch(stack)

    @REST_SETTINGS
    @given(text=message_text, ascii_only=st.booleans())
    @example(text="", ascii_only=True)
    @example(text="x" * 10_000, ascii_only=True)
    @example(text=CONTROL + " CP504 " + CONTROL, ascii_only=False)
    @example(text=MIXED_SCRIPTS, ascii_only=False)
    @example(text=EMOJI, ascii_only=False)
    @example(text="CP504 \ud800 dated \udfff today", ascii_only=True)  # lone surrogates, escaped
    @example(text=" ".join(FRAGMENTS[:3]), ascii_only=True)
    def check(text: str, ascii_only: bool) -> None:
        sender = f"bad-input-{uuid.uuid4().hex}"
        body = json.dumps({"sender": sender, "message": text}, ensure_ascii=ascii_only)
        log.mark()
        response = post(stack, body.encode(), "rest message")
        assert response.status_code == 200, (response.status_code, response.text, log.since())
        no_traceback(response.text)
        replies = response.json()
        assert isinstance(replies, list), replies
        assert all(isinstance(reply, dict) for reply in replies), replies
        assert all(reply.get("recipient_id") == sender for reply in replies), replies
        no_traceback(texts(replies))
        log.assert_no_traceback()

    whole = LogWatch(stack)
    whole.mark()
    check()
    assert_still_answers(stack)
    whole.assert_no_traceback()


def test_rest_malformed_bodies_are_refused_with_a_400_saying_why(stack: Stack) -> None:
    """Not JSON, JSON that is not an object, nesting deeper than a parser or Rasa's copying
    recurses, a missing or wrong-typed 'sender' or 'message': a 400 with the reason as JSON."""
    log = LogWatch(stack)

    @MALFORMED_SETTINGS
    @given(body=st.one_of(bad_fields_body, not_json_body, too_deep_body, non_object_body))
    @example(body=b'{"sender": 5, "message": []}')
    @example(body=b'{"message": "hi"}')
    @example(body=b'{"sender": "missing-message"}')
    @example(body=b"{}")
    @example(body=b"")
    @example(body=b"null")
    @example(body=b"[1, 2]")
    @example(body=b"not json at all")
    @example(body=b'{"sender": "nested", "message": ' + b"[" * 950 + b"]" * 950 + b"}")
    @example(body=b'{"sender": "deep", "message": "hi", "metadata": '
             + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}")
    @example(body=json.dumps({"sender": "s" * 300, "message": "hi"}).encode())
    @example(body=json.dumps({"sender": "nul\x00", "message": "hi"}).encode())
    @example(body=b'{"sender": "surrogate\\ud800", "message": "hi"}')
    def check(body: bytes) -> None:
        log.mark()
        response = post(stack, body, "rest malformed")
        no_traceback(response.text)
        assert response.status_code == 400, (body[:300], response.status_code, response.text,
                                              log.since())
        assert isinstance(response.json().get("error"), str), response.text
        log.assert_no_traceback()

    whole = LogWatch(stack)
    whole.mark()
    check()
    assert_still_answers(stack)
    whole.assert_no_traceback()


# ------------------------------------------------------------------------------ Socket.IO


class SocketSession:
    """One Socket.IO connection kept across examples; every event it receives is recorded."""

    def __init__(self, stack: Stack) -> None:
        self.events: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client()
        self.client.on("*", lambda event, data: self._record(event, data))
        self.client.on("bot_uttered", lambda data: self._record("bot_uttered", data))
        self.client.on("session_confirm", lambda data: self._record("session_confirm", data))
        self.client.connect(stack.base, transports=["polling"], socketio_path="socket.io")

    def _record(self, event: str, data: Any) -> None:
        with self.lock:
            self.events.append((event, data))

    def since(self, start: int) -> list[tuple[str, Any]]:
        with self.lock:
            return list(self.events[start:])

    def wait_for(self, start: int, done: Callable[[list[tuple[str, Any]]], bool],
                 seconds: float) -> list[tuple[str, Any]]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done(self.since(start)):
                break
            self.client.sleep(0.05)
        return self.since(start)

    def new_session(self) -> str:
        """A new session: the server chooses and signs its id (the session_confirm)."""
        start = len(self.events)
        self.client.emit("session_request", {"session_id": None})
        confirmed = self.wait_for(
            start, lambda got: any(e == "session_confirm" for e, _ in got), REQUEST_SECONDS)
        tokens = [data for event, data in confirmed if event == "session_confirm"]
        assert tokens and isinstance(tokens[0], str), confirmed
        return str(tokens[0])

    def say(self, message: Any, kind: str) -> list[tuple[str, Any]]:
        """A user_uttered in a new session; the events up to 0.5 s after the first reply."""
        session_id = self.new_session()
        start = len(self.events)
        started = time.monotonic()
        self.client.emit("user_uttered", {"message": message, "session_id": session_id})
        self.wait_for(start, lambda got: any(e == "bot_uttered" for e, _ in got),
                      REQUEST_SECONDS)
        _timed(kind, time.monotonic() - started)
        self.client.sleep(0.5)  # the rest of this turn
        return self.since(start)


def events_text(events: list[tuple[str, Any]]) -> str:
    return json.dumps(events, ensure_ascii=False, default=repr)


def assert_connection_still_answers(session: SocketSession) -> None:
    assert session.client.connected
    events = session.say("I got a CP504", "socketio message")
    replies = " ".join(str(data.get("text", "")) for event, data in events
                       if event == "bot_uttered" and isinstance(data, dict))
    assert "CP504" in replies, events


@pytest.fixture(scope="module")
def socket_session(stack: Stack) -> Iterator[SocketSession]:
    session = SocketSession(stack)
    try:
        yield session
    finally:
        session.client.disconnect()


def test_socketio_answers_hostile_text_and_stays_usable(
        stack: Stack, socket_session: SocketSession) -> None:
    log = LogWatch(stack)

    @SOCKETIO_SETTINGS
    @given(text=message_text)
    @example(text="")
    @example(text="x" * 10_000)
    @example(text=CONTROL + MIXED_SCRIPTS + EMOJI + " ".join(FRAGMENTS[:3]))
    def check(text: str) -> None:
        log.mark()
        events = socket_session.say(text, "socketio message")
        assert any(event == "bot_uttered" for event, _ in events), (
            f"no reply within {REQUEST_SECONDS}s", events, log.since())
        no_traceback(events_text(events))
        log.assert_no_traceback()

    whole = LogWatch(stack)
    whole.mark()
    check()
    assert_connection_still_answers(socket_session)
    whole.assert_no_traceback()


MALFORMED_EVENT_WAIT = 1.5
malformed_user_uttered = st.one_of(
    shallow_json.filter(lambda value: not isinstance(value, dict)),
    st.fixed_dictionaries({"message": shallow_json.filter(lambda v: not isinstance(v, str))}),
    st.fixed_dictionaries({"message": well_formed_field}),  # no session_id
    st.fixed_dictionaries({"message": well_formed_field, "session_id": shallow_json}),
)


def test_socketio_malformed_events_carry_no_traceback_and_connection_stays_usable(
        stack: Stack, socket_session: SocketSession) -> None:
    """Malformed events may go unanswered (there is no status to return), but nothing that comes
    back carries a traceback and the connection keeps working."""

    @SOCKETIO_SETTINGS
    @given(event=st.sampled_from(["user_uttered", "session_request"]),
           data=malformed_user_uttered)
    @example(event="user_uttered", data={"message": [], "session_id": "bad-input-list"})
    @example(event="user_uttered", data="not an object")
    @example(event="session_request", data=[1, 2])
    def check(event: str, data: Any) -> None:
        start = len(socket_session.events)
        socket_session.client.emit(event, data)
        socket_session.client.sleep(MALFORMED_EVENT_WAIT)
        no_traceback(events_text(socket_session.since(start)))
        assert socket_session.client.connected

    whole = LogWatch(stack)
    whole.mark()
    check()
    assert_connection_still_answers(socket_session)
    whole.assert_no_traceback()
