"""Telling the firm's staff about a new case: one JSON POST to STAFF_WEBHOOK_URL.

The body works with a Slack incoming webhook (``text``) and with anything else that reads
``case``. Retries (429 and 5xx, connection errors) are urllib3's, with exponential backoff and
``Retry-After`` respected up to ``MAX_RETRY_AFTER_SECONDS``. A failure is logged without the
person's details and without the webhook URL's path (a Slack URL's path is its secret);
``notify`` never raises for network errors. The caller records success with
``CaseRepository.mark_notified``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from noticebot.intake.cases import Case
from noticebot.intake.export import case_to_dict
from noticebot.settings import Settings

logger = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
# A server asking to wait longer than this is waited on only this long (the action server is
# waiting too).
MAX_RETRY_AFTER_SECONDS = 30.0
TEXT_TEMPLATE = "New case {id}: {summary}"
_SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class _CappedRetry(Retry):
    """urllib3's Retry, with ``Retry-After`` capped at MAX_RETRY_AFTER_SECONDS."""

    def get_retry_after(self, response: Any) -> float | None:
        """The server's wait, at most MAX_RETRY_AFTER_SECONDS."""
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER_SECONDS)


def slack_text(case: Case) -> str:
    """One Slack-safe line: "New case C...: <summary>" (no line breaks, no <!channel> tricks)."""
    line = " ".join(TEXT_TEMPLATE.format(id=case.id, summary=case.summary).split())
    return line.translate(_SLACK_ESCAPES)


def _where(url: str) -> str:
    """The URL's scheme and host only, for logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}"


def _redacted(text: str) -> str:
    """An exception message without URLs' paths (requests puts them there)."""
    return re.sub(r"(?:url|path): \S+", "url: <hidden>", text)


class _HideWebhookPaths(logging.Filter):
    """Takes webhook paths out of urllib3's retry warnings (a Slack URL's path is its secret)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without any known webhook path; never drops it."""
        message = record.getMessage()
        hidden = message
        for secret in self.secrets:
            hidden = hidden.replace(secret, "<webhook path hidden>")
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


_PATH_FILTER = _HideWebhookPaths()


def _hide_in_urllib3_logs(url: str) -> None:
    parts = urlsplit(url)
    secret = parts.path + (f"?{parts.query}" if parts.query else "")
    if len(secret) > 1:
        _PATH_FILTER.secrets.add(secret)
    urllib3_logger = logging.getLogger("urllib3.connectionpool")
    if _PATH_FILTER not in urllib3_logger.filters:
        urllib3_logger.addFilter(_PATH_FILTER)


class StaffNotifier:
    """POSTs new cases to the firm's webhook, retrying transient failures."""

    def __init__(
        self,
        url: str,
        *,
        attempts: int = 4,
        backoff_seconds: float = 0.5,
        timeout: float = 5.0,
        session_factory: Callable[[], requests.Session] = requests.Session,
    ) -> None:
        if attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {attempts}")
        self.url = url
        _hide_in_urllib3_logs(url)
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.timeout = timeout
        self._session_factory = session_factory

    def _session(self) -> requests.Session:
        retry = _CappedRetry(
            total=self.attempts - 1,
            backoff_factor=self.backoff_seconds,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {"POST"},
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        session = self._session_factory()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def notify(self, case: Case) -> bool:
        """POST the case; True when the webhook answered 2xx (after retries), False otherwise."""
        body = {"text": slack_text(case), "case": case_to_dict(case)}
        with self._session() as session:
            try:
                response = session.post(self.url, json=body, timeout=self.timeout)
            except requests.RequestException as exc:
                logger.warning(
                    "staff notification of case %s to %s failed after %d attempts: %s: %s",
                    case.id, _where(self.url), self.attempts, type(exc).__name__,
                    _redacted(str(exc)),
                )
                return False
        if 200 <= response.status_code < 300:
            logger.info("staff notified of case %s", case.id)
            return True
        logger.warning(
            "staff notification of case %s to %s failed after %d attempts: HTTP %d",
            case.id, _where(self.url), self.attempts, response.status_code,
        )
        return False


def notifier_from_settings(settings: Settings) -> StaffNotifier | None:
    """The notifier for STAFF_WEBHOOK_URL, or None when it is not set."""
    url = settings.firm.staff_webhook_url
    if not url:
        return None
    return StaffNotifier(
        url,
        attempts=settings.webhook_attempts,
        backoff_seconds=settings.webhook_backoff_seconds,
    )
