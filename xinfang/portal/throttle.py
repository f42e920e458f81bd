"""Fixed-window counters in the database, so every process of the site shares them."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Throttle


def _window(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def count(key: str, seconds: int, now: dt.datetime) -> int:
    row = Throttle.objects.filter(key=key, window_start=_window(now, seconds)).first()
    return row.hits if row else 0


def hit(key: str, seconds: int, now: dt.datetime) -> int:
    """Count one hit for ``key`` in the current window and return the window's total."""
    start = _window(now, seconds)
    with transaction.atomic():
        updated = Throttle.objects.filter(key=key, window_start=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    Throttle.objects.create(key=key, window_start=start, hits=1)
            except IntegrityError:  # another request created it first
                Throttle.objects.filter(key=key, window_start=start).update(hits=F("hits") + 1)
    return count(key, seconds, now)


def retry_minutes(seconds: int, now: dt.datetime) -> int:
    left = _window(now, seconds) + dt.timedelta(seconds=seconds) - now
    return max(1, int(left.total_seconds() // 60) + 1)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def spend(key: str) -> bool:
    """True the first time ``key`` is spent, False ever after (a one-time token)."""
    try:
        with transaction.atomic():
            Throttle.objects.create(key=key, window_start=EPOCH, hits=1)
    except IntegrityError:
        return False
    return True


def address_key(address: str) -> str:
    """The unit an address is counted by: an IPv4 address, or the /64 network of an IPv6 one (a single
    household or attacker is usually given a whole /64, so counting single IPv6 addresses counts nothing)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped or parsed) if isinstance(parsed, ipaddress.IPv6Address) else str(parsed)
