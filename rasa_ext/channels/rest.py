"""The REST channel (``/webhooks/rest/webhook``): a checked, redacted body, and a token for
callers from other machines."""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from http import HTTPStatus
from typing import Any

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from noticebot.privacy import REDACTED_METADATA_KEY, redact, redact_data, redact_text
from noticebot.settings import secret
from rasa_ext.channels.guards import OnNewMessage, guarded
from rasa_ext.documents import read_attached
from rasa_ext.input_checks import RestMessage, rest_message

# One logger for every channel module, named as before the modules were split.
logger = logging.getLogger(__package__)


def is_webhook(request: Request) -> bool:
    """A POST to a channel's ``/webhook`` route (with or without a trailing slash)."""
    return request.method == "POST" and request.path.rstrip("/").endswith("/webhook")


# Headers a proxy adds: a request carrying one came from somewhere else, whatever its peer.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_local_request(request: Request) -> bool:
    """Sent from this machine directly: a loopback peer and no proxy's forwarding header."""
    try:
        local = ipaddress.ip_address(str(request.ip)).is_loopback
    except ValueError:  # a Unix socket, or no address at all
        local = False
    return local and not any(request.headers.get(h) for h in FORWARDING_HEADERS)


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer ...`` header, or ""."""
    scheme, _, value = str(request.headers.get("Authorization", "")).partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def redacted_rest_body(body: dict[str, Any]) -> dict[str, Any]:
    """The REST body with its message, metadata and input channel redacted (the sender kept);
    the kinds removed from the message are noted in its metadata, as ``redact_message`` does."""
    clean = dict(body)
    redaction = redact(body["message"])
    clean["message"] = redaction.text
    metadata = redact_data(body["metadata"]) if body.get("metadata") is not None else None
    if redaction.found:
        metadata = {**(metadata or {}), REDACTED_METADATA_KEY: list(redaction.kinds)}
    if metadata is not None:
        clean["metadata"] = metadata
    if body.get("input_channel") is not None:
        clean["input_channel"] = redact_text(body["input_channel"])
    return clean


class RestInput(RasaRestInput):
    """Rasa's REST channel (``/webhooks/rest/webhook``) with redaction and a checked body.

    The webhook is for trusted integrations: a request from another machine, or through a proxy
    (nginx in the scaled profile), needs ``Authorization: Bearer <REST_WEBHOOK_TOKEN>``
    (the environment, else ``var/rest-webhook-token``), or gets a 401 and reaches nothing.

    A body that is not a JSON object with a ``sender`` and a ``message`` string (see
    ``rasa_ext.input_checks.rest_message``) gets a 400 saying what is wrong and reaches nothing;
    Rasa's own handler would answer some of them with a 500 and file others under a shared
    ``default`` conversation. A body that passes is redacted in place (``request.body`` and the
    parsed JSON) before Rasa's handler reads it: that handler logs the message's text when the
    client goes away before the answer (``rest.message.received.timeout``).
    """

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The parent's routes behind the token and body checks, fed through the redacting
        callback, in ``rest:<sender>`` conversations."""
        blueprint = super().blueprint(guarded(on_new_message, self.name()))
        token = secret("REST_WEBHOOK_TOKEN")

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> HTTPResponse | None:
            if not is_webhook(request):
                return None
            if not is_local_request(request) and not hmac.compare_digest(
                bearer_token(request).encode(), token.encode()
            ):
                logger.warning("Refused a REST message from %s without the webhook token.",
                               "a proxy" if request.headers.get("x-forwarded-for") else "afar")
                return response.json(
                    {"error": "this webhook needs 'Authorization: Bearer <REST_WEBHOOK_TOKEN>'"},
                    status=HTTPStatus.UNAUTHORIZED)
            checked = rest_message(request.body)
            if not isinstance(checked, RestMessage):
                logger.warning("Refused a REST message: %s.", checked)
                return response.json({"error": checked}, status=HTTPStatus.BAD_REQUEST)
            # An attached photo or PDF is read and dropped before anything is redacted or logged.
            attached = dict(checked.body)
            attached["message"], metadata = await read_attached(
                attached["message"], attached.get("metadata"))
            if metadata is not None:
                attached["metadata"] = metadata
            # The parent's handler reads the cleaned, redacted body as request.json.
            body = redacted_rest_body(attached)
            request.parsed_json = body  # type: ignore[assignment]
            request.body = json.dumps(body).encode()
            return None

        return blueprint
