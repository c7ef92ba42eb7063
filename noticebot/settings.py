"""The one module that reads the project's settings from the environment (the launchers in
``rasa_ext/`` read only ``LOG_LEVEL`` themselves).

Every setting has a neutral default so ``make run`` works on a fresh checkout: no firm, no phone
number, no person is invented. Copy ``.env.example`` to ``.env`` (never committed) to set them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from noticebot.secret_files import read_secret

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'noticebot.db'}"


@dataclass(frozen=True)
class FirmProfile:
    """The firm that deploys the assistant; every field is optional."""

    name: str | None = None
    phone: str | None = None
    booking_url: str | None = None
    email: str | None = None
    timezone: str = "America/New_York"
    staff_webhook_url: str | None = None

    @property
    def has_contact(self) -> bool:
        """True when the person can be given at least one way to reach the firm."""
        return any((self.phone, self.booking_url, self.email))


@dataclass(frozen=True)
class ChannelSettings:
    """Where the Slack and Telegram connectors reach their APIs, and where the web page is served.

    The API addresses only change for a self-hosted Telegram Bot API server or for tests (a local
    fake). Tokens and secrets are not here: credentials.yml takes them from the environment.
    """

    slack_api_url: str = "https://slack.com/api/"
    telegram_api_url: str = "https://api.telegram.org"
    rasa_port: int = 5005
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_socket_url: str | None = None


@dataclass(frozen=True)
class DocumentSettings:
    """Limits of a photo or PDF of a notice sent in the chat (noticebot.documents).

    ``max_bytes`` is checked by the channel before the file is decoded or logged; ``max_pages``
    PDF pages are read (a notice's code and dates are on its first page); ``max_pixels`` refuses
    an image that would blow up in memory; ``ocr_timeout`` stops one Tesseract run.
    """

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 3
    max_pixels: int = 40_000_000
    ocr_timeout: float = 20.0


@dataclass(frozen=True)
class Settings:
    """All configuration of the domain layer and the action server."""

    knowledge_dir: Path
    documents_dir: Path | None
    index_path: Path
    firm: FirmProfile
    database_url: str = DEFAULT_DATABASE_URL
    webhook_attempts: int = 4
    webhook_backoff_seconds: float = 0.5
    channels: ChannelSettings = ChannelSettings()
    # Where generated secrets are kept (noticebot.secret_files); a Redis URL for the Slack replay
    # cache shared by several Rasa servers (None: each server remembers on its own).
    secrets_dir: Path = PROJECT_ROOT / "var"
    replay_cache_url: str | None = None
    documents: DocumentSettings = DocumentSettings()
    # How often each Rasa server looks for reminders that are due (rasa_ext.reminders)
    reminder_poll_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``environ`` (the process environment by default)."""
        env = os.environ if environ is None else environ

        def optional(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        documents = optional("NOTICEBOT_DOCUMENTS_DIR")
        return cls(
            knowledge_dir=Path(
                env.get("NOTICEBOT_KNOWLEDGE_DIR") or PROJECT_ROOT / "data" / "knowledge"
            ),
            documents_dir=Path(documents) if documents else None,
            index_path=Path(
                env.get("NOTICEBOT_INDEX_PATH") or PROJECT_ROOT / "var" / "kb-index.json"
            ),
            firm=FirmProfile(
                name=optional("FIRM_NAME"),
                phone=optional("FIRM_PHONE"),
                booking_url=optional("FIRM_BOOKING_URL"),
                email=optional("FIRM_EMAIL"),
                timezone=optional("FIRM_TIMEZONE") or "America/New_York",
                staff_webhook_url=optional("STAFF_WEBHOOK_URL"),
            ),
            database_url=optional("DATABASE_URL") or DEFAULT_DATABASE_URL,
            webhook_attempts=_positive_int(env, "STAFF_WEBHOOK_ATTEMPTS", 4),
            webhook_backoff_seconds=_positive_float(env, "STAFF_WEBHOOK_BACKOFF", 0.5),
            channels=ChannelSettings(
                slack_api_url=optional("SLACK_API_URL") or ChannelSettings.slack_api_url,
                telegram_api_url=optional("TELEGRAM_API_URL") or ChannelSettings.telegram_api_url,
                rasa_port=_port(env, "RASA_PORT", ChannelSettings.rasa_port),
                web_host=optional("NOTICEBOT_HOST") or ChannelSettings.web_host,
                web_port=_port(env, "WEB_PORT", ChannelSettings.web_port),
                web_socket_url=optional("WEB_SOCKET_URL"),
            ),
            secrets_dir=Path(optional("NOTICEBOT_SECRETS_DIR") or PROJECT_ROOT / "var"),
            replay_cache_url=optional("REPLAY_CACHE_REDIS_URL"),
            documents=DocumentSettings(
                max_bytes=_positive_int(env, "NOTICEBOT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024),
                max_pages=_positive_int(env, "NOTICEBOT_UPLOAD_MAX_PAGES", 3),
                ocr_timeout=_positive_float(env, "NOTICEBOT_OCR_TIMEOUT", 20.0),
            ),
            reminder_poll_seconds=_poll_seconds(env, "REMINDER_POLL_SECONDS", 30.0),
        )


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = _positive_int(env, name, default)
    if value > 65535:
        raise SettingsError(f"{name} must be a TCP port (1-65535), got {value}")
    return value


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value


def _poll_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = _positive_float(env, name, default)
    if value == 0:
        raise SettingsError(f"{name} must be more than 0 (a poll every 0 s never rests)")
    return value


def secret(variable: str, environ: Mapping[str, str] | None = None) -> str:
    """The secret named by ``variable`` (``RASA_AUTH_TOKEN``, ``ACTION_SERVER_TOKEN``,
    ``REST_WEBHOOK_TOKEN``, ``SESSION_SECRET``): from the environment, else from its file under
    ``NOTICEBOT_SECRETS_DIR`` (``var/``), generated on first use with mode 0600."""
    env = os.environ if environ is None else environ
    return read_secret(variable, Settings.from_env(env).secrets_dir, env)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings of this process, read once from the environment."""
    return Settings.from_env()
