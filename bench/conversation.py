"""Conversation benchmark: this assistant against a bare ``rasa init`` bot, both served at once.

Run with ``make bench`` (after ``make train``), or directly::

    .venv/bin/python bench/conversation.py [--messages N] [--skip-train] [--skip-baseline]

It builds and trains the bare bot (timed, empty cache), starts it and this assistant
(``scripts/run.sh``: the Rasa server and the action server, on a temporary SQLite database) at the
same time on free ports of 127.0.0.1, and measures them alternately so that the machine's noise
falls on both:

1. REST webhook latency p50/p95/p99: one client sends one message to each bot in turn (scripted
   conversations, a new sender per conversation) until each has ``--messages`` counted, after
   two warm-up conversations each; then the ratio of the two p95 figures.
2. ``POST /model/parse`` of "yes" and of a notice sentence with a date and an amount, alternating.
3. Throughput: ``--concurrent`` conversations at once (one thread each, a whole conversation
   each), bursts taking turns between the bots; messages per second and the ratio.
4. Resident memory (RSS) of both Rasa servers after start and after the load, and of the action
   server.
5. Training this assistant from scratch (``rasa train --force``, empty cache).

Every figure is printed beside its goal (issue "Fast on two cores"). Every server runs in its own
process group, stopped with SIGINT and then SIGKILL; nothing is left running. The exit status is 1
when a measurement could not be made or when the webhook p95 is over twice the bare bot's.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import requests
import yaml
from percentiles import percentile  # bench/percentiles.py (this folder is on sys.path)

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

# Goals (issue "Fast on two cores"); `make bench` fails over FAIL_P95_RATIO.
GOAL_P95_RATIO = 1.5
FAIL_P95_RATIO = 2.0
GOAL_PARSE_P50_MS = 5.0
GOAL_THROUGHPUT_SHARE = 0.6
GOAL_RSS_RATIO = 1.1
GOAL_ACTION_RSS_BYTES = 350e6
GOAL_TRAIN_SECONDS = 120.0

PARSE_SAMPLES = {
    "yes": "yes",
    "notice sentence": "got a cp504 dated november 2, 2026 saying i owe $4,312.18",
}
PARSE_WARMUP = 20
CONCURRENT_DEFAULT = 50
CONCURRENT_ROUNDS = 2
MAX_ERRORS = 5
WARMUP_CONVERSATIONS = 2
REQUEST_TIMEOUT = 30.0
STARTUP_SECONDS = 300.0
STOP_SECONDS = 30.0
TRAIN_TIMEOUT_SECONDS = 1800.0
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
    """True for `python -m rasa_ext.serve_actions ...`, `python -m rasa_sdk ...` or
    `rasa run actions ...`."""
    for index, part in enumerate(argv[:-1]):
        if part == "-m" and argv[index + 1] in ("rasa_sdk", "rasa_ext.serve_actions"):
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
class Bot:
    """One served bot: where it listens, its conversations, and what was measured of it."""

    name: str
    base: str
    conversations: Sequence[Sequence[str]]
    api_token: str | None = None
    server_pid: int | None = None
    action_pid: int | None = None
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    empty_replies: int = 0
    conversations_played: int = 0
    parse_ms: dict[str, list[float]] = field(default_factory=dict)
    throughput: list[float] = field(default_factory=list)  # messages/s, one per burst
    startup: float | None = None
    rss_after_start: int | None = None
    rss_after_load: int | None = None
    rss_peak: int | None = None
    action_rss_after_load: int | None = None

    def messages(self, run_id: str) -> Iterator[tuple[str, str, bool]]:
        """(sender, message, last of its conversation) forever, a new sender per conversation."""
        index = 0
        while True:
            conversation = self.conversations[index % len(self.conversations)]
            sender = f"bench-{self.name}-{run_id}-{index}"
            for position, message in enumerate(conversation):
                yield sender, message, position == len(conversation) - 1
            index += 1


def _say(session: requests.Session, base: str, sender: str, message: str) -> list[Any]:
    """POST one message to the REST channel and return the bot's replies."""
    response = session.post(
        f"{base}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=REQUEST_TIMEOUT,
    )
    response.raise_for_status()
    return list(response.json())


