"""The action server's guard: a shared token, JSON bodies only, redacting log handlers.

rasa_sdk (3.6) lets a package named ``rasa_sdk_plugins`` attach Sanic middleware to the action
server's app; the project's ``rasa_sdk_plugins/__init__.py`` registers ``ActionServerGuard``
from here. So the guard is on however the action server starts: ``python -m
rasa_ext.serve_actions`` (what ``scripts/run.sh`` uses), ``python -m rasa_sdk --actions actions``,
``rasa run actions``, or rasa_sdk's own Docker image with the project on its path. This module
imports rasa_sdk's Sanic and the domain layer only, never ``rasa``: the action server does not
need Rasa installed.

- ``POST /webhook`` and ``GET /actions`` need the header ``X-Action-Token`` (or ``Authorization:
  Bearer``) equal to ``ACTION_SERVER_TOKEN`` (the environment, else ``var/action-server-token``,
  generated on first use with mode 0600). ``endpoints.yml`` makes the Rasa server send it.
  Anything else gets 401 and runs no action. ``/health`` stays open for probes.
- ``POST /webhook`` must be ``application/json``: a ``text/plain`` body (what a web page can
  send to any address without a CORS preflight) gets 415, even with a token.
- Every log handler gets the redacting filter, and the root level follows ``LOG_LEVEL``.
"""

from __future__ import annotations

import hmac
import logging
import os
from http import HTTPStatus
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from noticebot.log_redaction import guard_all_handlers
from noticebot.settings import secret

logger = logging.getLogger(__name__)

hookimpl = pluggy.HookimplMarker("rasa_sdk")

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = frozenset({"/health"})
JSON_TYPES = frozenset({"application/json"})


def presented_token(request: Request) -> str:
    """The token a request carries in ``X-Action-Token`` or as a bearer token."""
    token = request.headers.get(TOKEN_HEADER, "")
    if token:
        return str(token)
    scheme, _, value = str(request.headers.get("Authorization", "")).partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def refusal(request: Request, token: str) -> HTTPResponse | None:
    """The answer to a request that must not reach an action, or None to let it through."""
    if request.path.rstrip("/") in OPEN_PATHS or request.method == "OPTIONS":
        return None
    if not hmac.compare_digest(presented_token(request).encode(), token.encode()):
        logger.warning("Refused a %s %s without the action server token.",
                       request.method, request.path)
        return response.json({"error": "the action server needs its token"},
                             status=HTTPStatus.UNAUTHORIZED)
    if request.method == "POST":
        media_type = str(request.headers.get("Content-Type", "")).split(";")[0].strip().lower()
        if media_type not in JSON_TYPES:
            logger.warning("Refused a POST %s with Content-Type %r.", request.path, media_type)
            return response.json({"error": "the body must be application/json"},
                                 status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    return None


def guard(app: Sanic, token: str) -> None:
    """Put the token and content-type check in front of every route of ``app``."""

    @app.middleware("request")
    async def check(request: Request) -> HTTPResponse | None:
        return refusal(request, token)


class ActionServerGuard:
    """The rasa_sdk plugin: its hook runs once the action server's app exists."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        """Guard the app; redact every log handler; the root level from ``LOG_LEVEL``."""
        guard(app, secret("ACTION_SERVER_TOKEN"))
        level = os.environ.get("LOG_LEVEL")
        if level:
            logging.getLogger().setLevel(level)
        guard_all_handlers()

        async def guard_again(*_: Any) -> None:
            guard_all_handlers()

        app.register_listener(guard_again, "before_server_start")
        logger.info("Action server: requests need the token (%s header); JSON bodies only.",
                    TOKEN_HEADER)


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Register the guard with rasa_sdk's plugin manager."""
    manager.register(ActionServerGuard())
