"""Conversation benchmark: REST latency, training time and server memory of the assistant.

Run with ``make bench`` (after ``make train``), or directly::

    .venv/bin/python bench/conversation.py [--messages N] [--skip-train] [--skip-baseline]

From one run it prints:

1. REST latency p50/p95/p99 of this assistant (``scripts/run.sh``: Rasa server plus action
   server) over at least ``--messages`` messages of the scripted conversations below, sent one
   after the other by one client, each conversation with a new sender id, after a warm-up that is
   not counted.
2. The same against a bare ``rasa init`` bot built in a temporary folder, and the ratio of the two
   p95 figures.
3. Training time from scratch: ``rasa train --force`` of this assistant into a temporary folder
   with an empty training cache, and the time ``rasa init --no-prompt`` takes to build and train
   the bare bot.
4. Resident memory (RSS) of this assistant's ``rasa run`` process after start and after the load.

Every server listens on a free port of 127.0.0.1 and runs in its own process group, stopped with
SIGINT and then SIGKILL; nothing is left running when the script ends. Figures depend on the
machine and on what else uses its CPU. Prints figures; asserts nothing (the exit status is 1 only
when a measurement could not be made).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import requests
import yaml

from noticebot.settings import PROJECT_ROOT, secret

# Scripted conversations for this assistant, one list per conversation (each gets a new sender).
CONVERSATIONS: list[list[str]] = [
    ["hi", "I got a CP504", "it is dated november 2", "yes the amount is right",
     "i can't pay it all", "thanks"],
    ["hello", "what does LT11 mean", "how long do i have", "can they take my passport",
     "thank you", "bye"],
    ["hey there", "i have a letter 1058 in my hand", "the notice is dated march 3",
     "how long do i have", "what happens if i ignore it", "thanks a lot"],
    ["hi, i need help", "i just opened a cp523 and im scared", "it was dated last tuesday",
     "the amount is wrong", "can they take my passport", "ok bye"],
    ["good morning", "got a CP14 today", "dated 11/02/2026", "it says i owe $2,300",
     "i can pay it in full", "thanks"],
    ["what does letter 1058 mean, it is dated november 2 2026", "how long do i have",
     "can they garnish my wages", "bye"],
    ["hello i have a question", "the irs sent me a CP-503", "actually it's a cp504",
     "how long do i have", "thank you so much"],
    ["hi", "got an lt 11 what do i do", "nov 2nd", "i can't pay it all",
     "can they take my passport", "thanks for the help", "bye"],
]

# The bare `rasa init` bot's own kind of conversation (greet, mood, affirm/deny, goodbye).
BASELINE_CONVERSATIONS: list[list[str]] = [
    ["hi", "i am sad", "yes", "bye"],
    ["hello", "i am feeling very good", "great", "goodbye"],
    ["hey there", "not good", "no", "bye"],
    ["good morning", "are you a bot?", "i'm great", "see you later"],
    ["hey", "very sad", "yes it did", "good bye"],
    ["hi", "unhappy", "no", "have a nice day"],
    ["good evening", "am I talking to a human?", "extremely sad", "yes", "bye"],
]

# Goals (from the brief).
GOAL_P95_RATIO = 1.5
GOAL_TRAIN_SECONDS = 240.0
GOAL_RSS_BYTES = 1.2e9

WARMUP_CONVERSATIONS = 2
REQUEST_TIMEOUT = 30.0
STARTUP_SECONDS = 300.0
STOP_SECONDS = 30.0
TRAIN_TIMEOUT_SECONDS = 1800.0
MAX_CONSECUTIVE_ERRORS = 5
LOCALHOST = "127.0.0.1"

VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
RASA = VENV_BIN / "rasa"
RUN_SCRIPT = PROJECT_ROOT / "scripts" / "run.sh"
RASA_DATA = ["data/nlu", "data/rules", "data/stories"]

logger = logging.getLogger("bench.conversation")


# --- processes -------------------------------------------------------------------------------


def _free_port() -> int:
    """Return a TCP port of 127.0.0.1 that is free right now (bind to port 0)."""
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    """The environment for Rasa commands: the venv first on PATH, telemetry off, quiet TF."""
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        **extra,
    }


def _group_alive(pgid: int) -> bool:
    """True while any process of the group exists."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_group(process: subprocess.Popen[bytes], name: str) -> None:
    """Stop a process started in its own session: SIGINT to its group, SIGKILL after a timeout."""
    pgid = process.pid
    if process.poll() is None:
        logger.info("stopping %s (process group %d)", name, pgid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGINT)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop after SIGINT within %.0fs: SIGKILL", name, STOP_SECONDS)
    # The leader may be gone while children of the group linger: give them a moment, then kill.
    deadline = time.monotonic() + STOP_SECONDS
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _group_alive(pgid):
        logger.warning("killing what is left of %s (process group %d)", name, pgid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)