def _sequential(bots: Sequence[Bot], *, min_messages: int, max_seconds: float) -> None:
    """One client sends one message to each bot in turn (alternating) until each has
    ``min_messages`` counted, after warm-up conversations that are not counted."""
    run_id = uuid.uuid4().hex[:8]
    with requests.Session() as session:
        session.trust_env = False  # no proxy: traffic stays on 127.0.0.1
        streams = {bot.name: bot.messages(run_id) for bot in bots}
        for bot in bots:  # warm-up
            played = 0
            while played < WARMUP_CONVERSATIONS:
                sender, message, last = next(streams[bot.name])
                _say(session, bot.base, sender, message)
                played += last
        start = time.monotonic()
        while any(len(bot.latencies) < min_messages for bot in bots):
            if time.monotonic() - start > max_seconds:
                logger.warning("sequential load: time limit of %.0fs reached", max_seconds)
                break
            for bot in bots:
                sender, message, last = next(streams[bot.name])
                sent = time.perf_counter()
                try:
                    replies = _say(session, bot.base, sender, message)
                except (requests.RequestException, ValueError) as exc:
                    bot.errors += 1
                    logger.warning("%s: %r failed: %s", bot.name, message, exc)
                    if bot.errors >= MAX_ERRORS:
                        raise RuntimeError(f"{bot.name}: {bot.errors} errors") from exc
                    continue
                bot.latencies.append((time.perf_counter() - sent) * 1000)
                bot.empty_replies += not replies
                bot.conversations_played += last
    for bot in bots:
        logger.info("%s: %d messages in %d conversations", bot.name, len(bot.latencies),
                    bot.conversations_played)


def _parse_timings(bots: Sequence[Bot], *, calls: int) -> None:
    """POST /model/parse of each PARSE_SAMPLES text, alternating between the bots."""
    with requests.Session() as session:
        session.trust_env = False
        for name, text in PARSE_SAMPLES.items():
            for bot in bots:
                bot.parse_ms[name] = []
            for index in range(PARSE_WARMUP + calls):
                for bot in bots:
                    params = {"token": bot.api_token} if bot.api_token else None
                    sent = time.perf_counter()
                    response = session.post(f"{bot.base}/model/parse", params=params,
                                            json={"text": text}, timeout=REQUEST_TIMEOUT)
                    elapsed = (time.perf_counter() - sent) * 1000
                    if not response.ok:
                        raise RuntimeError(f"{bot.name}: /model/parse answered "
                                           f"{response.status_code}")
                    if index >= PARSE_WARMUP:
                        bot.parse_ms[name].append(elapsed)


def _burst(bot: Bot, *, conversations: int, run_id: str) -> float:
    """``conversations`` clients at once, each playing one whole conversation; messages/s."""
    def play(index: int) -> int:
        sent = 0
        with requests.Session() as session:
            session.trust_env = False
            conversation = bot.conversations[index % len(bot.conversations)]
            sender = f"burst-{bot.name}-{run_id}-{index}"
            for message in conversation:
                _say(session, bot.base, sender, message)
                sent += 1
        return sent

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        total = sum(pool.map(play, range(conversations)))
    return total / (time.perf_counter() - start)


def _concurrent(bots: Sequence[Bot], *, conversations: int, rounds: int) -> None:
    """Bursts of ``conversations`` simultaneous conversations, the bots taking turns."""
    for round_index in range(rounds):
        for bot in bots:
            rate = _burst(bot, conversations=conversations,
                          run_id=f"{uuid.uuid4().hex[:6]}-{round_index}")
            bot.throughput.append(rate)
            logger.info("%s: %d conversations at once, %.1f messages/s", bot.name,
                        conversations, rate)


# --- measurements ----------------------------------------------------------------------------


