"""Faults on the scaled profile (scripts/run_scaled.sh): two Rasa servers and two action servers
behind nginx, conversations in PostgreSQL, locks in Redis.

PostgreSQL and Redis are reached through a local TCP proxy (``tests/tcp_proxy.py``) so a test
can make them "go away" and come back without touching the real servers. Kept short: one stack
for the module, a few messages per fault.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
import sqlalchemy as sa
from e2e_servers import STARTUP_SECONDS, free_port, rest_headers, say, texts
from fake_apis import TELEGRAM_SECRET_TOKEN, FakeApis
from tcp_proxy import TcpProxy

from noticebot.senders import sender_id
from noticebot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

TOKEN = "scaled-" + uuid.uuid4().hex
APOLOGY = "something went wrong on our side"
# A ticket of Rasa's lock store lives this long (Rasa's default 60 s, shorter here so that a
# conversation whose server died holding its lock goes on within the test's patience).
LOCK_LIFETIME = 15
REDIS_DB = 3
VENV_PATH = f"{PROJECT_ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"


@dataclass
class Scaled:
    """The running profile: the load balancer's URL, each server's port, the two proxies."""

    base: str
    rasa_ports: list[int]
    action_ports: list[int]
    postgres: TcpProxy
    redis: TcpProxy
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes]
    restarted: list[subprocess.Popen[bytes]] = field(default_factory=list)
    fake: FakeApis | None = None  # the local Telegram API (for the reminders)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def rasa_ready(self, port: int) -> bool:
        """The Rasa server on ``port`` answers /status: its model is loaded."""
        return requests.get(f"http://127.0.0.1:{port}/status", params={"token": TOKEN},
                            timeout=2).ok

    def start_again(self, launch: Launch) -> None:
        """Start a server of the profile again as run_scaled.sh had started it."""
        self.restarted.append(subprocess.Popen(
            launch.argv, cwd=launch.cwd, env=launch.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


@dataclass(frozen=True)
class Launch:
    """How a running process was started: command line, environment and folder (/proc)."""

    argv: list[str]
    env: dict[str, str]
    cwd: str


def launch_of(pid: int) -> Launch:
    proc = Path(f"/proc/{pid}")
    argv = proc.joinpath("cmdline").read_bytes().rstrip(b"\0").decode().split("\0")
    environ = proc.joinpath("environ").read_bytes().decode(errors="surrogateescape")
    env = dict(item.split("=", 1) for item in environ.split("\0") if "=" in item)
    return Launch(argv, env, os.readlink(proc / "cwd"))


def pid_listening_on(port: int) -> int:
    """The process of ours that serves ``port`` (by its command line)."""
    found = subprocess.run(["pgrep", "-f", "--", f"--port {port}( |$)"],
                           capture_output=True, text=True, check=False).stdout.split()
    assert found, f"no process serves port {port}"
    return int(found[0])


def wait_until(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"{what} not within {seconds}s")


def notice_message(days_ago: int = 3) -> str:
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return f"I got an LT11 dated {day:%B} {day.day}, {day.year}"


def tracker_events(rasa_port: int, sender: str) -> list[dict[str, Any]]:
    """The REST conversation ``sender`` (``rest:<sender>``), read from one Rasa server's API."""
    response = requests.get(
        f"http://127.0.0.1:{rasa_port}/conversations/{sender_id('rest', sender)}/tracker",
        params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return list(response.json()["events"])


def stored_user_texts(scaled: Scaled, rasa_port: int, sender: str) -> list[str]:
    return [e.get("text") for e in tracker_events(rasa_port, sender) if e.get("event") == "user"]


@pytest.fixture(scope="module")
def scaled(postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    folder = tmp_path_factory.mktemp("scaled")
    name = f"noticebot_scaled_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT", future=True)
    admin_url = sa.engine.make_url(postgres_admin_url)
    postgres = TcpProxy(admin_url.host or "127.0.0.1", admin_url.port or 5432)
    redis = TcpProxy("127.0.0.1", 6379)
    database_url = admin_url.set(port=postgres.port, database=name).render_as_string(
        hide_password=False)
    rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
    lb_port, action_lb_port = free_port(), free_port()
    fake = FakeApis().start()
    env = {
        **os.environ,
        "PATH": VENV_PATH,
        "RASA_PORT": str(lb_port),
        "ACTION_PORT": str(action_lb_port),
        "WEB_PORT": str(free_port()),
        "RASA_SERVER_PORTS": " ".join(map(str, rasa_ports)),
        "ACTION_SERVER_PORTS": " ".join(map(str, action_ports)),
        "DATABASE_URL": database_url,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_DB": str(REDIS_DB),
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME),
        "SCALED_RUN_DIR": str(folder / "run"),
        "NGINX_ACCESS_LOG": str(folder / "nginx-access.log"),
        "RASA_AUTH_TOKEN": TOKEN,
        # Telegram on the local fake API, for the reminders (both servers poll every second)
        **fake.telegram_env(),
        "REMINDER_POLL_SECONDS": "1",
    }
    log_path = folder / "run.log"
    with log_path.open("a") as log:
        process = subprocess.Popen([str(PROJECT_ROOT / "scripts" / "run_scaled.sh")],
                                   cwd=PROJECT_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    scaled = Scaled(f"http://127.0.0.1:{lb_port}", rasa_ports, action_ports, postgres, redis,
                    env, log_path, process, fake=fake)

    def ready() -> bool:
        if process.poll() is not None:
            pytest.fail(f"run_scaled.sh exited early:\n{scaled.log()[-3000:]}")
        # /status is 409 until the server has loaded its model.
        return all(scaled.rasa_ready(p) for p in rasa_ports) \
            and all(requests.get(f"http://127.0.0.1:{p}/health", timeout=2).ok
                    for p in action_ports) \
            and requests.get(f"{scaled.base}/health", timeout=2).ok

    try:
        wait_until(ready, STARTUP_SECONDS * 2, "the scaled profile")
        yield scaled
    finally:
        for server in scaled.restarted:
            server.terminate()
            server.wait(timeout=30)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        postgres.close()
        redis.close()
        fake.stop()
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_both_rasa_servers_share_one_conversation(scaled: Scaled) -> None:
    sender = "scaled-" + uuid.uuid4().hex[:8]
    first = f"http://127.0.0.1:{scaled.rasa_ports[0]}"
    second = f"http://127.0.0.1:{scaled.rasa_ports[1]}"
    assert "LT11" in texts(say(first, sender, notice_message()))
    # The other server goes on where the first stopped: the tracker is in PostgreSQL.
    assert "pay the full amount" in texts(say(second, sender, "yes"))


# Ordinary things people ask, each a different text (so a lost or repeated one shows).
SIMULTANEOUS = [
    "hi", "what is a payment plan?", "can they take my passport?", "how do I pay?",
    "what happens if I ignore it?", "can I settle for less?", "thanks", "what is a levy?",
    "is this letter a scam?", "can I get free help?",
]


@pytest.mark.parametrize("attempt", range(3))  # a race shows up in some runs, not all
def test_ten_simultaneous_messages_of_one_conversation_take_turns(scaled: Scaled,
                                                                  attempt: int) -> None:
    """Ten messages of one conversation released at the same instant, half to each Rasa server
    directly: the lock store (one Redis script per step) lets one through at a time, in the order
    the tickets were taken; each is answered; the tracker holds each once, each followed by its
    own replies before the next one starts."""
    sender = f"together-{attempt}-" + uuid.uuid4().hex[:8]
    assert texts(say(scaled.base, sender, notice_message()))  # a conversation that exists
    barrier = threading.Barrier(len(SIMULTANEOUS))
    answered: dict[str, tuple[float, int, str]] = {}
    guard = threading.Lock()

    def send(index: int, text: str) -> None:
        port = scaled.rasa_ports[index % 2]
        barrier.wait()
        response = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", timeout=180,
                                 json={"sender": sender, "message": text})
        finished = time.monotonic()
        with guard:
            answered[text] = (finished, response.status_code,
                              texts(response.json()) if response.ok else response.text)

    threads = [threading.Thread(target=send, args=(i, text))
               for i, text in enumerate(SIMULTANEOUS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert sorted(answered) == sorted(SIMULTANEOUS)
    for text, (_, status, said) in answered.items():
        assert status == 200 and said and APOLOGY not in said, (text, status, said)

    events = tracker_events(scaled.rasa_ports[0], sender)
    turns = [e for e in events if e["event"] in ("user", "bot")]
    users = [e["text"] for e in turns if e["event"] == "user"][1:]  # after the notice
    assert sorted(users) == sorted(SIMULTANEOUS)  # each once: nothing lost, nothing twice
    # One at a time: every message's replies are stored before the next message.
    kinds = [e["event"] for e in turns]
    assert all(kinds[i + 1] == "bot" for i, kind in enumerate(kinds) if kind == "user"), kinds
    # In the order they were served: the order their answers came back.
    by_answer = sorted(SIMULTANEOUS, key=lambda text: answered[text][0])
    assert users == by_answer
    assert redis.Redis(port=6379, db=REDIS_DB).exists(
        f"noticebot:lock:{sender_id('rest', sender)}") == 0


def test_only_the_channels_and_a_health_check_are_public(scaled: Scaled) -> None:
    conversation = sender_id("rest", "public-" + uuid.uuid4().hex[:8])
    token = {"token": TOKEN}
    for method, path in [("GET", f"/conversations/{conversation}/tracker"),
                         ("POST", f"/conversations/{conversation}/messages"),
                         ("POST", "/model/parse"), ("PUT", "/model"), ("GET", "/status"),
                         ("GET", "/version"), ("GET", "/"), ("GET", "/domain")]:
        answer = requests.request(method, f"{scaled.base}{path}", params=token, json={},
                                  timeout=30)
        assert answer.status_code == 403, (method, path, answer.status_code)
    assert requests.get(f"{scaled.base}/health", timeout=30).ok
    # The REST webhook through nginx: only with its token.
    body = {"sender": "public-check", "message": "hello"}
    refused = requests.post(f"{scaled.base}/webhooks/rest/webhook", json=body, timeout=60)
    assert refused.status_code == 401
    forged = requests.post(f"{scaled.base}/webhooks/rest/webhook", json=body, timeout=60,
                           headers={"Authorization": "Bearer not-the-token"})
    assert forged.status_code == 401
    assert texts(say(scaled.base, "public-check", "hello"))
    # The access log keeps paths without their query strings (the token above never lands).
    log = Path(scaled.env["NGINX_ACCESS_LOG"]).read_text()
    assert "/conversations/" in log and "/model/parse" in log
    assert TOKEN not in log and "?" not in log


def test_a_file_of_several_megabytes_reaches_the_channel_through_nginx(scaled: Scaled) -> None:
    """A phone photo is a few MB: nginx passes it (in memory) and the channel answers; here a
    2 MB file that is no picture gets the kind message, not nginx's 413."""
    data = base64.b64encode(b"\x89PNG\r\n\x1a\n" + os.urandom(2_000_000)).decode()
    body = {"sender": "big-file-" + uuid.uuid4().hex[:8], "message": "",
            "metadata": {"document": {"type": "image/png", "data": data}}}
    answer = requests.post(f"{scaled.base}/webhooks/rest/webhook", json=body,
                           headers=rest_headers(), timeout=120)
    assert answer.status_code == 200, answer.status_code
    assert "type the notice code" in texts(answer.json())


def test_a_switched_off_channel_takes_no_server_out(scaled: Scaled) -> None:
    # Slack is not configured here: its webhook answers 503. nginx must not count that as a
    # failed server (two of them would leave no server for anyone for 10 s).
    for _attempt in range(4):
        response = requests.post(f"{scaled.base}/webhooks/slack/webhook", json={}, timeout=30)
        assert response.status_code == 503 and "SLACK_TOKEN" in response.text
    for attempt in range(4):
        assert "LT11" in texts(say(scaled.base, f"after-503-{attempt}-{uuid.uuid4().hex[:6]}",
                                   notice_message()))


def test_a_due_reminder_is_sent_once_by_the_two_servers(scaled: Scaled) -> None:
    """Both Rasa servers poll the reminders table every second; one claims each reminder."""
    from test_e2e_channels import sent_to, telegram_message

    assert scaled.fake is not None
    chat = 7700 + uuid.uuid4().int % 1000

    def post(text: str) -> None:
        response = requests.post(
            f"{scaled.base}/webhooks/telegram/webhook", json=telegram_message(chat, text),
            headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET_TOKEN}, timeout=60)
        assert response.status_code == 200

    before = len(scaled.fake.calls_to("telegram", "sendMessage"))
    post(notice_message(5).lower())
    scaled.fake.wait_for("telegram", "sendMessage", before,
                         lambda c: "Remind me here" in str(c.params.get("reply_markup")))
    before = len(scaled.fake.calls_to("telegram", "sendMessage"))
    post("remind me please")
    scaled.fake.wait_for("telegram", "sendMessage", before,
                         lambda c: "message you here" in str(c.params.get("text")))
    # Its time comes: the first reminder's time set to now in the shared database.
    engine = sa.create_engine(scaled.env["DATABASE_URL"], future=True)
    try:
        with engine.begin() as connection:
            first = connection.execute(sa.text(
                "SELECT name FROM reminders WHERE conversation_id = :c AND status = 'pending'"
                " ORDER BY send_at LIMIT 1"), {"c": sender_id("telegram", chat)}).scalar_one()
            connection.execute(sa.text(
                "UPDATE reminders SET send_at = now() WHERE name = :n"), {"n": first})
        before = len(scaled.fake.calls_to("telegram", "sendMessage"))
        scaled.fake.wait_for("telegram", "sendMessage", before,
                             lambda c: "Reminder about" in str(c.params.get("text")))
        time.sleep(4)  # four more polls of each server
        sent = [c for c in sent_to(scaled.fake.calls_to("telegram", "sendMessage")[before:], chat)
                if "Reminder about your IRS notice LT11" in str(c.params.get("text"))]
        assert len(sent) == 1
        with engine.connect() as connection:
            status, worker = connection.execute(sa.text(
                "SELECT status, claimed_by FROM reminders WHERE name = :n"), {"n": first}).one()
        assert status == "sent" and worker
    finally:
        engine.dispose()


def test_a_killed_rasa_server_loses_nothing(scaled: Scaled) -> None:
    sender = "killed-" + uuid.uuid4().hex[:8]
    sent = [notice_message(), "yes"]
    for message in sent:
        assert texts(say(scaled.base, sender, message))
    victim = pid_listening_on(scaled.rasa_ports[0])
    launch = launch_of(victim)
    os.kill(victim, signal.SIGKILL)
    time.sleep(1)
    for message in ["no", "no"]:
        replies = say(scaled.base, sender, message)  # nginx moves on to the other server
        assert APOLOGY not in texts(replies)
        sent.append(message)
    assert "work out a way to pay over time" in texts(replies)
    assert stored_user_texts(scaled, scaled.rasa_ports[1], sender) == sent
    # Started again for the next test; nginx takes it back after fail_timeout (10 s).
    scaled.start_again(launch)
    port = scaled.rasa_ports[0]
    wait_until(lambda: scaled.rasa_ready(port), STARTUP_SECONDS, f"Rasa server :{port} back")


def test_a_rasa_server_killed_while_it_holds_a_message(scaled: Scaled) -> None:
    """The message in flight fails for its sender and is not kept; the conversation's lock, held
    by the dead server, lapses after its lifetime and the next message goes on, in order."""
    sender = "inflight-" + uuid.uuid4().hex[:8]
    assert "LT11" in texts(say(scaled.base, sender, notice_message()))
    locks = redis.Redis(port=6379, db=REDIS_DB)
    outcome: dict[str, Any] = {}

    def in_flight() -> None:
        try:
            outcome["status"] = requests.post(
                f"http://127.0.0.1:{scaled.rasa_ports[0]}/webhooks/rest/webhook", timeout=60,
                json={"sender": sender, "message": "yes"}).status_code
        except requests.ConnectionError:
            outcome["status"] = "connection dropped"

    # The action servers paused: server 0 holds the conversation's lock while it waits on them.
    paused = [pid_listening_on(port) for port in scaled.action_ports]
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    try:
        thread = threading.Thread(target=in_flight)
        thread.start()
        wait_until(lambda: locks.exists(f"noticebot:lock:{sender_id('rest', sender)}"), 20,
                   "the lock taken")
        os.kill(pid_listening_on(scaled.rasa_ports[0]), signal.SIGKILL)
        thread.join(timeout=30)
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
    assert outcome == {"status": "connection dropped"}

    time.sleep(2)  # the person notices and sends it again
    started = time.monotonic()
    said = texts(say(scaled.base, sender, "yes"))  # nginx: to server 1
    waited = time.monotonic() - started
    assert APOLOGY not in said
    assert "pay the full amount" in said
    assert 5 < waited < LOCK_LIFETIME + 10, waited  # it waited for the dead server's ticket
    assert stored_user_texts(scaled, scaled.rasa_ports[1], sender) == [notice_message(), "yes"]


def test_action_servers_down_get_an_apology_then_conversations_go_on(scaled: Scaled) -> None:
    sender = "actions-" + uuid.uuid4().hex[:8]
    launch = launch_of(pid_listening_on(scaled.action_ports[0]))
    for port in scaled.action_ports:
        os.kill(pid_listening_on(port), signal.SIGTERM)
    wait_until(lambda: not any(_answers(f"http://127.0.0.1:{p}/health")
                               for p in scaled.action_ports), 30, "action servers stopped")
    response = requests.post(f"{scaled.base}/webhooks/rest/webhook", timeout=60,
                             headers=rest_headers(),
                             json={"sender": sender, "message": notice_message()})
    assert response.status_code == 200
    said = texts(response.json())
    assert APOLOGY in said
    assert "Taxpayer Advocate Service" in said  # how to reach a person (no firm configured)
    assert "Traceback" not in said

    port = scaled.action_ports[0]
    scaled.start_again(launch)
    wait_until(lambda: _answers(f"http://127.0.0.1:{port}/health"), 120, "action server back")
    time.sleep(11)  # nginx retries a failed server after fail_timeout (10 s)
    said = texts(say(scaled.base, sender, notice_message(days_ago=4)))
    assert APOLOGY not in said
    assert "Collection Due Process" in said


@pytest.mark.parametrize("service", ["postgres", "redis"])
def test_a_store_going_away_mid_run_gets_an_apology_then_conversations_go_on(
    scaled: Scaled, service: str,
) -> None:
    proxy: TcpProxy = getattr(scaled, service)
    sender = f"{service}-" + uuid.uuid4().hex[:8]
    assert "LT11" in texts(say(scaled.base, sender, notice_message()))
    before = len(scaled.log())
    proxy.cut()
    try:
        response = requests.post(f"{scaled.base}/webhooks/rest/webhook", timeout=90,
                                 headers=rest_headers(),
                                 json={"sender": sender, "message": "yes"})
        assert response.status_code == 200
        assert APOLOGY in texts(response.json())
    finally:
        proxy.restore()
    assert "the person was told" in scaled.log()[before:]
    # Back: the conversation goes on (a pooled connection broken by the cut may fail once).
    for _attempt in range(3):
        said = texts(say(scaled.base, sender, "yes"))
        if APOLOGY not in said:
            break
    assert "pay the full amount" in said


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


@pytest.mark.parametrize(("variable", "value"), [
    ("DATABASE_URL", "postgresql://postgres@127.0.0.1:{port}/noticebot"),
    ("REDIS_PORT", "{port}"),
])
def test_an_unreachable_store_at_start_is_named(tmp_path: Path, variable: str,
                                                value: str) -> None:
    closed = free_port()
    env = {**os.environ, "PATH": VENV_PATH, "SCALED_RUN_DIR": str(tmp_path),
           variable: value.format(port=closed)}
    result = subprocess.run([str(PROJECT_ROOT / "scripts" / "run_scaled.sh")], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    named = "DATABASE_URL" if variable == "DATABASE_URL" else "REDIS_PORT"
    assert named in result.stderr
    # The cause too, not only the setting: the port it tried and that nothing listens there.
    assert f"{closed}" in result.stderr and "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr
