"""The web widget's session tokens: a random session id and the server's signature of it.

The widget keeps ``<session id>.<signature>`` and sends it with every message; the conversation
is ``socketio:<session id>`` (``noticebot.senders``). The signature is an HMAC-SHA256 of the id
with ``SESSION_SECRET`` (the environment, else ``var/session-secret``), so knowing a
conversation's id (from a case, a log line, a staff notification) is not enough to join it: a
token without a valid signature gets a new session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

SESSION_ID = re.compile(r"[0-9a-f]{32}")
_PURPOSE = b"noticebot web session v1:"


def _signature(session_id: str, key: str) -> str:
    digest = hmac.new(key.encode(), _PURPOSE + session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_session_token(key: str) -> str:
    """A token for a new session: a random id (128 bits) and its signature."""
    session_id = secrets.token_hex(16)
    return f"{session_id}.{_signature(session_id, key)}"


def session_of(token: object, key: str) -> str | None:
    """The session id a token carries when the server signed it; None for anything else."""
    if not isinstance(token, str):
        return None
    session_id, dot, signature = token.partition(".")
    if not dot or not SESSION_ID.fullmatch(session_id):
        return None
    if not hmac.compare_digest(signature.encode(), _signature(session_id, key).encode()):
        return None
    return session_id
