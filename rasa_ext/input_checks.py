"""What a channel accepts as a message, before Rasa sees it.

Rasa's REST and Socket.IO channels read their input unguarded: a body that is JSON but not an
object, or a ``sender`` that is not a string, ends in an HTTP 500 or an exception in the server's
log; a ``sender`` longer than fits the 255 characters of ``events.sender_id``, or with a NUL
in it, fails the PostgreSQL tracker store after the message was processed. These functions say
what is wrong with an input (a short sentence for the client and the log) or return the input to
use. Pure functions: no Rasa, no I/O.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from noticebot.senders import MAX_CLIENT_ID_CHARS

# Rasa's SQL tracker store keeps the sender in a String(255) column, and the channel's prefix
# ("socketio:", noticebot.senders) takes part of it.
MAX_SENDER_CHARS = MAX_CLIENT_ID_CHARS
# Nesting deeper than this is no message a client of ours sends; deeper values also risk the
# recursion limit in Rasa's and our own recursive code (deepcopy, the redaction guard).
MAX_NESTING = 32
# Kept from the control characters: line breaks and tabs mean something in a message.
KEPT_CONTROLS = frozenset("\n\t")
# Unicode categories no message needs: control characters, and lone surrogates (JSON's "\ud800"
# parses to one; it cannot be encoded as UTF-8, so PostgreSQL would refuse the row).
UNUSABLE = frozenset({"Cc", "Cs"})


@dataclass(frozen=True)
class RestMessage:
    """A REST webhook body that can be processed: the parsed JSON object."""

    body: dict[str, Any]


def nesting(value: Any) -> int:
    """How deep lists and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        if depth + 1 > MAX_NESTING:
            return depth + 1
        stack.extend((child, depth + 1) for child in children)
    return deepest


def sender_problem(sender: Any, field: str) -> str | None:
    """Why ``sender`` cannot name a conversation, or None when it can."""
    if not isinstance(sender, str) or not sender.strip():
        return f"'{field}' must be a non-empty string naming the conversation"
    if len(sender) > MAX_SENDER_CHARS:
        return f"'{field}' must be at most {MAX_SENDER_CHARS} characters"
    if any(unicodedata.category(char) in UNUSABLE for char in sender):
        return f"'{field}' must not contain control characters or lone surrogates"
    return None


def rest_message(raw: bytes) -> RestMessage | str:
    """The REST webhook body as a message, or why it is refused.

    It must be a JSON object (at most ``MAX_NESTING`` deep) with a ``sender`` string (see
    ``sender_problem``) and a ``message`` string; ``metadata``, when given, an object;
    ``input_channel``, when given, a string.
    """
    try:
        body = json.loads(raw)
    except RecursionError:
        return f"the body nests deeper than {MAX_NESTING} levels"
    except ValueError:  # also UnicodeDecodeError
        return "the body must be JSON: an object with 'sender' and 'message'"
    if not isinstance(body, dict):
        return "the body must be a JSON object with 'sender' and 'message'"
    if nesting(body) > MAX_NESTING:
        return f"the body nests deeper than {MAX_NESTING} levels"
    problem = sender_problem(body.get("sender"), "sender")
    if problem:
        return problem
    if not isinstance(body.get("message"), str):
        return "'message' must be a string"
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return "'metadata' must be an object"
    if body.get("input_channel") is not None and not isinstance(body["input_channel"], str):
        return "'input_channel' must be a string"
    return RestMessage(body)


def socketio_message_problem(args: tuple[Any, ...], metadata_key: str,
                             session_persistence: bool) -> str | None:
    """Why the data of a Socket.IO ``user_uttered`` event cannot be processed, or None.

    ``args`` is what the client emitted after the event name: one object with a ``message``
    string (missing counts as empty, as in Rasa), a ``session_id`` when sessions persist, and
    ``metadata`` as an object or a string holding one.
    """
    if len(args) != 1 or not isinstance(args[0], dict):
        return "the event's data must be one object"
    data = args[0]
    if nesting(data) > MAX_NESTING:
        return f"the event's data nests deeper than {MAX_NESTING} levels"
    if not isinstance(data.get("message", ""), str):
        return "'message' must be a string"
    if session_persistence:
        problem = sender_problem(data.get("session_id"), "session_id")
        if problem:
            return problem
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except (ValueError, RecursionError):
            return f"'{metadata_key}' must be an object or a string holding a JSON object"
        if not isinstance(metadata, dict) or nesting(metadata) > MAX_NESTING:
            return f"'{metadata_key}' must be an object or a string holding a JSON object"
    elif metadata is not None and not isinstance(metadata, dict):
        return f"'{metadata_key}' must be an object or a string holding a JSON object"
    return None


def socketio_session_data(args: tuple[Any, ...]) -> tuple[dict[str, Any], str | None]:
    """The data to answer a ``session_request`` with, and why the client's was not usable.

    A usable ``session_id`` is kept; anything else (no data, data that is not an object, a
    session id that is not a usable string) asks for a new session, as no data does in Rasa.
    """
    if not args or args == (None,):
        return {}, None
    if len(args) != 1 or not isinstance(args[0], dict):
        return {}, "the event's data must be one object"
    session_id = args[0].get("session_id")
    if session_id is None:
        return {}, None
    problem = sender_problem(session_id, "session_id")
    if problem:
        return {}, problem
    return {"session_id": session_id}, None


def without_control_characters(text: str) -> str:
    """``text`` without control characters (NUL, escape, DEL, C1 ...) and lone surrogates, line
    breaks and tabs kept.

    They carry no meaning in a message, and PostgreSQL refuses a NUL in a text column (a name
    given during intake, say).
    """
    if text.isprintable():
        return text
    return "".join(
        char for char in text
        if char in KEPT_CONTROLS or unicodedata.category(char) not in UNUSABLE
    )