def _start_assistant(stack: contextlib.ExitStack, workdir: Path) -> Bot:
    """scripts/run.sh on free ports; returns the bot once both servers answer."""
    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        raise RuntimeError("no trained model in models/: run `make train` first")
    rasa_port, action_port = _free_port(), _free_port()
    log_path = workdir / "assistant.log"
    env = _env(RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port),
               DATABASE_URL=f"sqlite:///{workdir / 'assistant.db'}")
    bot = Bot("assistant", f"http://{LOCALHOST}:{rasa_port}", CONVERSATIONS,
              api_token=secret("RASA_AUTH_TOKEN"))
    process = stack.enter_context(
        _started([RUN_SCRIPT], cwd=PROJECT_ROOT, env=env, log_path=log_path,
                 name="assistant (run.sh)"))
    bot.startup = _wait_ready(
        process,
        [f"{bot.base}/status?token={bot.api_token}", f"http://{LOCALHOST}:{action_port}/health"],
        log_path=log_path, name="assistant",
    )
    bot.server_pid = _find_pid(process.pid, _is_rasa_server, "rasa run")
    bot.action_pid = _find_pid(process.pid, _is_action_server, "action server")
    return bot


def _build_baseline(workdir: Path) -> tuple[Path, float]:
    """A bare `rasa init` bot built and trained with an empty cache; (folder, seconds)."""
    bot_dir = workdir / "initbot"
    bot_dir.mkdir()
    seconds = _run_timed(
        [RASA, "init", "--no-prompt", "--init-dir", bot_dir],
        cwd=bot_dir, env=_env(RASA_CACHE_DIRECTORY=str(workdir / "initbot-cache")),
        log_path=workdir / "initbot-init.log", name="rasa init",
    )
    return bot_dir, seconds


def _start_baseline(stack: contextlib.ExitStack, workdir: Path, bot_dir: Path) -> Bot:
    """`rasa run` of the bare bot, REST only (its domain has no custom action)."""
    if _custom_actions(bot_dir / "domain.yml"):
        raise RuntimeError("the init bot has custom actions: this bench does not serve them")
    credentials = workdir / "initbot-credentials.yml"
    credentials.write_text("rest:\n")
    rasa_port = _free_port()
    bot = Bot("bare", f"http://{LOCALHOST}:{rasa_port}", BASELINE_CONVERSATIONS)
    log_path = workdir / "initbot-run.log"
    process = stack.enter_context(_started(
        [RASA, "run", "--enable-api", "-i", LOCALHOST, "-p", str(rasa_port),
         "--credentials", credentials],
        cwd=bot_dir, env=_env(), log_path=log_path, name="bare bot"))
    bot.startup = _wait_ready(process, [f"{bot.base}/status"], log_path=log_path,
                              name="bare bot")
    bot.server_pid = _find_pid(process.pid, _is_rasa_server, "rasa run") if (
        not _is_rasa_server(_cmdline(process.pid))) else process.pid
    return bot


def _custom_actions(domain_path: Path) -> list[str]:
    """Actions of a domain file that an action server would have to run (not utter_*)."""
    domain = yaml.safe_load(domain_path.read_text()) or {}
    names = [a if isinstance(a, str) else next(iter(a)) for a in domain.get("actions") or []]
    return [name for name in names if not name.startswith("utter_")]


def _train_from_scratch(workdir: Path) -> float:
    """Train this assistant from scratch: --force, a temporary --out and an empty cache."""
    return _run_timed(
        [RASA, "train", "--config", "config.yml", "--domain", "domain", "--data", *RASA_DATA,
         "--out", workdir / "trained", "--force"],
        cwd=PROJECT_ROOT, env=_env(RASA_CACHE_DIRECTORY=str(workdir / "train-cache")),
        log_path=workdir / "train.log", name="rasa train (assistant)",
    )


@dataclass
class Figures:
    """Everything measured in one run; None where a step was skipped or failed."""

    assistant: Bot | None = None
    baseline: Bot | None = None
    train_seconds: float | None = None
    baseline_train_seconds: float | None = None