PROGRESS_BAR = re.compile(r"\d+it \[|\d+%\|")


def _tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file without progress bars, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if line.strip() and not PROGRESS_BAR.search(line)]
    return "\n".join(kept[-lines:])


@contextlib.contextmanager
def _started(
    command: Sequence[str | Path], *, cwd: Path, env: dict[str, str], log_path: Path, name: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a command in its own process group (output to log_path); always stop it after."""
    logger.info("starting %s: %s", name, " ".join(str(part) for part in command))
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        _stop_group(process, name)


def _wait_ready(
    process: subprocess.Popen[bytes], urls: Sequence[str], *, log_path: Path, name: str
) -> float:
    """Poll every URL until all answer 2xx; return the seconds it took. Fail on exit or timeout."""
    start = time.monotonic()
    deadline = start + STARTUP_SECONDS
    with requests.Session() as session:
        session.trust_env = False  # no proxy: traffic stays on 127.0.0.1
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited early:\n{_tail(log_path)}")
            try:
                ready = all(session.get(url, timeout=2).ok for url in urls)
            except requests.RequestException:
                ready = False
            if ready:
                return time.monotonic() - start
            time.sleep(1)
    raise RuntimeError(f"{name} not ready after {STARTUP_SECONDS:.0f}s:\n{_tail(log_path)}")


def _run_timed(
    command: Sequence[str | Path], *, cwd: Path, env: dict[str, str], log_path: Path, name: str
) -> float:
    """Run a command to completion in its own process group; return its wall time in seconds."""
    start = time.perf_counter()
    with _started(command, cwd=cwd, env=env, log_path=log_path, name=name) as process:
        try:
            returncode = process.wait(timeout=TRAIN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"{name} still running after {TRAIN_TIMEOUT_SECONDS:.0f}s") from exc
    seconds = time.perf_counter() - start
    if returncode != 0:
        raise RuntimeError(f"{name} failed with status {returncode}:\n{_tail(log_path)}")
    logger.info("%s took %.1fs", name, seconds)
    return seconds


# --- memory ----------------------------------------------------------------------------------


def _cmdline(pid: int) -> list[str]:
    """A process's argv, empty when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _descendants(pid: int) -> list[int]:
    """Every descendant of a process, from /proc (children before grandchildren)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("PPid:"):
                    parents[int(entry.name)] = int(line.split()[1])
                    break
        except OSError:
            continue
    found: list[int] = []
    frontier = [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


def _is_rasa_server(argv: Sequence[str]) -> bool:
    """True for `rasa run ...` or its launcher `python -m rasa_ext.serve`, but not for
    `rasa run actions ...`."""
    for index, part in enumerate(argv[:-1]):
        if part == "-m" and argv[index + 1] == "rasa_ext.serve":
            return True
        if Path(part).name == "rasa" and argv[index + 1] == "run":
            return "actions" not in argv[index + 2 : index + 3]
    return False


def _is_action_server(argv: Sequence[str]) -> bool:
    """True for `python -m rasa_sdk ...` or `rasa run actions ...`."""
    for index, part in enumerate(argv[:-1]):
        if part == "-m" and argv[index + 1] == "rasa_sdk":
            return True
        if Path(part).name == "rasa" and argv[index + 1 : index + 3] == ["run", "actions"]:
            return True
    return False


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, peak RSS) of a process in bytes.

    RSS from psutil when it is installed, else VmRSS of /proc/<pid>/status; the peak is always
    VmHWM (psutil does not report it on Linux).
    """
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024  # the file gives kB
    rss = fields["VmRSS"]
    try:
        import psutil  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        pass
    else:
        rss = int(psutil.Process(pid).memory_info().rss)
    return rss, fields.get("VmHWM", rss)


def _find_pid(root: int, predicate: Callable[[Sequence[str]], bool], what: str) -> int:
    """The first descendant of root whose argv satisfies predicate."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for pid in _descendants(root):
            if predicate(_cmdline(pid)):
                return pid
        time.sleep(0.5)
    raise RuntimeError(f"no {what} process found under pid {root}")


# --- load ------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """Latencies (ms) of the counted messages and what went wrong."""

    latencies: list[float] = field(default_factory=list)
    conversations: int = 0
    errors: int = 0
    empty_replies: int = 0
    seconds: float = 0.0


def _say(session: requests.Session, base: str, sender: str, message: str) -> list[Any]:
    """POST one message to the REST channel and return the bot's replies."""
    response = session.post(
        f"{base}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=REQUEST_TIMEOUT,
    )
    response.raise_for_status()
    return list(response.json())


def _load(
    base: str,
    conversations: Sequence[Sequence[str]],
    *,
    min_messages: int,
    max_seconds: float,
    label: str,
) -> LoadResult:
    """Warm up, then play conversations in turn (a new sender each) until min_messages are sent."""
    run_id = uuid.uuid4().hex[:8]
    result = LoadResult()
    shortest = min(len(conversation) for conversation in conversations)
    max_conversations = math.ceil(min_messages / shortest) + 1
    with requests.Session() as session:
        session.trust_env = False  # no proxy: traffic stays on 127.0.0.1
        for index in range(WARMUP_CONVERSATIONS):
            for message in conversations[index % len(conversations)]:
                _say(session, base, f"warmup-{label}-{run_id}-{index}", message)
        start = time.monotonic()
        consecutive_errors = 0
        for index in range(max_conversations):
            if len(result.latencies) >= min_messages:
                break
            if time.monotonic() - start > max_seconds:
                logger.warning("%s: time limit of %.0fs reached", label, max_seconds)
                break
            sender = f"bench-{label}-{run_id}-{index}"
            for message in conversations[index % len(conversations)]:
                sent = time.perf_counter()
                try:
                    replies = _say(session, base, sender, message)
                except (requests.RequestException, ValueError) as exc:
                    result.errors += 1
                    consecutive_errors += 1
                    logger.warning("%s: %r failed: %s", label, message, exc)
                    if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                        raise RuntimeError(
                            f"{label}: {consecutive_errors} errors in a row"
                        ) from exc
                    continue
                result.latencies.append((time.perf_counter() - sent) * 1000)
                consecutive_errors = 0
                if not replies:
                    result.empty_replies += 1
            result.conversations += 1
            if result.conversations % 20 == 0:
                logger.info("%s: %d messages sent", label, len(result.latencies))
        result.seconds = time.monotonic() - start
    logger.info(
        "%s: %d messages in %d conversations, %.1fs",
        label, len(result.latencies), result.conversations, result.seconds,
    )
    return result


def _percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (same definition as bench/retrieval.py)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


# --- measurements ----------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything measured in one run; None where a step was skipped."""

    assistant: LoadResult | None = None
    baseline: LoadResult | None = None
    assistant_startup: float | None = None
    baseline_startup: float | None = None
    rss_after_start: int | None = None
    rss_after_load: int | None = None
    rss_peak: int | None = None
    action_rss_after_load: int | None = None
    train_seconds: float | None = None
    baseline_train_seconds: float | None = None


def _measure_assistant(
    figures: Figures, workdir: Path, *, messages: int, max_seconds: float
) -> None:
    """Start scripts/run.sh, measure memory, play the scripted conversations, measure again."""
    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    rasa_port, action_port = _free_port(), _free_port()
    log_path = workdir / "assistant.log"
    env = _env(RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port))
    base = f"http://{LOCALHOST}:{rasa_port}"
    with _started(
        [RUN_SCRIPT], cwd=PROJECT_ROOT, env=env, log_path=log_path, name="assistant (run.sh)"
    ) as process:
        figures.assistant_startup = _wait_ready(
            process,
            [f"{base}/status?token={secret('RASA_AUTH_TOKEN')}",
             f"http://{LOCALHOST}:{action_port}/health"],
            log_path=log_path,
            name="assistant",
        )
        logger.info("assistant ready after %.1fs", figures.assistant_startup)
        server_pid = _find_pid(process.pid, _is_rasa_server, "rasa run")
        action_pid = _find_pid(process.pid, _is_action_server, "rasa run actions")
        extra = _descendants(server_pid)
        if extra:
            logger.warning("rasa run (pid %d) has children %s, not counted", server_pid, extra)
        figures.rss_after_start, _ = _memory(server_pid)
        logger.info("rasa run pid %d, RSS after start %.0f MB", server_pid,
                    figures.rss_after_start / 1e6)
        figures.assistant = _load(
            base, CONVERSATIONS, min_messages=messages, max_seconds=max_seconds, label="assistant"
        )
        figures.rss_after_load, figures.rss_peak = _memory(server_pid)
        figures.action_rss_after_load, _ = _memory(action_pid)


