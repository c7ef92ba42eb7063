"""The lock store's waiting: a server that died holding a conversation's lock, and the next
message of that conversation on another server."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore
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
