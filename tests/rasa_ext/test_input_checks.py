"""What the REST and Socket.IO channels accept, and what they do with the rest."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from rasa_ext.channels import RestInput, SocketIOInput
from rasa_ext.input_checks import (
    MAX_NESTING,
    MAX_SENDER_CHARS,
    RestMessage,
    nesting,
    rest_message,
    socketio_message_problem,
    socketio_session_data,
    without_control_characters,
)


def body(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(("value", "depth"), [
    (1, 0), ("text", 0), ({}, 1), ([], 1), ({"a": 1}, 1), ({"a": [1, {"b": 2}]}, 3),
    (nested(10), 10),
])
def test_nesting_counts_lists_and_objects(value: Any, depth: int) -> None:
    assert nesting(value) == depth


def test_nesting_stops_counting_past_the_limit_without_recursion() -> None:
    assert nesting(nested(50_000)) == MAX_NESTING + 1


@pytest.mark.parametrize("raw", [
    body(sender="a", message="I got a CP504"),
    body(sender="a", message=""),
    body(sender="a", message="x" * 10_000),
    body(sender="s" * MAX_SENDER_CHARS, message="hi"),
    body(sender="a", message="hi", metadata={"page": "home"}, input_channel="web"),
    body(sender="a", message="hi", metadata=None),
    body(sender="a", message="hi", metadata=nested(MAX_NESTING - 1)),
    body(sender="уведомление 通知", message="\x00\x1b"),
])
def test_a_well_formed_rest_body_is_accepted_as_it_is(raw: bytes) -> None:
    checked = rest_message(raw)
    assert isinstance(checked, RestMessage)
    assert checked.body == json.loads(raw)


@pytest.mark.parametrize(("raw", "says"), [
    (b"", "must be JSON"),
    (b"not json", "must be JSON"),
    (b"\xff\xfe\x00", "must be JSON"),
    (b'{"sender": "a", "message": "hi"', "must be JSON"),
    (b"[1, 2]", "JSON object"),
    (b"null", "JSON object"),
    (b'"text"', "JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "deeper"),
    (body(sender="a", message="hi", metadata=nested(MAX_NESTING + 5)), "deeper"),
    (body(message="hi"), "'sender'"),
    (body(sender=5, message="hi"), "'sender'"),
    (body(sender="  ", message="hi"), "'sender'"),
    (body(sender="s" * (MAX_SENDER_CHARS + 1), message="hi"), f"at most {MAX_SENDER_CHARS}"),
    (body(sender="a\x00b", message="hi"), "control characters"),
    (b'{"sender": "a\\ud800b", "message": "hi"}', "lone surrogates"),  # valid JSON escape
    (body(sender="a"), "'message'"),
    (body(sender="a", message=["hi"]), "'message'"),
    (body(sender="a", message=None), "'message'"),
    (body(sender="a", message="hi", metadata="page=home"), "'metadata'"),
    (body(sender="a", message="hi", input_channel=7), "'input_channel'"),
])
def test_a_malformed_rest_body_is_refused_with_the_reason(raw: bytes, says: str) -> None:
    checked = rest_message(raw)
    assert isinstance(checked, str)
    assert says in checked


@pytest.mark.parametrize(("args", "persistence", "problem"), [
    (({"message": "hi", "session_id": "s1"},), True, None),
    (({"session_id": "s1"},), True, None),  # no message counts as empty, as in Rasa
    (({"message": "hi", "session_id": "s1", "customData": {"page": "home"}},), True, None),
    (({"message": "hi", "session_id": "s1", "customData": '{"page": "home"}'},), True, None),
    (({"message": "hi"},), False, None),
    (({"message": "hi"},), True, "'session_id'"),
    (({"message": "hi", "session_id": ["s1"]},), True, "'session_id'"),
    (({"message": "hi", "session_id": "s" * 300},), True, f"at most {MAX_SENDER_CHARS}"),
    (({"message": ["hi"], "session_id": "s1"},), True, "'message'"),
    (({"message": "hi", "session_id": "s1", "customData": "{not json"},), True, "customData"),
    (({"message": "hi", "session_id": "s1", "customData": "[1]"},), True, "customData"),
    (({"message": "hi", "session_id": "s1", "customData": 5},), True, "customData"),
    (("not an object",), True, "one object"),
    ((), True, "one object"),
    (({"message": "hi"}, {"message": "again"}), False, "one object"),
    (({"message": "hi", "session_id": "s1", "x": nested(40)},), True, "deeper"),
])
def test_socketio_message_data(args: tuple[Any, ...], persistence: bool,
                               problem: str | None) -> None:
    found = socketio_message_problem(args, "customData", persistence)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize(("args", "data", "refused"), [
    ((), {}, False),
    ((None,), {}, False),
    (({},), {}, False),
    (({"session_id": None},), {}, False),
    (({"session_id": "abc"},), {"session_id": "abc"}, False),
    (({"session_id": "abc", "other": 1},), {"session_id": "abc"}, False),
    (([1, 2],), {}, True),
    (("text",), {}, True),
    (({"session_id": {"a": 1}},), {}, True),
    (({"session_id": "s" * 300},), {}, True),
    (({"session_id": "a\x00"},), {}, True),
    (({"session_id": "a\ud800"},), {}, True),
])
def test_socketio_session_request_keeps_a_usable_id_or_asks_for_a_new_one(
        args: tuple[Any, ...], data: dict[str, Any], refused: bool) -> None:
    got, problem = socketio_session_data(args)
    assert got == data
    assert (problem is not None) == refused


@pytest.mark.parametrize(("text", "clean"), [
    ("I got a CP504", "I got a CP504"),
    ("line one\nline two\tcol", "line one\nline two\tcol"),
    ("CP\x00504\x1b[31m\x7f", "CP504[31m"),
    ("a\x85b\x9fc", "abc"),  # C1 controls
    ("CP504 \ud83d dated \udc00today", "CP504  dated today"),  # lone surrogates
    ("\U0001F468\u200d\U0001F469 \u202eevil\u202c e\u0301", "\U0001F468\u200d\U0001F469 "
     "\u202eevil\u202c e\u0301"),  # joiners, bidi marks and combining marks are not controls
])
def test_control_characters_are_dropped_from_a_message(text: str, clean: str) -> None:
    assert without_control_characters(text) == clean


# ------------------------------------------------------------------------------ the channels


def rest_middleware(channel: RestInput, seen: list[UserMessage]) -> Any:
    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)

    blueprint = channel.blueprint(on_new_message)
    (middleware,) = [m.middleware for m in blueprint._future_middleware
                     if m.attach_to == "request"]
    return middleware


def request(raw: bytes, path: str = "/webhooks/rest/webhook", method: str = "POST") -> Any:
    return SimpleNamespace(method=method, path=path, body=raw, parsed_json=None,
                           ip="127.0.0.1", headers={})


def test_the_rest_channel_answers_a_malformed_body_with_a_400() -> None:
    middleware = rest_middleware(RestInput(), [])
    answer = asyncio.run(middleware(request(b"[1, 2]")))
    assert answer.status == 400
    assert json.loads(answer.body) == {
        "error": "the body must be a JSON object with 'sender' and 'message'"}


def test_the_rest_channel_hands_a_good_body_on_parsed_once() -> None:
    middleware = rest_middleware(RestInput(), [])
    incoming = request(body(sender="a", message="hi"))
    assert asyncio.run(middleware(incoming)) is None
    assert incoming.parsed_json == {"sender": "a", "message": "hi"}


@pytest.mark.parametrize(("path", "method"), [
    ("/webhooks/rest/", "GET"), ("/webhooks/rest/webhook", "GET"),
])
def test_the_rest_channel_checks_only_posted_messages(path: str, method: str) -> None:
    middleware = rest_middleware(RestInput(), [])
    assert asyncio.run(middleware(request(b"", path, method))) is None


def socketio_channel(seen: list[UserMessage]) -> SocketIOInput:
    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)

    channel = SocketIOInput(session_persistence=True)
    channel.blueprint(on_new_message)
    return channel


class FakeSio:
    """What the Socket.IO handlers use of python-socketio's AsyncServer, recorded."""

    def __init__(self, handlers: dict[str, Any]) -> None:
        self.handlers = {"/": handlers}
        self.emitted: list[tuple[str, Any, str]] = []
        self.joined: dict[str, set[str]] = {}

    async def emit(self, event: str, data: Any, room: str, **_: Any) -> None:
        self.emitted.append((event, data, room))

    def rooms(self, sid: str, namespace: str | None = None) -> list[str]:
        return [sid, *sorted(self.joined.get(sid, set()))]

    def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.joined.setdefault(sid, set()).add(room)

    def leave_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.joined.get(sid, set()).discard(room)


