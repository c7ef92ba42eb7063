"""The channel tests build real channels, which read their secrets (noticebot.secret_files): a
fresh secrets folder per test keeps them out of the checkout's var/."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "secrets"
    monkeypatch.setenv("NOTICEBOT_SECRETS_DIR", str(folder))
    for variable in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "REST_WEBHOOK_TOKEN",
                     "SESSION_SECRET", "REPLAY_CACHE_REDIS_URL"):
        monkeypatch.delenv(variable, raising=False)
    return folder
