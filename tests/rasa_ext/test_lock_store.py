"""The lock store: a server that died holding a conversation's lock, and the next message of that
conversation on another server; tickets taken by two servers at the same instant (one Redis
script per step, on the local Redis)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.lock_store import GivesUpWhenItsTicketExpires, QueueSafeRedisLockStore


class MemoryStore(GivesUpWhenItsTicketExpires, InMemoryLockStore):
    """The project's waiting over Rasa's in-memory store (the same code runs over Redis)."""


async def next_message(store: LockStore, lifetime: float, poll: float) -> float:
    """A ticket dies unserved (its server was killed); the next message then waits for the lock.
    Returns how long it waited."""
    store.issue_ticket("c", lock_lifetime=0.3)  # the dead server's, never finished
    started = time.monotonic()
    async with store.lock("c", lock_lifetime=lifetime, wait_time_in_seconds=poll):
        return time.monotonic() - started


def test_rasas_own_store_waits_forever_when_both_tickets_expire_between_two_checks() -> None:
    # Why the project has its own: the waiter's ticket (0.35 s) expires before its first check
    # (0.5 s), together with the dead one; Rasa then never serves it.
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(next_message(InMemoryLockStore(), 0.35, 0.5), timeout=2))


def test_a_waiter_whose_ticket_expired_gives_up_with_a_lock_error() -> None:
    started = time.monotonic()
    with pytest.raises(LockError):
        asyncio.run(next_message(MemoryStore(), 0.35, 0.5))
    assert time.monotonic() - started < 1.5


def test_a_waiter_gets_the_lock_once_the_dead_servers_ticket_expires() -> None:
    waited = asyncio.run(next_message(MemoryStore(), 5.0, 0.1))
    assert 0.2 < waited < 1.0


def test_a_waiter_gets_the_lock_when_the_holder_finishes() -> None:
    store = MemoryStore()
    order: list[str] = []

    async def holder() -> None:
        async with store.lock("c", wait_time_in_seconds=0.05):
            await asyncio.sleep(0.3)
            order.append("first")

    async def waiter() -> None:
        await asyncio.sleep(0.05)
        async with store.lock("c", wait_time_in_seconds=0.05):
            order.append("second")

    async def both() -> None:
        await asyncio.gather(holder(), waiter())

    asyncio.run(both())
    assert order == ["first", "second"]
    assert store.get_lock("c") is None  # cleaned up


def test_the_redis_store_is_built_from_the_endpoint_settings() -> None:
    config = EndpointConfig.from_dict({
        "type": "rasa_ext.lock_store.QueueSafeRedisLockStore", "url": "redis.internal",
        "port": 6380, "db": 4, "key_prefix": "noticebot",
    })
    store = QueueSafeRedisLockStore(endpoint_config=config)
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.internal", 6380, 4)
    assert store.key_prefix == "noticebot:lock:"


# ------------------------------------------------------------------ the atomic store on Redis

REDIS_DB = 5


@pytest.fixture()
def redis_prefix() -> Iterator[str]:
    """A fresh key prefix on the local Redis (db 5); skipped when Redis is not there, except
    with CI=true."""
    import redis

    client = redis.Redis(port=6379, db=REDIS_DB, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis on 127.0.0.1:6379 is not reachable ({error}); CI=true needs it")
        pytest.skip(f"Redis on 127.0.0.1:6379 is not reachable ({error})")
    prefix = "t" + uuid.uuid4().hex[:12]
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


def store_for(prefix: str) -> QueueSafeRedisLockStore:
    return QueueSafeRedisLockStore(EndpointConfig.from_dict({
        "type": "rasa_ext.lock_store.QueueSafeRedisLockStore", "url": "127.0.0.1",
        "port": 6379, "db": REDIS_DB, "key_prefix": prefix}))


def test_rasas_redis_store_hands_two_servers_the_same_ticket(redis_prefix: str) -> None:
    # Why the project's store is atomic: Rasa reads, changes and writes the lock; two servers
    # that read it before either writes both get ticket 0 (RasaHQ/rasa#9213).
    first = RedisLockStore(port=6379, db=REDIS_DB, key_prefix=redis_prefix)
    second = RedisLockStore(port=6379, db=REDIS_DB, key_prefix=redis_prefix)
    seen_by_first = first.get_or_create_lock("c")
    seen_by_second = second.get_or_create_lock("c")
    numbers = [seen_by_first.issue_ticket(60), seen_by_second.issue_ticket(60)]
    first.save_lock(seen_by_first)
    second.save_lock(seen_by_second)
    assert numbers == [0, 0]
    stored = first.get_lock("c")
    assert stored is not None and len(stored.tickets) == 1  # one of the two tickets is lost


def test_tickets_taken_at_the_same_instant_by_two_servers_are_all_different(
        redis_prefix: str) -> None:
    stores = [store_for(redis_prefix), store_for(redis_prefix)]
    barrier = threading.Barrier(16)
    numbers: list[int] = []
    guard = threading.Lock()

    def take(store: QueueSafeRedisLockStore) -> None:
        barrier.wait()
        mine = [store.issue_ticket("c", 60) for _ in range(25)]
        with guard:
            numbers.extend(mine)

    threads = [threading.Thread(target=take, args=(stores[i % 2],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 400 and len(set(numbers)) == 400
    assert [t["number"] for t in stores[0].tickets("c")] == sorted(numbers)  # in issue order


def test_the_queue_is_served_in_issue_order_and_released_atomically(redis_prefix: str) -> None:
    store = store_for(redis_prefix)
    first, second, third = (store.issue_ticket("c", 60) for _ in range(3))
    assert [store.check_ticket("c", t) for t in (first, second, third)] == [1, 0, 0]
    assert store.release_ticket("c", first) == 2
    assert [store.check_ticket("c", t) for t in (second, third)] == [1, 0]
    store.release_ticket("c", second)
    assert store.release_ticket("c", third) == 0
    assert store.red.exists(store.key_prefix + "c") == 0  # no ticket left: no lock
    # Numbers never go back, even once the queue was empty.
    assert store.issue_ticket("c", 60) > third


def test_a_lapsed_holder_is_skipped_and_a_polling_waiter_stays_in_line(redis_prefix: str) -> None:
    store = store_for(redis_prefix)
    dead = store.issue_ticket("c", 0.3)  # its server was killed holding the lock
    waiter = store.issue_ticket("c", 0.5)
    for _ in range(4):  # 0.8 s: longer than the waiter's own lifetime, but it keeps asking
        assert store.check_ticket("c", waiter, 0.5) in (0, 1)
        time.sleep(0.2)
    assert store.check_ticket("c", waiter, 0.5) == 1
    assert store.check_ticket("c", dead, 0.5) == -1
    time.sleep(0.6)  # a waiter that stops asking lapses
    assert store.check_ticket("c", waiter, 0.5) == -1


def test_messages_on_two_servers_take_turns_in_the_order_they_arrived(redis_prefix: str) -> None:
    """Ten holders across two stores (two event loops in two threads, like two servers): never
    two inside the lock at once, and served in the order their tickets were issued."""
    stores = [store_for(redis_prefix), store_for(redis_prefix)]
    inside: list[int] = []
    served: list[int] = []
    issued: list[int] = []
    overlaps: list[int] = []
    guard = threading.Lock()
    original = QueueSafeRedisLockStore.issue_ticket

    def recording_issue(self: QueueSafeRedisLockStore, conversation_id: str,
                        lock_lifetime: float = 60) -> int:
        number = original(self, conversation_id, lock_lifetime)
        with guard:
            issued.append(number)
        return number

    async def message(store: QueueSafeRedisLockStore, index: int) -> None:
        async with store.lock("c", lock_lifetime=10, wait_time_in_seconds=0.02):
            with guard:
                if inside:
                    overlaps.append(index)
                inside.append(index)
                served.append(store.tickets("c")[0]["number"])
            await asyncio.sleep(0.05)
            with guard:
                inside.remove(index)

    def server(store: QueueSafeRedisLockStore, indexes: list[int]) -> None:
        async def all_of_them() -> None:
            await asyncio.gather(*(message(store, i) for i in indexes))
        asyncio.run(all_of_them())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QueueSafeRedisLockStore, "issue_ticket", recording_issue)
        threads = [threading.Thread(target=server, args=(stores[n], list(range(n, 10, 2))))
                   for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert overlaps == []
    assert served == sorted(issued) and len(served) == 10
    assert stores[0].red.exists(stores[0].key_prefix + "c") == 0
