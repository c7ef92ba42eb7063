"""Starting and stopping the real servers (scripts/run.sh) for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from noticebot.settings import PROJECT_ROOT

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
        process,
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


def say(base: str, sender: str, message: str) -> list[dict[str, Any]]:
    """One message through the REST channel; the bot's replies."""
    response = requests.post(
        f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    return list(response.json())


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts as one string."""
    return " ".join(r.get("text", "") for r in replies)
