"""The plan filter shared by every view, feed and export: channel, audience, service area,
status, kind and free text.

The filter lives in the URL (``?kanal=3&malgruppe=5&omrade=2&status=planlagt&type=proaktiv&q=…``)
so a filtered view can be bookmarked and shared; feeds store the same filter as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from planner.domain.posts.rules import KINDS, STATUSES

Q_MAX = 200


class MultiArgs(Protocol):
    """What we need of Werkzeug's MultiDict (request.args)."""

    def getlist(self, key: str) -> list[str]: ...

    def get(self, key: str, /) -> Any: ...


def _ids(values: list[str]) -> tuple[int, ...]:
    out = []
    for value in values:
        if value.isdigit() and len(value) < 10:
            out.append(int(value))
    return tuple(sorted(set(out)))


@dataclass(frozen=True)
class PlanFilter:
    """Which posts to show. Empty fields mean "all". Ids refer to the organisation's rows."""

    channels: tuple[int, ...] = ()
    audiences: tuple[int, ...] = ()
    service_areas: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    q: str = ""

    @classmethod
    def from_args(cls, args: MultiArgs) -> PlanFilter:
        """Read the filter from URL arguments; unknown or malformed values are ignored."""
        return cls(
            channels=_ids(args.getlist("kanal")),
            audiences=_ids(args.getlist("malgruppe")),
            service_areas=_ids(args.getlist("omrade")),
            statuses=tuple(s for s in STATUSES if s in args.getlist("status")),
            kinds=tuple(k for k in KINDS if k in args.getlist("type")),
            q=(args.get("q") or "").strip()[:Q_MAX],
        )

    def to_args(self) -> dict[str, list[str] | str]:
        """URL arguments for ``url_for`` (only the fields that are set)."""
        args: dict[str, list[str] | str] = {}
        if self.channels:
            args["kanal"] = [str(i) for i in self.channels]
        if self.audiences:
            args["malgruppe"] = [str(i) for i in self.audiences]
        if self.service_areas:
            args["omrade"] = [str(i) for i in self.service_areas]
        if self.statuses:
            args["status"] = list(self.statuses)
        if self.kinds:
            args["type"] = list(self.kinds)
        if self.q:
            args["q"] = self.q
        return args

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (stored with saved filters and feeds)."""
        return {
            "channels": list(self.channels),
            "audiences": list(self.audiences),
            "service_areas": list(self.service_areas),
            "statuses": list(self.statuses),
            "kinds": list(self.kinds),
            "q": self.q,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PlanFilter:
        """The inverse of ``to_json``; tolerant of missing keys."""
        data = data or {}
        return cls(
            channels=tuple(int(i) for i in data.get("channels", ())),
            audiences=tuple(int(i) for i in data.get("audiences", ())),
            service_areas=tuple(int(i) for i in data.get("service_areas", ())),
            statuses=tuple(s for s in data.get("statuses", ()) if s in STATUSES),
            kinds=tuple(k for k in data.get("kinds", ()) if k in KINDS),
            q=str(data.get("q", ""))[:Q_MAX],
        )

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every post through."""
        return self == PlanFilter()
