"""End to end: a photo of a notice sent through the REST channel is read back, then taken on a
yes; nothing of the file (its bytes, the name or the masked SSN printed on it) is stored.

Needs a trained model (``make train``) and Debian's tesseract-ocr.
"""

from __future__ import annotations

import base64
import json
import random
import shutil

import pytest
import requests
from e2e_servers import rest_headers, texts

from tests.documents.synthetic import NOTICES, VARIANTS, draw_notice, jpeg

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr"),
]


def send(base: str, sender: str, message: str, metadata: dict | None = None) -> list[dict]:  # type: ignore[type-arg]
    body: dict = {"sender": sender, "message": message}  # type: ignore[type-arg]
    if metadata is not None:
        body["metadata"] = metadata
    response = requests.post(f"{base}/webhooks/rest/webhook", json=body,
                             headers=rest_headers(), timeout=120)
    response.raise_for_status()
    return list(response.json())


def test_a_photo_is_read_back_then_taken_on_a_yes(channel_stack) -> None:  # type: ignore[no-untyped-def]
    stack, _ = channel_stack
    spec = NOTICES[0]  # CP504 dated November 2, 2026, JORDAN A SAMPLE, XXX-XX-4821
    photo = jpeg(VARIANTS["skew_plus3"](draw_notice(spec), random.Random(1)))
    document = {"type": "image/jpeg", "data": base64.b64encode(photo).decode()}
    replies = send(stack.base, "e2e-photo", "", {"document": document})
    said = texts(replies)
    assert "I read notice CP504 dated November 2, 2026" in said
    assert "Is that right?" in said
    replies = send(stack.base, "e2e-photo", "yes")
    cards = [r["custom"] for r in replies
             if (r.get("custom") or {}).get("type") == "notice_summary"]
    assert [c["notice_code"] for c in cards] == ["CP504"]
    stored = json.dumps(stack.tracker("e2e-photo"))
    assert document["data"][:200] not in stored
    assert "JORDAN" not in stored and "4821" not in stored


def test_a_file_that_is_not_a_notice_gets_the_kind_message(channel_stack) -> None:  # type: ignore[no-untyped-def]
    stack, _ = channel_stack
    document = {"type": "image/gif", "data": base64.b64encode(b"GIF89a....").decode()}
    said = texts(send(stack.base, "e2e-gif", "", {"document": document}))
    assert "photo (JPEG or PNG) or a PDF" in said


def test_a_caption_typed_with_the_photo_is_answered_after_the_yes(channel_stack) -> None:  # type: ignore[no-untyped-def]
    stack, _ = channel_stack
    photo = jpeg(draw_notice(NOTICES[0]))  # CP504 dated November 2, 2026
    document = {"type": "image/jpeg", "data": base64.b64encode(photo).decode()}
    said = texts(send(stack.base, "e2e-caption", "i cant pay all of it, can they take my house?",
                      {"document": document}))
    assert "I read notice CP504" in said and "Is that right?" in said
    assert "seize the home" not in said  # nothing else before the yes
    said = texts(send(stack.base, "e2e-caption", "yes"))
    assert "CP504" in said
    assert "seize the home you live in" in said  # the caption's question, answered
    assert stack.tracker("e2e-caption")["slots"]["can_pay_in_full"] is False
