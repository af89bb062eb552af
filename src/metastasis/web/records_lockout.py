"""When to try signing in again, said the same way whether or not the email has an account.

The store locks an account after repeated failures (:func:`metastasis.store.accounts.lock_time`: 5 free, then 1
minute doubling, at most 24 hours) but, rightly, does not say so: its refusal reads the same for a wrong password,
an unknown email and a locked account. To tell a person when to try again without revealing whether the email
exists, the sign-in page counts failures per email itself (existing or not) and applies the store's own rule to
that count. Both counts move together for a real account signing in through this server, so the time shown is
the store's, or later (a correct password refused during a lock counts here, not there). The count lives in
memory, bounded to :data:`MAX_KEYS` emails, and is keyed by a digest, not the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict

from metastasis.store.accounts import lock_time

MAX_KEYS = 10_000
#: A count is forgotten this long after its last failure (the longest lock is 24 hours).
FORGET_AFTER = dt.timedelta(hours=25)


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8", "backslashreplace")).hexdigest()


class LoginLockout:
    """Failed sign-ins per email (by digest): the time after which trying again can succeed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, tuple[int, dt.datetime]] = OrderedDict()

    def failed(self, email: str, now: dt.datetime) -> dt.datetime | None:
        """Count a failure; returns until when the email is locked (``None`` when it is not).

        Example
        -------
        >>> guard, t = LoginLockout(), dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
        >>> [guard.failed("a@b.org", t) for _ in range(4)]
        [None, None, None, None]
        >>> guard.failed("a@b.org", t)
        datetime.datetime(2026, 1, 1, 9, 1, tzinfo=datetime.timezone.utc)
        """
        key = _key(email)
        with self._lock:
            count, last = self._seen.pop(key, (0, now))
            count = 0 if now - last > FORGET_AFTER else count
            self._seen[key] = (count + 1, now)
            while len(self._seen) > MAX_KEYS:
                self._seen.popitem(last=False)
        wait = lock_time(count + 1)
        return now + wait if wait else None

    def locked_until(self, email: str, now: dt.datetime) -> dt.datetime | None:
        """Until when the email is locked, or ``None``."""
        with self._lock:
            count, last = self._seen.get(_key(email), (0, now))
        wait = lock_time(count)
        return last + wait if wait and last + wait > now else None

    def succeeded(self, email: str) -> None:
        """A successful sign-in clears the count (as the store does)."""
        with self._lock:
            self._seen.pop(_key(email), None)


def try_again_words(until: dt.datetime, now: dt.datetime) -> str:
    """``"after 14:32 UTC (in about 2 minutes)"``."""
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    span = f"{minutes} minute{'' if minutes == 1 else 's'}" if minutes < 120 else f"{round(minutes / 60)} hours"
    return f"after {until:%H:%M} UTC (in about {span})"
