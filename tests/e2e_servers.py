"""Starting and stopping the real servers (scripts/run.sh) for end-to-end tests.

The servers' secrets come from the stack's environment or, when it sets none, from the checkout's
``var/`` (``noticebot.settings.secret``, the same files the servers read): ``Stack.api_params()``
for Rasa's HTTP API, ``rest_headers()`` for the REST webhook through a proxy.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from noticebot.senders import sender_id
from noticebot.settings import PROJECT_ROOT, secret

STARTUP_SECONDS = 180


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """A running ``scripts/run.sh``: the Rasa and chat-page base URLs, its log, its process."""

    base: str
    web: str
    action_port: int
    log_path: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def token(self) -> str:
        """The HTTP API's token these servers use."""
        return secret("RASA_AUTH_TOKEN", self.env or os.environ)

    def api_params(self) -> dict[str, str]:
        """The query parameters Rasa's HTTP API needs (``?token=``)."""
        return {"token": self.token}

    def tracker(self, sender: str, channel: str = "rest") -> dict[str, Any]:
        """The stored conversation of ``sender`` on ``channel`` (``rest:<sender>``)."""
        response = requests.get(
            f"{self.base}/conversations/{sender_id(channel, sender)}/tracker",
            params=self.api_params(), timeout=30)
        response.raise_for_status()
        return dict(response.json())

    def stop(self) -> None:
        """SIGINT, as Ctrl-C would; kill the group if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log(self) -> str:
        """Everything both servers printed so far."""
        return self.log_path.read_text(errors="replace")


def start_stack(log_path: Path, **env: str) -> Stack:
    """Start both servers on free ports with ``env`` added; wait until both answer."""
    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    full_env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "PATH": f"{PROJECT_ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        **env,
    }
    with log_path.open("a") as log:
        process = subprocess.Popen(
            [str(PROJECT_ROOT / "scripts" / "run.sh")], cwd=PROJECT_ROOT, env=full_env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    stack = Stack(
        f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}", action_port, log_path,
        process, full_env,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run.sh exited early:\n{stack.log()[-3000:]}")
        try:
            ready = requests.get(f"{stack.base}/status", timeout=2).status_code in (200, 401)
            ready = ready and requests.get(
                f"http://127.0.0.1:{action_port}/health", timeout=2).ok
            ready = ready and requests.get(f"{stack.web}/config.js", timeout=2).ok
        except requests.RequestException:
            ready = False
        if ready:
            return stack
        time.sleep(1)
    stack.stop()
    pytest.fail(f"servers not up after {STARTUP_SECONDS}s:\n{stack.log()[-3000:]}")


def rest_headers(env: dict[str, str] | None = None) -> dict[str, str]:
    """The REST webhook's token header (needed through a proxy or from another machine)."""
    return {"Authorization": f"Bearer {secret('REST_WEBHOOK_TOKEN', env or os.environ)}"}


def say(base: str, sender: str, message: str) -> list[dict[str, Any]]:
    """One message through the REST channel (with its token); the bot's replies."""
    response = requests.post(
        f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": message},
        headers=rest_headers(), timeout=60,
    )
    response.raise_for_status()
    return list(response.json())


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts as one string."""
    return " ".join(r.get("text", "") for r in replies)


# A whole intake through REST: each message and words its reply must contain (None: any).
INTAKE_SCRIPT = [
    ("I got a CP504 dated November 2, 2026 for $12,400", None),
    ("I want to talk to a person", "contact you"),
    ("yes", "What name"),
    ("Jane Doe", "e-mail address or phone"),
    ("(202) 555-0143", "good time"),
    ("weekday mornings", "Is that right"),
    ("yes", "saved as case"),
]
