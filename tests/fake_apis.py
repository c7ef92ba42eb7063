"""A local stand-in for the Slack Web API and the Telegram Bot API: it records every call.

The channels' clients are pointed at it with ``SLACK_API_URL`` and ``TELEGRAM_API_URL``, so no
request leaves the machine. It answers the way the real APIs answer the calls the connectors
make (``chat.postMessage``, and a file upload: ``files.getUploadURLExternal``, the upload to the
URL it gives (recorded as api ``slack-upload``, its raw body in ``params["data"]``),
``files.completeUploadExternal``; ``getMe``, ``sendMessage``, ``sendDocument``, ``setWebhook``,
``answerCallbackQuery``, ``getFile`` and the file download it points to: put the bytes of a
file a person "sent" in ``telegram_files[file_id]``). A multipart file part is recorded under its
name, its file name under ``<name>.filename``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TELEGRAM_BOT_USERNAME = "notice_helper_test_bot"
# Secrets of the channel test stack: made up here, they only ever reach the local fake APIs.
SLACK_TOKEN = "xoxb-0000000000-test"
SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests"
TELEGRAM_TOKEN = "123456789:AAtest-token_for_the_fake_api"
TELEGRAM_SECRET_TOKEN = "telegram-secret-for-tests"
TELEGRAM_WEBHOOK_URL = "https://assistant.example.test/webhooks/telegram/webhook"


@dataclass
class Call:
    """One request the fake received: which API, which method, its decoded parameters."""

    api: str
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeApis:
    """The fake server: ``slack_url`` and ``telegram_url`` to configure, ``calls`` to read."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.telegram_files: dict[str, bytes] = {}  # file_id -> bytes (getFile, then download)
        self.slack_files: dict[str, bytes] = {}  # id -> bytes, at slack_file_url(id)
        self._lock = threading.Lock()
        self._message_ids = iter(range(1, 1_000_000))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def slack_url(self) -> str:
        return f"{self.base}/slack/api/"

    def slack_file_url(self, file_id: str) -> str:
        """Where a file shared in Slack is downloaded (``url_private_download``)."""
        return f"{self.base}/slack-files/{file_id}"

    @property
    def telegram_url(self) -> str:
        return f"{self.base}/telegram"

    def telegram_env(self) -> dict[str, str]:
        """The environment that turns the Telegram channel on against this fake."""
        return {
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_BOT_USERNAME": TELEGRAM_BOT_USERNAME,
            "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
            "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
            "TELEGRAM_API_URL": self.telegram_url,
        }

    def start(self) -> FakeApis:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls_to(self, api: str, method: str | None = None) -> list[Call]:
        """The calls so far to ``api`` (and ``method``), oldest first."""
        with self._lock:
            return [c for c in self.calls if c.api == api and method in (None, c.method)]

    def wait_for(
        self, api: str, method: str, after: int, predicate: Any = None, timeout: float = 60
    ) -> list[Call]:
        """Wait until a call to ``api.method`` after the first ``after`` ones satisfies
        ``predicate``, and the replies of that turn have stopped coming for a second; return
        the calls after ``after``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self.calls_to(api, method)[after:]
            if any(predicate is None or predicate(c) for c in new):
                time.sleep(1.0)
                settled = self.calls_to(api, method)[after:]
                if len(settled) == len(new):
                    return settled
                continue
            time.sleep(0.1)
        raise AssertionError(
            f"no {api} {method} call after #{after} within {timeout}s; got "
            f"{[c.params for c in self.calls_to(api, method)[after:]]}"
        )

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _answer(self, call: Call) -> dict[str, Any]:
        if call.api == "slack" and call.method == "files.getUploadURLExternal":
            file_id = f"F{next(self._message_ids)}"
            return {"ok": True, "file_id": file_id,
                    "upload_url": f"{self.base}/slack-upload/{file_id}"}
        if call.api == "slack" and call.method == "files.completeUploadExternal":
            files = call.params.get("files") or []
            return {"ok": True, "files": files if isinstance(files, list) else []}
        if call.api == "slack-upload":
            return {"ok": True}
        if call.api == "slack":
            return {"ok": True, "channel": call.params.get("channel"), "ts": f"{time.time():.6f}"}
        if call.method == "getMe":
            return {
                "ok": True,
                "result": {"id": 4242, "is_bot": True, "first_name": "Notice helper",
                           "username": TELEGRAM_BOT_USERNAME},
            }
        if call.method == "getFile":
            file_id = str(call.params.get("file_id", ""))
            if file_id not in self.telegram_files:
                return {"ok": False, "error_code": 400,
                        "description": "Bad Request: invalid file_id"}
            return {"ok": True, "result": {
                "file_id": file_id, "file_unique_id": file_id,
                "file_size": len(self.telegram_files[file_id]),
                "file_path": f"documents/{file_id}"}}
        if call.method == "sendDocument":
            return {
                "ok": True,
                "result": {
                    "message_id": next(self._message_ids), "date": int(time.time()),
                    "chat": {"id": int(call.params.get("chat_id", 0)), "type": "private"},
                    "document": {"file_id": "doc", "file_unique_id": "doc",
                                 "file_name": call.params.get("document.filename", "")},
                },
            }
        if call.method == "sendMessage":
            chat_id = int(call.params.get("chat_id", 0))
            return {
                "ok": True,
                "result": {
                    "message_id": next(self._message_ids), "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": call.params.get("text", ""),
                },
            }
        return {"ok": True, "result": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = decode(self.headers.get("Content-Type", ""), body)
                url = urlsplit(self.path)  # slack_sdk sends some methods' arguments in the query
                params = {**decode("", url.query), **params}
                parts = url.path.strip("/").split("/")
                if parts[0] == "slack-upload":  # the upload URL files.getUploadURLExternal gave
                    call = Call("slack-upload", parts[-1], {"data": body}, dict(self.headers))
                elif parts[0] == "slack":
                    call = Call("slack", parts[-1], params, dict(self.headers))
                else:  # /telegram/bot<token>/<method>
                    call = Call("telegram", parts[-1], params, dict(self.headers))
                    call.params["token"] = parts[1].removeprefix("bot")
                fake._record(call)
                payload = json.dumps(fake._answer(call)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                parts = urlsplit(self.path).path.strip("/").split("/")
                telegram = parts[:2] == ["telegram", "file"]  # /telegram/file/bot<token>/<path>
                if telegram or parts[0] == "slack-files":
                    fake._record(Call("telegram" if telegram else "slack", "download",
                                      {"path": "/".join(parts[1:])}, dict(self.headers)))
                    files = fake.telegram_files if telegram else fake.slack_files
                    data = files.get(parts[-1], b"")
                    self.send_response(200 if data else 404)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.do_POST()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def decode(content_type: str, body: str) -> dict[str, Any]:
    """A JSON, url-encoded or multipart body as a dict; JSON-looking values decoded too."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return dict(json.loads(body))
    if content_type.startswith("multipart/form-data"):
        boundary = content_type.split("boundary=")[1].strip('"')
        params: dict[str, Any] = {}
        for part in body.split(f"--{boundary}"):
            head, _, value = part.partition("\r\n\r\n")
            if 'name="' in head:
                name = head.split('name="')[1].split('"')[0]
                params[name] = maybe_json(value.rstrip("\r\n"))
                if 'filename="' in head:
                    params[f"{name}.filename"] = head.split('filename="')[1].split('"')[0]
        return params
    return {k: maybe_json(v[0]) for k, v in parse_qs(body, keep_blank_values=True).items()}


def maybe_json(value: str) -> Any:
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