def _measure(figures: Figures, workdir: Path, args: argparse.Namespace) -> None:
    """Serve both bots at once and measure them alternately."""
    bot_dir: Path | None = None
    if not args.skip_baseline:
        bot_dir, figures.baseline_train_seconds = _build_baseline(workdir)
    with contextlib.ExitStack() as stack:
        bots = [_start_assistant(stack, workdir)]
        figures.assistant = bots[0]
        if bot_dir is not None:
            figures.baseline = _start_baseline(stack, workdir, bot_dir)
            bots.append(figures.baseline)
        for bot in bots:
            assert bot.server_pid is not None
            bot.rss_after_start, _ = _memory(bot.server_pid)
        _sequential(bots, min_messages=args.messages, max_seconds=args.max_seconds)
        _parse_timings(bots, calls=args.parse_calls)
        _concurrent(bots, conversations=args.concurrent, rounds=CONCURRENT_ROUNDS)
        for bot in bots:
            assert bot.server_pid is not None
            bot.rss_after_load, bot.rss_peak = _memory(bot.server_pid)
            if bot.action_pid is not None:
                bot.action_rss_after_load, _ = _memory(bot.action_pid)


# --- report ----------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the report."""

    metric: str
    figure: str
    goal: str = ""
    ok: bool | None = None


def _ratio_row(metric: str, mine: float | None, bare: float | None, *, goal: float,
               higher_is_better: bool = False, unit: str = "x") -> Row | None:
    if mine is None or bare is None or bare == 0:
        return None
    ratio = mine / bare
    if higher_is_better:
        return Row(metric, f"{ratio:.2f}{unit}", f">= {goal}{unit}", ratio >= goal)
    return Row(metric, f"{ratio:.2f}{unit}", f"<= {goal}{unit}", ratio <= goal)


def _rows(figures: Figures) -> list[Row]:
    """The report's rows, in the order of the goals."""
    rows: list[Row] = []
    mine, bare = figures.assistant, figures.baseline
    for bot in (mine, bare):
        if bot is None or not bot.latencies:
            continue
        rows.append(Row(f"{bot.name}: messages (conversations), errors / empty",
                        f"{len(bot.latencies)} ({bot.conversations_played}), "
                        f"{bot.errors} / {bot.empty_replies}"))
        rows.append(Row(f"{bot.name}: webhook p50 / p95 / p99",
                        " / ".join(f"{percentile(bot.latencies, p):.1f}" for p in (50, 95, 99))
                        + " ms"))
    if mine and bare and mine.latencies and bare.latencies:
        row = _ratio_row("webhook p95, assistant / bare", percentile(mine.latencies, 95),
                         percentile(bare.latencies, 95), goal=GOAL_P95_RATIO)
        if row:
            rows.append(row)
    for bot in (mine, bare):
        if bot is None:
            continue
        for name, samples in bot.parse_ms.items():
            p50 = percentile(samples, 50)
            goal = bot is mine
            rows.append(Row(f"{bot.name}: /model/parse {name!r} p50 (p95)",
                            f"{p50:.1f} ({percentile(samples, 95):.1f}) ms",
                            f"<= {GOAL_PARSE_P50_MS:.0f} ms" if goal else "",
                            p50 <= GOAL_PARSE_P50_MS if goal else None))
    for bot in (mine, bare):
        if bot is not None and bot.throughput:
            rows.append(Row(f"{bot.name}: {CONCURRENT_DEFAULT} conversations at once, msg/s",
                            " / ".join(f"{rate:.1f}" for rate in bot.throughput)))
    if mine and bare and mine.throughput and bare.throughput:
        row = _ratio_row("throughput, assistant / bare (median bursts)",
                         statistics.median(mine.throughput), statistics.median(bare.throughput),
                         goal=GOAL_THROUGHPUT_SHARE, higher_is_better=True)
        if row:
            rows.append(row)
    for bot in (mine, bare):
        if bot is None:
            continue
        for label, value in (("after start", bot.rss_after_start),
                             ("after load", bot.rss_after_load), ("peak", bot.rss_peak)):
            if value is not None:
                rows.append(Row(f"{bot.name}: Rasa server RSS {label}", f"{value / 1e6:.0f} MB"))
    if mine and bare:
        row = _ratio_row("Rasa server RSS after load, assistant / bare", mine.rss_after_load,
                         bare.rss_after_load, goal=GOAL_RSS_RATIO)
        if row:
            rows.append(row)
    if mine and mine.action_rss_after_load is not None:
        rows.append(Row("assistant: action server RSS after load",
                        f"{mine.action_rss_after_load / 1e6:.0f} MB",
                        f"<= {GOAL_ACTION_RSS_BYTES / 1e6:.0f} MB",
                        mine.action_rss_after_load <= GOAL_ACTION_RSS_BYTES))
    if figures.train_seconds is not None:
        rows.append(Row("assistant: training from scratch", f"{figures.train_seconds:.1f} s",
                        f"<= {GOAL_TRAIN_SECONDS:.0f} s",
                        figures.train_seconds <= GOAL_TRAIN_SECONDS))
    if figures.baseline_train_seconds is not None:
        rows.append(Row("bare: rasa init incl. training",
                        f"{figures.baseline_train_seconds:.1f} s"))
    for bot in (mine, bare):
        if bot is not None and bot.startup is not None:
            rows.append(Row(f"{bot.name}: start until ready", f"{bot.startup:.1f} s"))
    return rows


