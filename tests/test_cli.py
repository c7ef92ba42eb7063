"""The kb command: build, ask, notice; clear one-line errors, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from noticebot.cli import kb_main, main
from noticebot.settings import PROJECT_ROOT, get_settings


@pytest.fixture(autouse=True)
def isolated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its index into a temporary folder."""
    index = tmp_path / "kb-index.json"
    monkeypatch.setenv("NOTICEBOT_INDEX_PATH", str(index))
    monkeypatch.delenv("NOTICEBOT_DOCUMENTS_DIR", raising=False)
    get_settings.cache_clear()
    yield index
    get_settings.cache_clear()


def test_notice_json_has_the_notice_summary_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code = kb_main(["notice", "lt 11", "--date", "2026-11-02", "--today", "2026-11-23", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {k: payload[k] for k in ("type", "notice_code", "notice_date", "response_deadline",
                                    "days_left", "urgency")} == {
        "type": "notice_summary", "notice_code": "LT11", "notice_date": "2026-11-02",
        "response_deadline": "2026-12-02", "days_left": 9, "urgency": "soon"}
    assert payload["title"] and payload["stage"] == "final_intent_to_levy"
    assert payload["sources"] and all(s.startswith("http") for s in payload["sources"])
    rights = {r["id"]: r["last_day"] for r in payload["details"]["rights"]}
    assert rights["equivalent_hearing"] == "2027-11-02"


def test_printed_deadline_wins(capsys: pytest.CaptureFixture[str]) -> None:
    kb_main(["notice", "CP504", "--date", "2026-11-02", "--printed-deadline", "2026-11-22",
             "--today", "2026-11-23", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (payload["response_deadline"], payload["days_left"], payload["urgency"]) == (
        "2026-11-22", -1, "overdue")


def test_notice_text_output_names_the_weekend_move(capsys: pytest.CaptureFixture[str]) -> None:
    assert kb_main(["notice", "CP523", "--date", "2026-10-23", "--today", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "2026-11-23" in out and "Sunday" in out and "postmark" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["notice", "CP999"], "unknown notice code"),
        (["notice", "hello"], "unknown notice code"),
        (["notice", "CP504", "--date", "2026-13-45"], "not a date"),
        (["notice", "LT11", "--date", "2026-11-20", "--printed-deadline", "2026-11-01"],
         "before the notice date"),
        (["ask", "   "], "empty"),
        (["build", "/no/such/folder"], "no such file or folder"),
    ],
)
def test_bad_input_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        code = kb_main(argv)
    except SystemExit as exc:  # argparse refuses malformed options itself
        code = int(exc.code or 0)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert message in err
    assert "\n" not in err, "one line, no usage block"
    assert "Traceback" not in err


def test_build_then_ask_uses_the_saved_index(
    capsys: pytest.CaptureFixture[str], isolated_index: Path
) -> None:
    assert kb_main(["build"]) == 0
    assert isolated_index.exists()
    capsys.readouterr()
    assert kb_main(["ask", "can the irs take my passport", "--json"]) == 0
    answers = json.loads(capsys.readouterr().out)["answers"]
    assert len(answers) == 3
    assert all(a["source"].startswith("http") for a in answers)


def test_noticebot_group_command_reaches_kb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "notice", "CP14", "--date", "2026-11-02", "--today", "2026-11-05",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notice_code"] == "CP14"


def test_console_script_exits_two_without_traceback() -> None:
    # As from a user's shell: without the TensorFlow log level other tests' imports set.
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "kb"), "notice", "CP999"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
