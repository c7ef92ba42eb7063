"""The command line: ``noticebot kb|cases|web`` (and the ``kb``, ``cases``, ``noticebot-web``
aliases); kb's build, ask, notice; clear one-line errors, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from noticebot.apps.cases import main as cases_main
from noticebot.apps.cli import main
from noticebot.apps.kb import main as kb_main
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


# Every command and subcommand of ``noticebot``, as typed after it.
COMMANDS = [
    (),
    ("kb",), ("kb", "build"), ("kb", "ask"), ("kb", "notice"),
    ("cases",), *(("cases", c) for c in (
        "list", "show", "export", "set-status", "delete", "purge", "migrate")),
    ("web",),
]


def outcome(capsys: pytest.CaptureFixture[str], entry: Any, argv: list[str]
            ) -> tuple[int, str, str]:
    """Run a command's entry point: (exit status, stdout, stderr), argparse's exits included."""
    try:
        code = entry(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(("noticebot", *c)))
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
                                ) -> None:
    code, out, err = outcome(capsys, main, [*command, "--help"])
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: {' '.join(('noticebot', *command))} ")


def test_noticebot_help_names_the_three_commands(capsys: pytest.CaptureFixture[str]) -> None:
    out = outcome(capsys, main, ["--help"])[1]
    assert all(f"\n    {name} " in out for name in ("kb", "cases", "web"))


@pytest.mark.parametrize("argv", [[], ["bogus"], ["--bogus"]])
def test_noticebot_without_a_known_command_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = outcome(capsys, main, argv)
    assert (code, out) == (2, "")
    assert err.startswith("noticebot: error: ") and err.count("\n") == 1


@pytest.mark.parametrize("argv", [
    ["migrate"], ["list"], ["list", "--urgent"], ["export", "--format", "json"],
    ["show", "CNOSUCHCASE"], ["set-status", "CNOSUCHCASE", "closed"],
    ["purge", "--older-than", "0"], ["frobnicate"], [],
])
def test_noticebot_cases_is_the_cases_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    """Same status and output as ``cases``; an error line names ``noticebot cases``."""
    database = ["--database-url", f"sqlite:///{tmp_path / 'cases.db'}"]
    assert outcome(capsys, cases_main, [*database, "migrate"])[0] == 0
    alone = outcome(capsys, cases_main, [*database, *argv])
    grouped = outcome(capsys, main, ["cases", *database, *argv])
    assert grouped == (alone[0], alone[1], "noticebot " + alone[2] if alone[2] else "")


@pytest.mark.parametrize("script", ["noticebot", "kb", "cases", "noticebot-web"])
def test_the_console_scripts_exist(script: str) -> None:
    """``noticebot`` and the old names, installed by ``pip install -e .``."""
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / script), "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith(f"usage: {script} ")


def test_noticebot_web_loads_neither_the_case_store_nor_the_knowledge_base() -> None:
    """Each command is loaded only when named: the chat page's server stays small."""
    probe = ("import sys; from noticebot.apps.cli import main\n"
             "try:\n    main(['web', '--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
             "'noticebot.intake', 'noticebot.knowledge'))))")
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-c", probe],
                            capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
