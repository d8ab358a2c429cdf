"""Small per-app caches keyed on an organisation's data version.

``Organisation.data_version`` is bumped by every change to the organisation's rows (see
``planner.models.events``), so anything computed from them can be kept until the next
change: the drawn wheel (``services.wheel.render``) and the staffing plan (``services.staffing.plan``)
use this. Every lookup reads the version from the database, so several app servers on
one database never serve each other's stale results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, TypeVar, cast

from flask import current_app
from sqlalchemy import select

from planner.extensions import db
from planner.models import Organisation

T = TypeVar("T")


class LRU(MutableMapping[Any, Any]):
    """A small thread-safe least-recently-used mapping (per app, in ``app.extensions``)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def __getitem__(self, key: Any) -> Any:
        with self.lock:
            value = self.data[key]
            self.data.move_to_end(key)
            return value

    def __setitem__(self, key: Any, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def __delitem__(self, key: Any) -> None:
        with self.lock:
            del self.data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)


def app_cache(name: str, size: int) -> LRU:
    """The app's cache called ``name`` (created on first use)."""
    cache = current_app.extensions.get(name)
    if not isinstance(cache, LRU):
        cache = current_app.extensions[name] = LRU(size)
    return cache


def data_version(org_id: int) -> int:
    """The organisation's data version, read from the database (not the identity map)."""
    return int(
        db.session.execute(
            select(Organisation.data_version).where(Organisation.id == org_id)
        ).scalar_one()
    )


def cached_on_version(
    org_id: int, name: str, size: int, key: tuple[Any, ...], build: Callable[[], T]
) -> T:
    """``build()``, or what it gave last time for the same data version and ``key`` (kept
    in the app's cache ``name`` of ``size`` entries)."""
    full_key = (org_id, data_version(org_id), *key)
    cache = app_cache(name, size)
    found = cache.get(full_key)
    if found is None:
        found = cache[full_key] = build()
    return cast(T, found)
