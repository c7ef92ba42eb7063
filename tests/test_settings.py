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