def _report(rows: Sequence[Row]) -> None:
    """Print the table: metric, figure, goal, verdict."""
    width = max(len(row.metric) for row in rows)
    print(f"{'metric':<{width}}  {'figure':>22}  {'goal':<10} verdict")
    for row in rows:
        verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
        print(f"{row.metric:<{width}}  {row.figure:>22}  {row.goal:<10} {verdict}".rstrip())
    print(f"(webhook: one client, POST /webhooks/rest/webhook, one message to each bot in turn, "
          f"after {WARMUP_CONVERSATIONS} warm-up conversations each; /model/parse alternating, "
          f"after {PARSE_WARMUP} warm-up calls; throughput: {CONCURRENT_ROUNDS} bursts per bot, "
          f"taking turns; MB = 10^6 bytes; CPUs: {os.cpu_count()})")


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into SystemExit so the finally blocks stop the servers."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print, and fail when the webhook p95 is over FAIL_P95_RATIO x the bare bot's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=200,
                        help="counted webhook messages per bot (default 200)")
    parser.add_argument("--parse-calls", type=int, default=200,
                        help="/model/parse calls per text and bot (default 200)")
    parser.add_argument("--concurrent", type=int, default=CONCURRENT_DEFAULT,
                        help=f"conversations at once in the throughput bursts "
                             f"(default {CONCURRENT_DEFAULT})")
    parser.add_argument("--skip-train", action="store_true",
                        help="skip training this assistant from scratch")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="skip the bare `rasa init` bot (no ratios)")
    parser.add_argument("--max-seconds", type=float, default=600.0,
                        help="time limit of the sequential phase (default 600)")
    args = parser.parse_args(argv)
    if min(args.messages, args.parse_calls, args.concurrent) < 1:
        parser.error("--messages, --parse-calls and --concurrent must be at least 1")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)

    figures = Figures()
    started = time.monotonic()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-conversation-") as tmp:
        workdir = Path(tmp)
        try:
            _measure(figures, workdir, args)
        except RuntimeError as exc:
            failed = True
            logger.error("%s", exc)
        if not args.skip_train:
            try:
                figures.train_seconds = _train_from_scratch(workdir)
            except RuntimeError as exc:
                failed = True
                logger.error("training: %s", exc)
    rows = _rows(figures)
    if rows:
        _report(rows)
    logger.info("benchmark took %.0fs", time.monotonic() - started)
    mine, bare = figures.assistant, figures.baseline
    if mine and bare and mine.latencies and bare.latencies:
        ratio = percentile(mine.latencies, 95) / percentile(bare.latencies, 95)
        if ratio > FAIL_P95_RATIO:
            logger.error("webhook p95 is %.2fx the bare bot's: over the %.1fx limit",
                         ratio, FAIL_P95_RATIO)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
