"""The web chat page's paperclip in a real browser (Debian's Chromium, Playwright): a photo of a
notice is sent over Socket.IO, read on the server and read back; a yes gives the notice's card;
the stored transcript never holds the file."""

from __future__ import annotations

import random
import shutil
from typing import Any

import pytest
from test_e2e_browser import (  # noqa: F401 (the fixtures are used by name)
    bot_count,
    browser,
    page,
    wait_for_replies,
)

from tests.documents.synthetic import NOTICES, VARIANTS, draw_notice, jpeg

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr"),
]


def test_a_photo_attached_in_the_widget_is_read_back_then_taken_on_yes(page: Any) -> None:  # noqa: F811
    photo = jpeg(VARIANTS["noise"](draw_notice(NOTICES[1]), random.Random(3)))  # a CP14
    before = bot_count(page)
    page.set_input_files("#nb-file", files=[{
        "name": "notice.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    wait_for_replies(page, before)
    said = page.locator("#nb-log .nb-bot").last.inner_text()
    assert "I read notice CP14 dated October 19, 2026" in said
    stored = page.evaluate("sessionStorage.getItem('noticebot.transcript')")
    assert "Sent a file of the notice" in stored
    assert "share_document" not in stored and "base64" not in stored and "/9j/" not in stored

    before = bot_count(page)
    page.locator("#nb-log .nb-buttons .nb-button", has_text="Yes").last.click()
    wait_for_replies(page, before)
    assert page.locator('#nb-log .nb-card[data-card="notice_summary"]').count() == 1
    assert page.errors == []


def test_a_file_of_another_kind_is_refused_in_the_page(page: Any) -> None:  # noqa: F811
    before = bot_count(page)
    page.set_input_files("#nb-file", files=[{
        "name": "notes.txt", "mimeType": "text/plain", "buffer": b"CP504"}])
    page.wait_for_timeout(300)
    assert bot_count(page) == before + 1
    assert "JPEG or PNG" in page.locator("#nb-log .nb-bot").last.inner_text()
