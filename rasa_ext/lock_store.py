"""Rasa's Redis lock store, minus a wait that never ends.

Several Rasa servers take turns on a conversation with tickets in Redis; each ticket expires
after ``TICKET_LOCK_LIFETIME`` seconds (60 by default), so the ticket of a server that died while
it held the lock is dropped in the end. In Rasa 3.6 a message waiting behind that ticket checks
once per second; when its own ticket expires in the same second as the dead one (the person sent
their next message right after the failed one), both are dropped together, the waiter's number
is never served, and the message waits until the HTTP request is cancelled (nginx's 120 s, then
a 504). Here a waiter whose own ticket has expired gives up with Rasa's ``LockError``: the
channel then tells the person something went wrong, and their next message is served at once.
Taking a new ticket instead would put the message behind ones sent after it.
"""

from __future__ import annotations

import asyncio
import logging

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class GivesUpWhenItsTicketExpires(LockStore):
    """``LockStore._acquire_lock`` that raises ``LockError`` once the waiter's ticket is gone."""

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):  # (which drops the expired tickets)
                return lock
            if all(issued.number != ticket for issued in lock.tickets):
                logger.error("A message waited longer than its lock's lifetime "
                             "(TICKET_LOCK_LIFETIME) for its conversation; it is not processed.")
                break
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")


class QueueSafeRedisLockStore(GivesUpWhenItsTicketExpires, RedisLockStore):
    """The Redis lock store of ``endpoints.scaled.yml`` (same settings as Rasa's ``redis``)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)
