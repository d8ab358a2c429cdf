"""The load model (svarbelastning): how much answering a week's posts bring, and how much
the people on duty can answer within the channels' response-time targets.

Every planned post on a dialogue channel brings questions and comments. The model counts,
in hours of answering work:

    load of a post = channel weight × kind factor × urgency × peak factor

* **channel weight** – expected hours of answering one post brings on that type of
  channel (a Facebook post draws more than a blog post);
* **kind factor** – reactive information (reaktiv) draws more questions than proactive;
* **urgency** = reference hours ÷ the channel's response time, kept between a floor and a
  ceiling: a channel promising an answer within 4 hours must be watched twice as closely
  as one promising 8 hours (the reference, one working day);
* **peak factor** – inside a known peak period every post draws more.

Capacity is what the people on duty can answer: hours per working day for the main
responsible (hovedansvarlig) and for each backup, counted on the days they are at work.
A week whose load exceeds its capacity is flagged. The weights are kept per municipality
(``Organisation.settings["load_model"]``) and explained on the staffing page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_CHANNEL_WEIGHTS: dict[str, float] = {
    "nettsamfunn": 1.5,
    "delingsmedium": 1.0,
    "mikroblogg": 0.75,
    "blogg": 0.5,
    "diskusjonsforum": 2.0,
    "wiki": 0.25,
}
DEFAULT_KIND_FACTORS: dict[str, float] = {"proaktiv": 1.0, "fortløpende": 1.0, "reaktiv": 1.5}

#: Norwegian labels for the channel types and kinds the model weighs.
CHANNEL_TYPE_LABELS = {
    "nettsamfunn": "Nettsamfunn (Facebook, LinkedIn)",
    "delingsmedium": "Delingsmedier (Instagram, YouTube, Snapchat, TikTok)",
    "mikroblogg": "Mikroblogg (X)",
    "blogg": "Blogg",
    "diskusjonsforum": "Diskusjonsforum",
    "wiki": "Wiki",
}
KIND_LABELS = {"proaktiv": "Proaktiv", "fortløpende": "Fortløpende", "reaktiv": "Reaktiv"}
SCALAR_LABELS = {
    "peak_factor": "Faktor i toppbelastninger",
    "reference_hours": "Referansesvartid (timer)",
    "min_urgency": "Laveste hastefaktor",
    "max_urgency": "Høyeste hastefaktor",
    "hours_main": "Svartimer per arbeidsdag, hovedansvarlig",
    "hours_backup": "Svartimer per arbeidsdag, backup",
}

#: Bounds for every number in the model (the settings form refuses values outside them).
LIMITS: dict[str, tuple[float, float]] = {
    "weight": (0.0, 50.0),
    "factor": (0.0, 10.0),
    "hours": (0.0, 24.0),
    "reference_hours": (1.0, 168.0),
}


class LoadModelError(ValueError):
    """A load model setting out of bounds (message in Norwegian)."""


def _number(value: Any, name: str, bounds: tuple[float, float]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LoadModelError(f"«{name}» må være et tall.")
    low, high = bounds
    if not low <= float(value) <= high:
        raise LoadModelError(f"«{name}» må være mellom {low:g} og {high:g}.")
    return float(value)


@dataclass(frozen=True)
class LoadModel:
    """The weights of the load model; defaults are a reasonable start for a small team."""

    channel_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CHANNEL_WEIGHTS)
    )
    kind_factors: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_FACTORS))
    peak_factor: float = 2.0
    reference_hours: float = 8.0
    min_urgency: float = 0.5
    max_urgency: float = 2.0
    hours_main: float = 2.0
    hours_backup: float = 1.0

    # ------------------------------------------------------------------ settings

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> LoadModel:
        """Build the model from ``Organisation.settings["load_model"]``; missing keys take
        the defaults. Raises :class:`LoadModelError` for values out of bounds."""
        model = cls()
        if not settings:
            return model
        weights = dict(model.channel_weights)
        for key, value in dict(settings.get("channel_weights") or {}).items():
            if key in weights:
                weights[key] = _number(value, CHANNEL_TYPE_LABELS[key], LIMITS["weight"])
        kinds = dict(model.kind_factors)
        for key, value in dict(settings.get("kind_factors") or {}).items():
            if key in kinds:
                kinds[key] = _number(value, KIND_LABELS[key], LIMITS["factor"])
        values: dict[str, Any] = {"channel_weights": weights, "kind_factors": kinds}
        for name, bounds in (
            ("peak_factor", LIMITS["factor"]),
            ("reference_hours", LIMITS["reference_hours"]),
            ("min_urgency", LIMITS["factor"]),
            ("max_urgency", LIMITS["factor"]),
            ("hours_main", LIMITS["hours"]),
            ("hours_backup", LIMITS["hours"]),
        ):
            if name in settings:
                values[name] = _number(settings[name], SCALAR_LABELS[name], bounds)
        result = replace(model, **values)
        if result.min_urgency > result.max_urgency:
            raise LoadModelError("Laveste hastefaktor kan ikke være større enn høyeste.")
        return result

    @classmethod
    def from_settings_or_default(cls, settings: Mapping[str, Any] | None) -> LoadModel:
        """Like :meth:`from_settings`, but a broken stored setting falls back to defaults."""
        try:
            return cls.from_settings(settings)
        except LoadModelError:
            return cls()

    def to_settings(self) -> dict[str, Any]:
        """The model as a JSON-able dict for ``Organisation.settings["load_model"]``."""
        return {
            "channel_weights": dict(self.channel_weights),
            "kind_factors": dict(self.kind_factors),
            "peak_factor": self.peak_factor,
            "reference_hours": self.reference_hours,
            "min_urgency": self.min_urgency,
            "max_urgency": self.max_urgency,
            "hours_main": self.hours_main,
            "hours_backup": self.hours_backup,
        }

    # ------------------------------------------------------------------ the model

    def urgency(self, response_hours: float) -> float:
        """How closely a channel must be watched: reference ÷ response time, bounded.

        A channel without a stated response time (0) counts as the reference."""
        if response_hours <= 0:
            return 1.0
        raw = self.reference_hours / response_hours
        return min(self.max_urgency, max(self.min_urgency, raw))

    def channel_load(self, channel_type: str, response_hours: float, kind: str) -> float:
        """Hours of answering one post brings on one dialogue channel (outside peaks)."""
        weight = self.channel_weights.get(channel_type, 0.0)
        return weight * self.kind_factors.get(kind, 1.0) * self.urgency(response_hours)

    def hours_for(self, role: str) -> float:
        """Answering hours per working day for a person in ``role``."""
        return self.hours_main if role == "main" else self.hours_backup
