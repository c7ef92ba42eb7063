"""Load: N concurrent conversations x M turns over REST, then check nothing was lost.

Each conversation is a realistic triage (a greeting, an LT11 with its date, the three triage
answers); every third one goes on through intake (consent, name, e-mail, time, read-back) to a
stored case, the others ask free questions. The run prints messages per second, p50/p95/p99
latency and errors, then reads the database: every conversation must hold all its user messages
in the order sent, each followed by its stored bot reply, and every completed intake exactly one
case.

Against the scaled profile (`make run-scaled`, nginx on :5005) and, for comparison, one of its
Rasa servers directly (:5006):

    .venv/bin/python bench/load.py --url http://127.0.0.1:5005 \\
        --compare-url http://127.0.0.1:5006 --conversations 200 --turns 10

DATABASE_URL (or --database-url) must be the database the servers write to. Through nginx the
REST webhook needs its token: REST_WEBHOOK_TOKEN, else var/rest-webhook-token (what the servers
use). The conversations are stored as ``rest:<sender>`` (noticebot.senders).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import aiohttp
import sqlalchemy as sa
from percentiles import percentile  # bench/percentiles.py (this folder is on sys.path)

from noticebot.senders import client_id, sender_id
from noticebot.settings import secret

TECHNICAL_PROBLEM = "something went wrong on our side"
SPEEDUP_GOAL = 1.3  # the scaled profile's messages per second over one server's
NAMES = ["Pat Rivera", "Jane Doe", "Luis Ortega", "Mei Chen", "Ahmed Khan", "Grace Okafor",
         "Sam Miller", "Ana Souza"]
QUESTIONS = [
    "what is a payment plan?",
    "can they take my passport?",
    "how do I pay?",
    "what happens if I ignore it?",
    "can I settle for less?",
    "thanks",
    "bye",
]


def script(index: int, turns: int) -> tuple[list[str], bool]:
    """The messages of conversation ``index`` and whether it completes an intake."""
    notice_date = dt.date.today() - dt.timedelta(days=3 + index % 10)
    opening = [
        "hi",
        f"I got an LT11 dated {notice_date:%B} {notice_date.day}, {notice_date.year}",
        "yes",  # agrees with the amount
        "no",  # cannot pay in full
        "no",  # no red flag -> negotiate, then the consent question
    ]
    intake = index % 3 == 0 and turns >= len(opening) + 5
    if intake:
        name = NAMES[index % len(NAMES)]
        email = f"{name.lower().replace(' ', '.')}{index}@example.com"
        middle = ["yes", name, email, "skip", "yes"]
    else:
        middle = ["no thanks"]
    messages = (opening + middle + QUESTIONS)[:turns]
    while len(messages) < turns:
        messages.append(QUESTIONS[len(messages) % len(QUESTIONS)])
    return messages, intake


@dataclass
class Run:
    """What one load run saw."""

    url: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    sent: dict[str, list[str]] = field(default_factory=dict)
    intakes: set[str] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def messages(self) -> int:
        return len(self.latencies)


async def conversation(session: aiohttp.ClientSession, run: Run, sender: str,
                       messages: list[str]) -> None:
    run.sent[sender] = []
    for text in messages:
        started = time.perf_counter()
        try:
            async with session.post(f"{run.url}/webhooks/rest/webhook",
                                    json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
                if response.status != 200:
                    run.errors[f"HTTP {response.status}"] += 1
                elif not isinstance(body, list) or not body:
                    run.errors["no reply"] += 1
                elif any(TECHNICAL_PROBLEM in (m.get("text") or "") for m in body):
                    run.errors["technical-problem reply"] += 1
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            run.errors[type(error).__name__] += 1
        run.latencies.append(time.perf_counter() - started)
        run.sent[sender].append(text)


async def load(url: str, conversations: int, turns: int, tag: str) -> Run:
    run = Run(url.rstrip("/"))
    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=conversations)
    headers = {"Authorization": f"Bearer {secret('REST_WEBHOOK_TOKEN')}"}
    async with aiohttp.ClientSession(timeout=timeout, connector=connector,
                                     headers=headers) as session:
        jobs = []
        for index in range(conversations):
            sender = f"load-{tag}-{index:04d}"
            messages, intake = script(index, turns)
            if intake:
                run.intakes.add(sender)
            jobs.append(conversation(session, run, sender, messages))
        started = time.perf_counter()
        await asyncio.gather(*jobs)
        run.seconds = time.perf_counter() - started
    return run


def report(name: str, run: Run) -> None:
    rate = run.messages / run.seconds if run.seconds else 0.0
    print(f"{name}: {run.messages} messages in {run.seconds:.1f} s = {rate:.1f} messages/s; "
          f"latency p50 {percentile(run.latencies, 50) * 1000:.0f} ms, "
          f"p95 {percentile(run.latencies, 95) * 1000:.0f} ms, "
          f"p99 {percentile(run.latencies, 99) * 1000:.0f} ms, "
          f"max {max(run.latencies) * 1000:.0f} ms, mean "
          f"{statistics.mean(run.latencies) * 1000:.0f} ms; errors {sum(run.errors.values())}"
          + (f" {dict(run.errors)}" if run.errors else ""))


def verify(database_url: str, run: Run) -> int:
    """Check the database: user messages of every conversation complete and in order; one case
    per completed intake, none for the others. Prints what it found; returns the problems."""
    engine = sa.create_engine(database_url, future=True)
    problems = 0
    senders = sorted(run.sent)
    prefix = sender_id("rest", senders[0].rsplit("-", 1)[0] + "-%")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT sender_id, type_name, data FROM events "
                    "WHERE type_name IN ('user', 'bot') AND sender_id LIKE :prefix ORDER BY id"),
            {"prefix": prefix},
        ).all()
        stored: dict[str, list[str]] = {}
        # Per conversation, how many bot messages follow each user message (its replies).
        replies: dict[str, list[int]] = {}
        for stored_sender, kind, data in rows:
            sender = client_id("rest", stored_sender)
            if kind == "user":
                stored.setdefault(sender, []).append(json.loads(data).get("text"))
                replies.setdefault(sender, []).append(0)
            elif replies.get(sender):
                replies[sender][-1] += 1
        lost = [s for s in senders if len(stored.get(s, [])) < len(run.sent[s])]
        reordered = [s for s in senders if s not in lost and stored[s] != run.sent[s]]
        unanswered = [s for s in senders if s not in lost and 0 in replies[s]]
        cases = {client_id("rest", conversation): count for conversation, count in
                 connection.execute(
                     sa.text("SELECT conversation_id, count(*) FROM cases "
                             "WHERE conversation_id LIKE :prefix GROUP BY conversation_id"),
                     {"prefix": prefix},
                 ).all()}
    engine.dispose()
    wrong_cases = [s for s in senders if cases.get(s, 0) != (1 if s in run.intakes else 0)]
    print(f"  database: {len(senders)} conversations, {sum(map(len, stored.values()))} user "
          f"messages stored of {sum(map(len, run.sent.values()))} sent; lost in "
          f"{len(lost)} conversations, reordered in {len(reordered)}; user messages without "
          f"a stored bot reply in {len(unanswered)}; "
          f"{sum(cases.values())} cases for {len(run.intakes)} completed intakes, "
          f"{len(wrong_cases)} conversations with a wrong number of cases")
    for sender in (lost + reordered + unanswered + wrong_cases)[:5]:
        print(f"    e.g. {sender}: sent {run.sent[sender]}, stored {stored.get(sender)}, "
              f"cases {cases.get(sender, 0)}")
    problems += len(lost) + len(reordered) + len(unanswered) + len(wrong_cases)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the load balancer")
    parser.add_argument("--compare-url", help="one Rasa server, for its messages per second")
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is needed to check the stored events")
    tag = uuid.uuid4().hex[:6]
    print(f"{args.conversations} conversations x {args.turns} turns, all at once "
          f"(every third completes an intake)")
    problems = 0
    runs: list[tuple[str, Run]] = []
    targets = [("scaled profile", args.url)]
    if args.compare_url:
        targets.append(("one Rasa server", args.compare_url))
    for name, url in targets:
        run = asyncio.run(load(url, args.conversations, args.turns, f"{tag}{len(runs)}"))
        report(f"{name} ({url})", run)
        problems += verify(args.database_url, run) + sum(run.errors.values())
        runs.append((name, run))
    if len(runs) == 2:
        scaled, single = (r.messages / r.seconds for _, r in runs)
        ratio = scaled / single
        print(f"scaled / one server: {ratio:.2f}x the messages per second (goal "
              f"{SPEEDUP_GOAL}x: {'met' if ratio >= SPEEDUP_GOAL else 'NOT met'})")
    print("OK: no error, nothing lost or reordered" if not problems else f"PROBLEMS: {problems}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
