"""Rasa's channels, adapted: messages redacted before processing, cards where a card can be shown.

One module per channel, and what they share:

- ``rest``: ``RestInput`` (``/webhooks/rest/webhook``), the body checked, a token from afar.
- ``socketio``: ``SocketIOInput`` and ``SocketIOOutput`` (the web widget), signed sessions.
- ``slack``: ``SlackInput`` and ``SlackOutput``, the replay cache, shared files.
- ``telegram``: ``TelegramInput`` and ``TelegramOutput``, ``/start``, the webhook's secret.
- ``guards``: what every message passes through (``guarded``: ``owned_by``, ``redacting``,
  ``answering_failures``).
- ``common``: the card and calendar-file payloads, ``TextInsteadOfCards``, text splitting, the
  routes of a channel that is not configured.

The classes keep their parents' names (``rest``, ``socketio``, ``slack``, ``telegram``), so their
URLs do not change. Register them in ``credentials.yml`` by module path: this package's names
(``rasa_ext.channels.RestInput``, ...) stay importable from here.

Conversations belong to their channel and client (docs/security.md): every channel files a
message under ``<channel>:<client id>`` (``noticebot.senders``); Socket.IO sessions are tokens
the server signed; the REST webhook takes callers from other machines (or through a proxy) only
with ``REST_WEBHOOK_TOKEN``. Message text, metadata and ``input_channel`` are redacted before
Rasa's handlers see them (the REST body before Rasa's handler can log it).
"""

from __future__ import annotations

from rasa_ext.channels.common import (
    CALENDAR_FILE_TYPE,
    CARD_TYPES,
    TextInsteadOfCards,
    calendar_file_of,
    chunks,
    disabled_blueprint,
    shorten,
    split_text,
)
from rasa_ext.channels.guards import (
    PROCESSOR_LOGGER,
    TRACKER_STORE_LOGGER,
    OnNewMessage,
    answering_failures,
    guarded,
    owned_by,
    redact_message,
    redacting,
    say_something_useful,
    say_technical_problem,
    technical_problem_replies,
)
from rasa_ext.channels.rest import (
    FORWARDING_HEADERS,
    RestInput,
    bearer_token,
    is_local_request,
    is_webhook,
    redacted_rest_body,
)
from rasa_ext.channels.slack import (
    SLACK_BUTTON_TITLE_CHARS,
    SLACK_BUTTONS_PER_BLOCK,
    SLACK_REPLAY_SECONDS,
    SLACK_SECTION_CHARS,
    RedisReplayCache,
    ReplayCache,
    SlackInput,
    SlackOutput,
    download_slack_file,
    replay_cache,
    slack_shared_file,
)
from rasa_ext.channels.socketio import SocketIOInput, SocketIOOutput
from rasa_ext.channels.telegram import (
    GREET,
    TELEGRAM_BUTTONS_PER_ROW,
    TELEGRAM_CALLBACK_DATA_BYTES,
    TELEGRAM_START,
    TelegramInput,
    TelegramOutput,
    start_is_greeting,
)

__all__ = [
    "CALENDAR_FILE_TYPE",
    "CARD_TYPES",
    "FORWARDING_HEADERS",
    "GREET",
    "PROCESSOR_LOGGER",
    "SLACK_BUTTONS_PER_BLOCK",
    "SLACK_BUTTON_TITLE_CHARS",
    "SLACK_REPLAY_SECONDS",
    "SLACK_SECTION_CHARS",
    "TELEGRAM_BUTTONS_PER_ROW",
    "TELEGRAM_CALLBACK_DATA_BYTES",
    "TELEGRAM_START",
    "TRACKER_STORE_LOGGER",
    "OnNewMessage",
    "RedisReplayCache",
    "ReplayCache",
    "RestInput",
    "SlackInput",
    "SlackOutput",
    "SocketIOInput",
    "SocketIOOutput",
    "TelegramInput",
    "TelegramOutput",
    "TextInsteadOfCards",
    "answering_failures",
    "bearer_token",
    "calendar_file_of",
    "chunks",
    "disabled_blueprint",
    "download_slack_file",
    "guarded",
    "is_local_request",
    "is_webhook",
    "owned_by",
    "redact_message",
    "redacted_rest_body",
    "redacting",
    "replay_cache",
    "say_something_useful",
    "say_technical_problem",
    "shorten",
    "slack_shared_file",
    "split_text",
    "start_is_greeting",
    "technical_problem_replies",
]
