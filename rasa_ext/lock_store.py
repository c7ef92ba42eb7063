"""Rasa's Redis lock store, made atomic: one Redis script each to take a ticket, to check it and
to give it back.

Several Rasa servers take turns on a conversation with tickets in Redis. Rasa 3.6's
``RedisLockStore`` reads the conversation's lock, changes it in Python and writes it back
(``issue_ticket``, ``update_lock``, ``cleanup``), so two servers that take a ticket at the same
moment can both read the same lock and both get the same number, and both process a message of
the same conversation at once (RasaHQ/rasa#9213); a release can also delete a ticket another
server has just taken. Here each of the three steps is a Lua script that Redis runs alone:

- ``ISSUE``: drops the expired tickets, numbers the new ticket from a counter that never goes
  back (``<prefix>ticket:<conversation>``; Rasa's numbers restart at 0 when the queue empties,
  so a late holder could release a newer message's ticket) and appends it. Tickets are served in
  the order they were issued: the order the messages reached Redis.
- ``CHECK``: drops the expired tickets; answers whether the ticket is first in line (acquired),
  still waiting, or gone; renews a ticket that is still there (its lifetime now counts from
  this check: a waiter polls every quarter second, so only a server that stopped polling, or a
  holder that runs longer than the lifetime, lets its ticket lapse).
- ``RELEASE``: removes the ticket (and the expired ones); deletes the lock when none is left.

The lock keeps Rasa's JSON layout under ``<prefix>lock:<conversation>`` (``get_lock`` still
reads it) and expires on its own once its last ticket has.

A message whose ticket is gone while it waits (its own lifetime passed) gives up with Rasa's
``LockError``: the channel then tells the person something went wrong, and their next message is
served at once. (Rasa 3.6 would make it wait until its HTTP request is cancelled when both its
ticket and the one ahead lapse in the same second.)
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# How often a waiting message asks whether its turn has come (Rasa waits a second).
WAIT_SECONDS = 0.25
# The ticket counter outlives the lock by this long (a day): numbers never repeat in practice.
COUNTER_SECONDS = 24 * 60 * 60

# Shared by the scripts: read the lock (KEYS[1]) without its expired tickets; write it back,
# expiring with its last ticket, or delete it when it holds none.
_COMMON = """
local function load(now)
  local kept = {}
  local raw = redis.call('GET', KEYS[1])
  if raw then
    for _, encoded in ipairs(cjson.decode(raw).tickets or {}) do
      local ticket = cjson.decode(encoded)
      if tonumber(ticket.expires) >= now then table.insert(kept, ticket) end
    end
  end
  return kept
end
local function store(tickets, now, conversation)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return
  end
  local encoded, last = {}, now
  for i, ticket in ipairs(tickets) do
    encoded[i] = cjson.encode({number = ticket.number, expires = ticket.expires})
    if ticket.expires > last then last = ticket.expires end
  end
  local ttl = math.max(1, math.ceil((last - now) * 1000)) + 1000
  redis.call('SET', KEYS[1], cjson.encode({conversation_id = conversation, tickets = encoded}),
             'PX', ttl)
end
"""

# KEYS: lock, counter. ARGV: now, lifetime, conversation id, counter lifetime (s).
ISSUE = _COMMON + """
local now, lifetime = tonumber(ARGV[1]), tonumber(ARGV[2])
local tickets = load(now)
local number = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
table.insert(tickets, {number = number, expires = now + lifetime})
store(tickets, now, ARGV[3])
return number
"""

# KEYS: lock. ARGV: now, ticket, lifetime, conversation id. Returns 1 (its turn), 0 (waiting)
# or -1 (the ticket is gone).
CHECK = _COMMON + """
local now, number, lifetime = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tickets = load(now)
local status = -1
for i, ticket in ipairs(tickets) do
  if ticket.number == number then
    ticket.expires = math.max(ticket.expires, now + lifetime)
    status = (i == 1) and 1 or 0
  end
