"""Settings: neutral defaults, every value from the environment."""

from __future__ import annotations

from pathlib import Path

from noticebot.settings import PROJECT_ROOT, Settings


def test_defaults_invent_no_firm_and_point_into_the_checkout() -> None:
    settings = Settings.from_env({})
    assert settings.knowledge_dir == PROJECT_ROOT / "data" / "knowledge"
    assert settings.index_path == PROJECT_ROOT / "var" / "kb-index.json"
    assert settings.documents_dir is None
    firm = settings.firm
    assert (firm.name, firm.phone, firm.booking_url, firm.email, firm.staff_webhook_url) == (
        None, None, None, None, None)
    assert not firm.has_contact


def test_values_come_from_the_environment() -> None:
    settings = Settings.from_env({
        "NOTICEBOT_DOCUMENTS_DIR": "/srv/articles",
        "NOTICEBOT_INDEX_PATH": "/tmp/kb.json",
        "FIRM_NAME": "Example Tax Help",
        "FIRM_BOOKING_URL": "https://example.org/book",
        "FIRM_TIMEZONE": "America/Chicago",
    })
    assert settings.documents_dir == Path("/srv/articles")
    assert settings.index_path == Path("/tmp/kb.json")
    assert settings.firm.name == "Example Tax Help"
    assert settings.firm.timezone == "America/Chicago"
    assert settings.firm.has_contact


def test_blank_values_count_as_unset() -> None:
    settings = Settings.from_env({"FIRM_PHONE": "   ", "NOTICEBOT_DOCUMENTS_DIR": ""})
    assert settings.firm.phone is None and settings.documents_dir is None


def test_reminder_poll_interval_defaults_to_30_seconds_and_refuses_nonsense() -> None:
    import pytest

    assert Settings.from_env({}).reminder_poll_seconds == 30.0
    assert Settings.from_env({"REMINDER_POLL_SECONDS": "0.5"}).reminder_poll_seconds == 0.5
    for bad in ("soon", "0", "-1"):
        with pytest.raises(ValueError, match="REMINDER_POLL_SECONDS"):
            Settings.from_env({"REMINDER_POLL_SECONDS": bad})