def _custom_actions(domain_path: Path) -> list[str]:
    """Actions of a domain file that an action server would have to run (not utter_*)."""
    domain = yaml.safe_load(domain_path.read_text()) or {}
    names = [a if isinstance(a, str) else next(iter(a)) for a in domain.get("actions") or []]
    return [name for name in names if not name.startswith("utter_")]


def _measure_baseline(
    figures: Figures, workdir: Path, *, messages: int, max_seconds: float
) -> None:
    """Build and train a bare `rasa init` bot (timed), serve it and play its conversations."""
    bot_dir = workdir / "initbot"
    bot_dir.mkdir()
    env = _env(RASA_CACHE_DIRECTORY=str(workdir / "initbot-cache"))  # an empty training cache
    figures.baseline_train_seconds = _run_timed(
        [RASA, "init", "--no-prompt", "--init-dir", bot_dir],
        cwd=bot_dir,
        env=env,
        log_path=workdir / "initbot-init.log",
        name="rasa init",
    )
    # Only the REST channel, as for the assistant (the init bot's file also lists `rasa:`).
    credentials = workdir / "initbot-credentials.yml"
    credentials.write_text("rest:\n")
    rasa_port = _free_port()
    base = f"http://{LOCALHOST}:{rasa_port}"
    command: list[str | Path] = [
        RASA, "run", "--enable-api", "-i", LOCALHOST, "-p", str(rasa_port),
        "--credentials", credentials,
    ]
    ready_urls = [f"{base}/status"]
    with contextlib.ExitStack() as stack:
        custom = _custom_actions(bot_dir / "domain.yml")
        if custom:
            action_port = _free_port()
            endpoints = workdir / "initbot-endpoints.yml"
            endpoints.write_text(
                f"action_endpoint:\n  url: http://{LOCALHOST}:{action_port}/webhook\n"
            )
            command += ["--endpoints", endpoints]
            ready_urls.append(f"http://{LOCALHOST}:{action_port}/health")
            stack.enter_context(
                _started(
                    [RASA, "run", "actions", "--port", str(action_port)],
                    cwd=bot_dir,
                    env=_env(SANIC_HOST=LOCALHOST),
                    log_path=workdir / "initbot-actions.log",
                    name="bare bot action server",
                )
            )
        else:
            logger.info("the init bot's domain has no custom actions: no action server")
        log_path = workdir / "initbot-run.log"
        process = stack.enter_context(
            _started(command, cwd=bot_dir, env=_env(), log_path=log_path, name="bare bot")
        )
        figures.baseline_startup = _wait_ready(
            process, ready_urls, log_path=log_path, name="bare bot"
        )
        logger.info("bare bot ready after %.1fs", figures.baseline_startup)
        figures.baseline = _load(
            base, BASELINE_CONVERSATIONS, min_messages=messages, max_seconds=max_seconds,
            label="bare",
        )


