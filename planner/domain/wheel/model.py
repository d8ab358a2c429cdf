"""The årshjul's vocabulary: what goes into a wheel layout and what comes out of it.

Inputs are the rings (kanal, målgruppe or virksomhetsområde), the occurrences of posts
(``WheelItem``), periods (peak periods, school and common holidays) and the window (a year,
a quarter or a month); outputs are the shapes of the picture with their coordinates. See
``planner.domain.wheel.layout`` for the layout itself.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

GAP = 24.0  # degrees at twelve o'clock kept free for the ring names
BASE_SIZE = 1000.0  # the picture's side (SVG user units) for up to ~27 rings
HOLE = 100.0  # radius of the centre (year label, "today" label)
OUTER = 100.0  # from the outer edge of the rings to the edge of the picture
MIN_RING = 11.0  # a ring is never thinner than this; the picture grows instead
MAX_RING = 64.0
SPAN_DAYS = 7  # posts longer than this are drawn as arcs
SPAN_LANES = 2
MIN_DAY_TILE = 6.0  # arc length a day needs before marks are drawn at their own day
TILE_GAP = 0.7  # arc length left free on each side of a mark
DEFAULT_STACK = {"year": 3, "quarter": 5, "month": 7}


# --------------------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class Ring:
    """A ring of the wheel: one channel (kanal), audience (målgruppe) or service area."""

    key: str
    label: str
    colour: str
    read_only: bool = False


@dataclass(slots=True)
class WheelItem:
    """One occurrence of a post (or a read-only outside event) and the rings it belongs in.

    ``start``/``end`` are naive Oslo wall-clock datetimes; for all-day items ``end`` is the
    last day (inclusive), as on the Post model.
    """

    id: int
    title: str
    start: datetime
    end: datetime
    ring_keys: tuple[str, ...]
    all_day: bool = True
    status: str = "planlagt"
    kind: str = "proaktiv"
    channels: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    recurring: bool = False
    moved: bool = False
    source: str = ""  # the outside calendar of a read-only event

    def content(self) -> tuple[object, ...]:
        """Everything about the item that shows on the wheel (to tell when a ring's marks
        can be reused from an earlier layout)."""
        return (
            self.id,
            self.title,
            self.start,
            self.end,
            self.all_day,
            self.status,
            self.kind,
            self.channels,
            self.audiences,
            self.recurring,
            self.moved,
            self.source,
        )

    @property
    def first_day(self) -> date:
        """The first calendar day the item covers."""
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day the item covers (a timed item ending at midnight ends the
        day before)."""
        last = self.end.date()
        if not self.all_day and self.end.time() == time() and last > self.start.date():
            last -= timedelta(days=1)
        return max(last, self.start.date())


@dataclass(frozen=True, slots=True)
class Period:
    """A date range drawn as a band: a peak period (toppbelastning), a school holiday
    (skoleferie), a common holiday (fellesferie) or another holiday period."""

    name: str
    start: date
    end: date
    kind: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Window:
    """The dates the wheel shows: a whole year, a quarter (``k1``–``k4``) or a month
    (``m1``–``m12``)."""

    year: int
    start: date
    end: date
    zoom: str | None = None

    @property
    def kind(self) -> str:
        """``year``, ``quarter`` or ``month``."""
        if self.zoom is None:
            return "year"
        return "quarter" if self.zoom.startswith("k") else "month"

    @property
    def days(self) -> int:
        """Number of days shown."""
        return (self.end - self.start).days + 1


def parse_zoom(zoom: str | None) -> str | None:
    """Normalise a zoom argument (``K2``, ``m03`` …) or return None when it is not one."""
    if not zoom:
        return None
    text = zoom.strip().lower()
    if len(text) < 2 or text[0] not in "km" or not text[1:].isdigit():
        return None
    number = int(text[1:])
    if (text[0] == "k" and 1 <= number <= 4) or (text[0] == "m" and 1 <= number <= 12):
        return f"{text[0]}{number}"
    return None


def zoom_window(year: int, zoom: str | None = None) -> Window:
    """The window for ``year`` and a zoom key; an unknown zoom shows the whole year."""
    key = parse_zoom(zoom)
    if key is None:
        return Window(year, date(year, 1, 1), date(year, 12, 31))
    number = int(key[1:])
    first_month, last_month = (3 * number - 2, 3 * number) if key[0] == "k" else (number, number)
    last_day = calendar.monthrange(year, last_month)[1]
    return Window(year, date(year, first_month, 1), date(year, last_month, last_day), key)


def neighbour_zoom(year: int, zoom: str | None, step: int) -> tuple[int, str | None]:
    """The window before (``step=-1``) or after (``step=1``) this one: the previous year,
    quarter or month, crossing New Year when needed."""
    key = parse_zoom(zoom)
    if key is None:
        return year + step, None
    count = 4 if key[0] == "k" else 12
    index = (year * count + int(key[1:]) - 1) + step
    return index // count, f"{key[0]}{index % count + 1}"


# --------------------------------------------------------------------------- output


@dataclass(frozen=True, slots=True)
class Sector:
    """A month (or a day, zoomed to one month) on the month ring, with its shading."""

    first: date
    last: date
    label: str
    path: str
    background: str
    shaded: bool
    label_x: float
    label_y: float
    label_rotate: float
    label_size: float
    line: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class WeekTick:
    """An ISO week: the tick at its Monday, a faint line across the rings, its number."""

    iso_year: int
    week: int
    first: date
    last: date
    tick: tuple[float, float, float, float] | None
    grid: tuple[float, float, float, float] | None
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class RingBand:
    """A ring's band with its name in the gap at the top."""

    ring: Ring
    index: int
    r_in: float
    r_out: float
    path: str
    label: str
    label_x: float
    label_y: float
    label_size: float
    lanes: int


@dataclass(slots=True)
class Mark:
    """What is drawn for posts in a ring: one post (``post``), one post over more than a
    week (``span``), or several posts of one ISO week counted together (``aggregate``).

    ``first``/``last`` are the days the mark stands for (clipped to the window); for an
    aggregate, the week. The shape is the annular sector ``r0..r1`` × ``a0..a1`` (``path``);
    ``cx``/``cy`` is its centre, where an aggregate's count is written in ``font_size``.
    """

    ring_key: str
    ring_index: int
    kind: str
    items: tuple[WheelItem, ...]
    first: date
    last: date
    iso_year: int
    week: int
    r0: float
    r1: float
    a0: float
    a1: float
    path: str
    cx: float
    cy: float
    font_size: float = 0.0

    @property
    def count(self) -> int:
        """How many posts the mark stands for."""
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Band:
    """A shaded period: a peak period across the rings, or a holiday in the holiday band."""

    period: Period
    first: date
    last: date
    path: str


@dataclass(frozen=True, slots=True)
class HolidayMark:
    """A public holiday (helligdag) on the outer half of the holiday band."""

    day: date
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class TodayMarker:
    """The line at today's date and where its label goes."""

    day: date
    line: tuple[float, float, float, float]
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class WheelLayout:
    """Everything the renderer draws, in SVG user units (square picture of ``size``)."""

    window: Window
    size: float
    cx: float
    cy: float
    radii: dict[str, float]
    sectors: list[Sector]
    weeks: list[WeekTick]
    rings: list[RingBand]
    marks: list[Mark]
    peaks: list[Band]
    holidays: list[Band]
    public_holidays: list[HolidayMark]
    today: TodayMarker | None
    stack_limit: int
    items_shown: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # Per ring, everything its marks were drawn from (equal signatures, equal marks).
    ring_signatures: list[object] = field(default_factory=list)