def fake_sio(channel: SocketIOInput) -> FakeSio:
    fake = FakeSio(channel.sio.handlers["/"])
    for handler in fake.handlers["/"].values():  # the handlers close over the server
        for cell in getattr(handler, "__closure__", None) or ():
            if cell.cell_contents is channel.sio:
                cell.cell_contents = fake
    channel.sio = fake  # type: ignore[assignment]
    return fake


def test_socketio_ignores_a_malformed_message_and_passes_a_good_one_cleaned() -> None:
    seen: list[UserMessage] = []
    channel = socketio_channel(seen)
    sio = fake_sio(channel)
    handlers = sio.handlers["/"]
    asyncio.run(handlers["session_request"]("sid", None))
    (_, token, _), = sio.emitted
    for args in [("not an object",), ({"message": [], "session_id": token},), ()]:
        asyncio.run(handlers["user_uttered"]("sid", *args))
    assert seen == []
    asyncio.run(handlers["user_uttered"]("sid", {"message": "CP\x00504", "session_id": token}))
    session = token.split(".")[0]
    assert [(m.text, m.sender_id) for m in seen] == [("CP504", f"socketio:{session}")]


def test_socketio_answers_a_malformed_or_unsigned_session_request_with_a_new_session() -> None:
    channel = socketio_channel([])
    sio = fake_sio(channel)
    handler = sio.handlers["/"]["session_request"]
    asyncio.run(handler("sid", [1, 2]))
    asyncio.run(handler("sid", {"session_id": "kept"}))
    (first, token, room), (second, other, _) = sio.emitted
    assert first == second == "session_confirm" and room == "sid"
    assert other != "kept" and other != token  # not signed by the server: a new session
    asyncio.run(handler("sid2", {"session_id": token}))  # signed: the same session again
    assert sio.emitted[-1] == ("session_confirm", token, "sid2")
    assert sio.rooms("sid2") == ["sid2", f"socketio:{token.split('.')[0]}"]
    assert sio.rooms("sid") == ["sid", f"socketio:{other.split('.')[0]}"]  # one at a time