def _measure_training(figures: Figures, workdir: Path) -> None:
    """Train this assistant from scratch: --force, a temporary --out and an empty cache."""
    out = workdir / "trained"
    env = _env(RASA_CACHE_DIRECTORY=str(workdir / "train-cache"))
    figures.train_seconds = _run_timed(
        [RASA, "train", "--config", "config.yml", "--domain", "domain.yml", "--data", *RASA_DATA,
         "--out", out, "--force"],
        cwd=PROJECT_ROOT,
        env=env,
        log_path=workdir / "train.log",
        name="rasa train (assistant)",
    )


# --- report ----------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _report(figures: Figures) -> None:
    """Print the table: metric, figure, goal, verdict."""
    rows: list[tuple[str, str, str, str]] = []

    def latency_rows(name: str, result: LoadResult | None) -> None:
        if result is None or not result.latencies:
            rows.append((f"{name} REST latency", "skipped", "", ""))
            return
        n = len(result.latencies)
        rows.append((f"{name} messages (conversations)", f"{n} ({result.conversations})", "", ""))
        for pct in (50, 95, 99):
            rows.append((f"{name} p{pct}", f"{_percentile(result.latencies, pct):.1f} ms", "", ""))
        rows.append((f"{name} errors / empty replies",
                     f"{result.errors} / {result.empty_replies}", "", ""))

    latency_rows("assistant", figures.assistant)
    latency_rows("bare rasa init bot", figures.baseline)
    if figures.assistant and figures.baseline and figures.assistant.latencies and (
        figures.baseline.latencies
    ):
        ratio = _percentile(figures.assistant.latencies, 95) / _percentile(
            figures.baseline.latencies, 95
        )
        rows.append(("p95 ratio assistant / bare", f"{ratio:.2f}x",
                     f"<= {GOAL_P95_RATIO}x", _verdict(ratio <= GOAL_P95_RATIO)))
    if figures.train_seconds is None:
        rows.append(("training from scratch (assistant)", "skipped", "", ""))
    else:
        rows.append(("training from scratch (assistant)", f"{figures.train_seconds:.1f} s",
                     f"<= {GOAL_TRAIN_SECONDS:.0f} s",
                     _verdict(figures.train_seconds <= GOAL_TRAIN_SECONDS)))
    if figures.baseline_train_seconds is not None:
        rows.append(("rasa init incl. training (bare)",
                     f"{figures.baseline_train_seconds:.1f} s", "", ""))
    for name, value in (
        ("rasa run RSS after start", figures.rss_after_start),
        ("rasa run RSS after load", figures.rss_after_load),
        ("rasa run peak RSS (VmHWM)", figures.rss_peak),
    ):
        if value is not None:
            rows.append((name, f"{value / 1e6:.0f} MB", f"<= {GOAL_RSS_BYTES / 1e6:.0f} MB",
                         _verdict(value <= GOAL_RSS_BYTES)))
    if figures.action_rss_after_load is not None:
        rows.append(("action server RSS after load",
                     f"{figures.action_rss_after_load / 1e6:.0f} MB", "", ""))
    for name, seconds in (("assistant startup (both servers)", figures.assistant_startup),
                          ("bare bot startup", figures.baseline_startup)):
        if seconds is not None:
            rows.append((name, f"{seconds:.1f} s", "", ""))
    width = max(len(row[0]) for row in rows)
    print(f"{'metric':<{width}}  {'figure':>14}  {'goal':<12} verdict")
    for metric, figure, goal, verdict in rows:
        print(f"{metric:<{width}}  {figure:>14}  {goal:<12} {verdict}".rstrip())
    print(f"(latency: sequential POST /webhooks/rest/webhook from one client, after "
          f"{WARMUP_CONVERSATIONS} warm-up conversations; MB = 10^6 bytes; CPUs: {os.cpu_count()})")


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into SystemExit so the finally blocks stop the servers."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=500,
                        help="counted messages per bot (default 500)")
    parser.add_argument("--skip-train", action="store_true",
                        help="skip training this assistant from scratch")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="skip the bare `rasa init` bot")
    parser.add_argument("--max-seconds", type=float, default=900.0,
                        help="time limit of each load phase (default 900)")
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error("--messages must be at least 1")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)

    figures = Figures()
    started = time.monotonic()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-conversation-") as tmp:
        workdir = Path(tmp)
        steps = [("assistant", _measure_assistant)]
        if not args.skip_baseline:
            steps.append(("bare rasa init bot", _measure_baseline))
        for name, step in steps:
            try:
                step(figures, workdir, messages=args.messages, max_seconds=args.max_seconds)
            except RuntimeError as exc:
                failed = True
                logger.error("%s: %s", name, exc)
        if not args.skip_train:
            try:
                _measure_training(figures, workdir)
            except RuntimeError as exc:
                failed = True
                logger.error("training: %s", exc)
    _report(figures)
    logger.info("benchmark took %.0fs", time.monotonic() - started)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
