"""Where the milliseconds of one turn go: NLU components, policy predictions, action calls, store.

Run after ``make train``::

    .venv/bin/python bench/profile_turn.py [--rounds N]

It loads the trained model in this process (Rasa's ``Agent``) with the project's tracker store
on a temporary SQLite file, starts the action server (``python -m rasa_ext.serve_actions``) on a
free port,
plays the scripted conversations of ``bench/conversation.py`` ``--rounds`` times through
``Agent.handle_text`` (what the REST channel calls), and prints, per turn:

- each NLU component's time (one row per graph node of the NLU pipeline);
- the number of policy predictions and their time (one row per policy node);
- the number of action-server calls and their time (HTTP round trip included);
- the tracker store's read and write time;
- the rest (Rasa's own bookkeeping), so that the rows add up to the turn.

Then ``/model/parse``-like timings (``Agent.parse_message``) of "yes" and of a notice sentence
with a date and an amount. Prints figures; asserts nothing. The first round is a warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conversation import CONVERSATIONS, _free_port

from noticebot.settings import PROJECT_ROOT

PARSE_SAMPLES = {
    "yes": "yes",
    "notice sentence": "got a cp504 dated november 2, 2026 saying i owe $4,312.18",
}


class Clock:
    """Accumulates milliseconds per label for the turn being played."""

    def __init__(self) -> None:
        self.turn: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.turns: list[tuple[dict[str, float], dict[str, int]]] = []

    def add(self, label: str, ms: float) -> None:
        self.turn[label] += ms
        self.counts[label] += 1

    def end_turn(self) -> None:
        self.turns.append((dict(self.turn), dict(self.counts)))
        self.turn = defaultdict(float)
        self.counts = defaultdict(int)


CLOCK = Clock()


def _timed_async(label: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            CLOCK.add(label, (time.perf_counter() - start) * 1000)

    return wrapper


def _instrument() -> None:
    """Wrap Rasa's graph nodes, remote actions and the tracker store with timers."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    original_call = GraphNode.__call__

    def node_call(self: GraphNode, *inputs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_call(self, *inputs)
        finally:
            CLOCK.add(f"node:{self._node_name}", (time.perf_counter() - start) * 1000)

    GraphNode.__call__ = node_call  # type: ignore[method-assign]
    RemoteAction.run = _timed_async("action server call", RemoteAction.run)  # type: ignore[method-assign]
    MessageProcessor.fetch_tracker_and_update_session = _timed_async(  # type: ignore[method-assign]
        "tracker store read", MessageProcessor.fetch_tracker_and_update_session)
    MessageProcessor.parse_message = _timed_async(  # type: ignore[method-assign]
        "NLU (parse_message)", MessageProcessor.parse_message)
    MessageProcessor.save_tracker = _timed_async(  # type: ignore[method-assign]
        "tracker store write", MessageProcessor.save_tracker)
    original_predict = MessageProcessor._predict_next_with_tracker

    def predict(self: MessageProcessor, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_predict(self, *args, **kwargs)
        finally:
            CLOCK.add("policy prediction (all nodes)", (time.perf_counter() - start) * 1000)

    MessageProcessor._predict_next_with_tracker = predict  # type: ignore[method-assign]


@contextmanager
def _action_server(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_ext.serve_actions", "--actions", "actions",
         "--port", str(port)],
        cwd=PROJECT_ROOT, env={**env, "SANIC_HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise RuntimeError("the action server did not start")
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=20)


def _median_table(turns: list[tuple[dict[str, float], dict[str, int]]],
                  totals: list[float]) -> list[tuple[str, float, float, float]]:
    """Rows (label, mean ms per turn, mean calls per turn, share of the turn)."""
    labels = sorted({label for times, _ in turns for label in times})
    n = len(turns)
    mean_total = statistics.fmean(totals)
    rows = []
    for label in labels:
        ms = sum(times.get(label, 0.0) for times, _ in turns) / n
        calls = sum(counts.get(label, 0) for _, counts in turns) / n
        rows.append((label, ms, calls, ms / mean_total))
    return rows


async def _play(rounds: int, model: Path, action_url: str, database: str) -> None:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from rasa_ext.tracker_store import RedactingSQLTrackerStore

    endpoints = AvailableEndpoints(action=EndpointConfig(
        url=action_url, headers={"X-Action-Token": os.environ["ACTION_SERVER_TOKEN"]}))
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    agent.tracker_store = RedactingSQLTrackerStore(domain=agent.domain,
                                                   host=f"sqlite:///{database}")
    agent.processor.tracker_store = agent.tracker_store

    totals: list[float] = []
    for round_index in range(rounds):
        for index, conversation in enumerate(CONVERSATIONS):
            sender = f"profile-{round_index}-{index}"
            for text in conversation:
                CLOCK.turn.clear()
                CLOCK.counts.clear()
                start = time.perf_counter()
                await agent.handle_text(text, sender_id=sender)
                total = (time.perf_counter() - start) * 1000
                if round_index == 0:
                    continue  # warm-up
                CLOCK.end_turn()
                totals.append(total)

    turns = CLOCK.turns
    print(f"turns measured: {len(turns)} (after a warm-up round); "
          f"mean {statistics.fmean(totals):.1f} ms, median {statistics.median(totals):.1f} ms")
    print(f"{'where':58} {'ms/turn':>8} {'calls':>6} {'share':>6}")
    rows = _median_table(turns, totals)
    main_rows = ("NLU (parse_message)", "policy prediction (all nodes)", "action server call",
                 "tracker store read", "tracker store write")
    for label, ms, calls, share in rows:
        if label in main_rows:
            print(f"{label:58} {ms:8.2f} {calls:6.1f} {share:6.1%}")
    accounted = sum(ms for label, ms, _, _ in rows if label in main_rows)
    rest = statistics.fmean(totals) - accounted
    print(f"{'rest (Rasa bookkeeping between the steps)':58} {rest:8.2f}")
    print("graph nodes (inside NLU or prediction):")
    for label, ms, calls, share in rows:
        if label.startswith("node:") and ms >= 0.01:
            print(f"  {label[5:]:56} {ms:8.2f} {calls:6.1f} {share:6.1%}")
    print()
    print("Agent.parse_message (what /model/parse runs), 200 calls each after 20 warm-up:")
    for name, text in PARSE_SAMPLES.items():
        for _ in range(20):
            await agent.parse_message(text)
        samples = []
        for _ in range(200):
            start = time.perf_counter()
            await agent.parse_message(text)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        print(f"  {name:18} p50 {samples[100]:6.2f} ms   p95 {samples[190]:6.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=4,
                        help="times the scripted conversations are played (the first warms up)")
    parser.add_argument("--without-speedups", action="store_true",
                        help="Rasa as it is, without rasa_ext.speedups (for a before/after)")
    parser.add_argument("--model", type=Path,
                        default=PROJECT_ROOT / "models" / "notice-assistant.tar.gz")
    args = parser.parse_args()
    if not args.model.exists():
        print(f"no trained model at {args.model}: run make train", file=sys.stderr)
        return 1
    os.environ.setdefault("ACTION_SERVER_TOKEN", secrets.token_urlsafe(24))
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import logging

    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # as a server at INFO: no debug events built
    if not args.without_speedups:
        from rasa_ext import speedups

        speedups.install()  # as rasa_ext.serve does
    _instrument()
    with tempfile.TemporaryDirectory() as tmp, _action_server(dict(os.environ)) as url:
        asyncio.run(_play(args.rounds, args.model, url, str(Path(tmp) / "profile.db")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