end
store(tickets, now, ARGV[4])
return status
"""

# KEYS: lock. ARGV: now, ticket, conversation id. Returns how many tickets are left.
RELEASE = _COMMON + """
local now, number = tonumber(ARGV[1]), tonumber(ARGV[2])
local kept = {}
for _, ticket in ipairs(load(now)) do
  if ticket.number ~= number then table.insert(kept, ticket) end
end
store(kept, now, ARGV[3])
return #kept
"""

ACQUIRED, WAITING, GONE = 1, 0, -1


class QueueSafeRedisLockStore(RedisLockStore):
    """The Redis lock store of ``endpoints.scaled.yml`` (same settings as Rasa's ``redis``),
    every change of a lock made by one Redis script."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)
        self.counter_prefix = self.key_prefix.removesuffix("lock:") + "ticket:"
        self._issue = self.red.register_script(ISSUE)
        self._check = self.red.register_script(CHECK)
        self._release = self.red.register_script(RELEASE)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket at the end of the conversation's queue (one script: atomic)."""
        try:
            return int(self._issue(
                keys=[self.key_prefix + conversation_id, self.counter_prefix + conversation_id],
                args=[time.time(), lock_lifetime, conversation_id, COUNTER_SECONDS]))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def check_ticket(self, conversation_id: str, ticket: int,
                     lock_lifetime: float = LOCK_LIFETIME) -> int:
        """``ACQUIRED`` when the ticket is first in line, ``WAITING`` or ``GONE``; renews it."""
        return int(self._check(keys=[self.key_prefix + conversation_id],
                               args=[time.time(), ticket, lock_lifetime, conversation_id]))

    def release_ticket(self, conversation_id: str, ticket: int) -> int:
        """Give the ticket back; the lock goes when no ticket is left. Returns those left."""
        return int(self._release(keys=[self.key_prefix + conversation_id],
                                 args=[time.time(), ticket, conversation_id]))

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = WAIT_SECONDS,
                   ) -> AsyncGenerator[TicketLock, None]:
        """Take a ticket, wait for its turn, give it back at the end (even on an error)."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock_lifetime,
                                            wait_time_in_seconds)
        finally:
            try:
                self.release_ticket(conversation_id, ticket)
            except Exception as error:  # the ticket lapses on its own
                logger.error("Could not give back the lock of a conversation (%s: %s).",
                             type(error).__name__, error)

    async def _wait_for_turn(self, conversation_id: str, ticket: int, lock_lifetime: float,
                             wait_time_in_seconds: float) -> TicketLock:
        while True:
            status = self.check_ticket(conversation_id, ticket, lock_lifetime)
            if status == ACQUIRED:
                return self.get_lock(conversation_id) or TicketLock(conversation_id)
            if status == GONE:
                logger.error("A message waited longer than its lock's lifetime "
                             "(TICKET_LOCK_LIFETIME) for its conversation; it is not processed.")
                raise LockError(
                    f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(wait_time_in_seconds)

    # Rasa's read-change-write steps are not used by ``lock``; they are kept atomic too.
    def update_lock(self, conversation_id: str) -> None:
        """Drop the expired tickets (a check of a ticket that cannot exist)."""
        self.check_ticket(conversation_id, -1)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back."""
        self.release_ticket(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock goes when no ticket is left."""
        self.release_ticket(conversation_id, ticket_number)

    def tickets(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's tickets as stored (for tests and diagnosis)."""
        raw = self.red.get(self.key_prefix + conversation_id)
        if not raw:
            return []
        return [json.loads(t) for t in json.loads(raw)["tickets"]]


class GivesUpWhenItsTicketExpires(LockStore):
    """``LockStore._acquire_lock`` that raises ``LockError`` once the waiter's ticket is gone
    (the waiting rule above, over Rasa's read-change-write steps: for a store without scripts,
    e.g. Rasa's in-memory one in a single process)."""

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
