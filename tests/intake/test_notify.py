"""The staff webhook against a real local HTTP server: success, retries, failure, no server."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from noticebot.adapters.notify import (
    MAX_RETRY_AFTER_SECONDS,
    StaffNotifier,
    _CappedRetry,
    notifier_from_settings,
    slack_text,
)
from noticebot.intake.cases import Case, CaseDraft, summarize
from noticebot.settings import Settings

NOW = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.timezone.utc)
TODAY = dt.date(2026, 11, 19)
SECRET_PATH = "/services/T000/B000/s3cretToken"


@dataclass
class Webhook:
    """A local webhook: answers with ``statuses`` in turn (then the last one), records requests."""

    statuses: list[int]
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


def _handler(hook: Webhook) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            hook.requests.append({
                "path": self.path,
                "content_type": self.headers.get("Content-Type"),
                "body": json.loads(self.rfile.read(length)),
            })
            status = hook.statuses[min(len(hook.requests), len(hook.statuses)) - 1]
            self.send_response(status)
            for name, value in hook.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    return Handler


@pytest.fixture
def webhook() -> Iterator[Callable[..., Webhook]]:
    """Start a webhook on a free port answering with the given statuses."""
    servers: list[ThreadingHTTPServer] = []

    def start(*statuses: int, headers: dict[str, str] | None = None) -> Webhook:
        hook = Webhook(list(statuses), headers or {})
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hook))
        servers.append(server)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        hook.url = f"http://127.0.0.1:{server.server_address[1]}{SECRET_PATH}"
        return hook

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def case(make_draft: Callable[..., CaseDraft]) -> Case:
    """A stored-looking case."""
    draft = make_draft()
    return Case.from_draft(draft, id="C7K2M9QX4TB", created_at=NOW, updated_at=NOW,
                           status="new", summary=summarize(draft, today=TODAY), notified_at=None)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_new_case_is_posted_as_json(webhook: Callable[..., Webhook], case: Case) -> None:
    hook = webhook(200)
    assert StaffNotifier(hook.url, backoff_seconds=0).notify(case)
    [request] = hook.requests
    assert request["path"] == SECRET_PATH
    assert request["content_type"] == "application/json"
    body = request["body"]
    assert body["text"] == f"New case C7K2M9QX4TB: {case.summary}"
    assert body["case"]["id"] == "C7K2M9QX4TB"
    assert body["case"]["contact_email"] == "jane@example.com"
    assert body["case"]["amount"] == "12400"


def test_transient_failures_are_retried(webhook: Callable[..., Webhook], case: Case) -> None:
    hook = webhook(503, 503, 200)
    assert StaffNotifier(hook.url, attempts=4, backoff_seconds=0).notify(case)
    assert len(hook.requests) == 3


def test_retry_after_is_respected(webhook: Callable[..., Webhook], case: Case) -> None:
    hook = webhook(429, 200, headers={"Retry-After": "1"})
    started = time.monotonic()
    assert StaffNotifier(hook.url, backoff_seconds=0).notify(case)
    assert len(hook.requests) == 2
    assert time.monotonic() - started >= 0.9


def test_a_long_retry_after_is_capped() -> None:
    class Response:
        def __init__(self) -> None:
            self.headers = {"Retry-After": "3600"}

        def getheader(self, name: str) -> str | None:
            return self.headers.get(name)

    retry = _CappedRetry(total=1)
    assert retry.get_retry_after(Response()) == MAX_RETRY_AFTER_SECONDS


def test_a_webhook_that_keeps_failing_gives_up_quietly(
    webhook: Callable[..., Webhook], case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    hook = webhook(500)
    with caplog.at_level(logging.WARNING, logger="noticebot.adapters.notify"):
        assert not StaffNotifier(hook.url, attempts=3, backoff_seconds=0).notify(case)
    assert len(hook.requests) == 3
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    message = record.getMessage()
    assert "C7K2M9QX4TB" in message and "HTTP 500" in message
    for private in ("jane@example.com", "+12025550143", "Jane Doe", "s3cretToken"):
        assert private not in caplog.text


def test_client_errors_are_not_retried(webhook: Callable[..., Webhook], case: Case) -> None:
    hook = webhook(404)
    assert not StaffNotifier(hook.url, backoff_seconds=0).notify(case)
    assert len(hook.requests) == 1


def test_no_server_returns_false_quickly(
    case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{closed_port()}{SECRET_PATH}"
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="noticebot.adapters.notify"):
        assert not StaffNotifier(url, attempts=4, backoff_seconds=0, timeout=2).notify(case)
    assert time.monotonic() - started < 2
    assert "ConnectionError" in caplog.text
    for private in ("jane@example.com", "s3cretToken"):
        assert private not in caplog.text


def test_the_text_is_one_slack_safe_line(case: Case) -> None:
    import dataclasses

    tricky = dataclasses.replace(case, summary="Contact: <!channel> & <@U123>\nnext line")
    assert slack_text(tricky) == (
        "New case C7K2M9QX4TB: Contact: &lt;!channel&gt; &amp; &lt;@U123&gt; next line")


def test_the_notifier_comes_from_the_settings() -> None:
    base = {"NOTICEBOT_KNOWLEDGE_DIR": str(Path.cwd())}
    assert notifier_from_settings(Settings.from_env(base)) is None
    notifier = notifier_from_settings(Settings.from_env({
        **base, "STAFF_WEBHOOK_URL": "https://hooks.example/x", "STAFF_WEBHOOK_ATTEMPTS": "2",
        "STAFF_WEBHOOK_BACKOFF": "0.1"}))
    assert notifier is not None
    assert (notifier.url, notifier.attempts, notifier.backoff_seconds, notifier.timeout) == (
        "https://hooks.example/x", 2, 0.1, 5.0)
