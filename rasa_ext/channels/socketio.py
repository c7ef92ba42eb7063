"""The Socket.IO channel (the web widget): sessions the server signed, cards as
``{"custom": payload}``, the redacted text echoed back for the widget's transcript."""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint

from noticebot.conversation.documents import METADATA_KEY as DOCUMENT_METADATA_KEY
from noticebot.senders import sender_id
from noticebot.settings import secret
from noticebot.web_sessions import new_session_token, session_of
from rasa_ext.channels.guards import OnNewMessage, answering_failures, owned_by, redacting
from rasa_ext.documents import message_size_limit, read_attached
from rasa_ext.input_checks import socketio_message_problem, socketio_session_data

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)


class SocketIOOutput(RasaSocketIOOutput):
    """Rasa's Socket.IO output; a custom payload is emitted as ``{"custom": payload}``."""

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """One ``bot_uttered`` event carrying the payload, in the room of the conversation."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """Rasa's Socket.IO channel (the web widget) with redaction, card payloads and sessions the
    server signed.

    ``session_request`` answers ``session_confirm`` with a token ``<session id>.<signature>``
    (``noticebot.web_sessions``, key ``SESSION_SECRET``); the client sends it back with every
    message. A token the server did not sign (a guessed or copied conversation id, a forged
    signature) gets a new session, and a message is only taken for the session its connection
    asked for. The conversation is ``socketio:<session id>``. Each message's text, once
    redacted, is sent back to the session as ``user_echo`` (``{"text": ...}``): the widget keeps
    that in its stored transcript, never what was typed.
    """

    ECHO_EVENT = "user_echo"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes, fed through the redacting callback, answering with cards."""

        answered = answering_failures(on_new_message)

        async def with_cards(message: UserMessage) -> Any:
            out = message.output_channel
            if isinstance(out, RasaSocketIOOutput) and not isinstance(out, SocketIOOutput):
                message.output_channel = SocketIOOutput(out.sio, out.bot_message_evt)
            if self.sio is not None:  # the redacted text, for the widget's stored transcript
                await self.sio.emit(self.ECHO_EVENT, {"text": message.text or ""},
                                    room=message.sender_id, namespace=self.namespace)
            return await answered(message)

        blueprint = super().blueprint(
            owned_by(self.name(), redacting(with_cards), reply_to_client=False))
        # A message may carry a photo or PDF in base64 (rasa_ext.documents): let it through
        # Engine.IO (1 MB by default; Sanic's websocket frames: rasa_ext.serve); the size limit
        # itself is checked before decoding.
        self.sio.eio.max_http_buffer_size = max(
            self.sio.eio.max_http_buffer_size, message_size_limit())
        self._check_events(secret("SESSION_SECRET"))
        return blueprint

    def _room(self, session_id: str) -> str:
        return sender_id(self.name(), session_id)

    def _check_events(self, key: str) -> None:
        """Put a check of the data in front of the parent's ``user_uttered`` handler and replace
        its ``session_request``: malformed data is logged in one line and ignored (a message) or
        answered with a new session (a session request), never an exception; a session id
        without the server's signature gets a new session."""
        namespace = self.namespace or "/"
        handlers = self.sio.handlers[namespace]
        handle_message = handlers[self.user_message_evt]
        sio = self.sio

        async def checked_message(sid: str, *args: Any) -> None:
            problem = socketio_message_problem(args, self.metadata_key, self.session_persistence)
            if problem:
                logger.warning("Ignored a Socket.IO %s event: %s.", self.user_message_evt, problem)
                return
            data = dict(args[0])
            if self.session_persistence:
                session = session_of(data.get("session_id"), key)
                if session is None or self._room(session) not in sio.rooms(sid, namespace):
                    logger.warning("Ignored a Socket.IO %s event for a session this connection "
                                   "was not given.", self.user_message_evt)
                    return
                data["session_id"] = session  # the parent files it under the session id
            else:
                sio.enter_room(sid, self._room(sid), namespace=namespace)
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):  # checked above: a string holding an object
                metadata = json.loads(metadata)
            if isinstance(metadata, dict) and DOCUMENT_METADATA_KEY in metadata:
                # an attached photo or PDF: read, then dropped, before Rasa sees the message
                data["message"], data[self.metadata_key] = await read_attached(
                    str(data.get("message") or ""), metadata)
            await handle_message(sid, data)

        async def session_request(sid: str, *args: Any) -> None:
            data, problem = socketio_session_data(args)
            if problem:
                logger.warning("A Socket.IO session_request got a new session: %s.", problem)
            token = data.get("session_id")
            session = session_of(token, key)
            if session is None:
                if token is not None:
                    logger.warning("A Socket.IO session_request with a session id the server "
                                   "did not sign got a new session.")
                token = new_session_token(key)
                session = session_of(token, key)
            assert session is not None
            if self.session_persistence:
                for room in sio.rooms(sid, namespace):  # one session per connection
                    if room != sid:
                        sio.leave_room(sid, room, namespace=namespace)
                sio.enter_room(sid, self._room(session), namespace=namespace)
            await sio.emit("session_confirm", token, room=sid)
            logger.debug("Socket.IO connection %s joined its session.", sid)

        handlers[self.user_message_evt] = checked_message
        handlers["session_request"] = session_request

    def get_output_channel(self) -> OutputChannel | None:
        """The output used by Rasa's HTTP API when it sends to this channel."""
        out = super().get_output_channel()
        if isinstance(out, RasaSocketIOOutput):
            return SocketIOOutput(out.sio, out.bot_message_evt)
        return out
