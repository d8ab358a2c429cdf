"""The wheel layout (planner.domain.wheel.layout): pure geometry, no database."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

import pytest

from planner.domain.dates import public_holidays
from planner.domain.wheel.geometry import contrast_text, point, sector_path, tangential_rotation
from planner.domain.wheel.layout import (
    GAP,
    MIN_RING,
    Period,
    Ring,
    WheelItem,
    build_layout,
    neighbour_zoom,
    parse_zoom,
    zoom_window,
)

RINGS = [Ring("1", "Facebook", "#1b4f9c"), Ring("2", "Nettside", "#00594f")]


def item(
    n: int, day: date, rings: tuple[str, ...] = ("1",), days: int = 1, **kw: object
) -> WheelItem:
    start = datetime.combine(day, datetime.min.time())
    return WheelItem(n, f"Innlegg {n}", start, start + timedelta(days=days - 1), rings, **kw)  # type: ignore[arg-type]


def year(y: int = 2026, **kw: object):  # type: ignore[no-untyped-def]
    return build_layout(zoom_window(y), kw.pop("rings", RINGS), kw.pop("items", []), **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- windows


@pytest.mark.parametrize(
    ("zoom", "start", "end", "kind"),
    [
        (None, date(2026, 1, 1), date(2026, 12, 31), "year"),
        ("k1", date(2026, 1, 1), date(2026, 3, 31), "quarter"),
        ("K4", date(2026, 10, 1), date(2026, 12, 31), "quarter"),
        ("m2", date(2026, 2, 1), date(2026, 2, 28), "month"),
        ("m12", date(2026, 12, 1), date(2026, 12, 31), "month"),
        ("k5", date(2026, 1, 1), date(2026, 12, 31), "year"),
        ("m0", date(2026, 1, 1), date(2026, 12, 31), "year"),
        ("x1", date(2026, 1, 1), date(2026, 12, 31), "year"),
    ],
)
def test_zoom_windows(zoom: str | None, start: date, end: date, kind: str) -> None:
    window = zoom_window(2026, zoom)
    assert (window.start, window.end, window.kind) == (start, end, kind)


def test_leap_february_and_zoom_parsing() -> None:
    assert zoom_window(2028, "m2").end == date(2028, 2, 29)
    assert parse_zoom(" m03 ") == "m3"
    assert parse_zoom("k") is None and parse_zoom("") is None and parse_zoom(None) is None


def test_neighbour_windows_cross_new_year() -> None:
    assert neighbour_zoom(2026, "k1", -1) == (2025, "k4")
    assert neighbour_zoom(2026, "k4", 1) == (2027, "k1")
    assert neighbour_zoom(2026, "m12", 1) == (2027, "m1")
    assert neighbour_zoom(2026, "m5", -1) == (2026, "m4")
    assert neighbour_zoom(2026, None, 1) == (2027, None)


# --------------------------------------------------------------------------- frame


def test_month_sectors_fill_the_circle_but_the_gap() -> None:
    layout = year()
    assert [s.label for s in layout.sectors][:3] == ["januar", "februar", "mars"]
    assert len(layout.sectors) == 12
    assert layout.sectors[0].first == date(2026, 1, 1)
    assert layout.sectors[-1].last == date(2026, 12, 31)
    # January starts right after the gap at twelve o'clock.
    x, y = point(layout.cx, layout.cy, layout.radii["rings_in"], GAP / 2)
    assert layout.sectors[0].line[:2] == pytest.approx((x, y))
    # Month labels are never upside down.
    assert all(-90 <= s.label_rotate <= 90 or s.label_rotate >= 270 for s in layout.sectors)


def test_iso_week_53_in_2026_and_its_tail_in_2027() -> None:
    weeks = year(2026).weeks
    assert (weeks[0].iso_year, weeks[0].week) == (2026, 1)
    assert weeks[0].first == date(2026, 1, 1) and weeks[0].last == date(2026, 1, 4)
    assert weeks[0].tick is None  # week 1 started in 2025: no tick at the gap
    assert (weeks[-1].iso_year, weeks[-1].week) == (2026, 53)
    assert weeks[-1].first == date(2026, 12, 28) and weeks[-1].last == date(2026, 12, 31)
    assert len(weeks) == 53
    weeks_2027 = year(2027).weeks
    assert (weeks_2027[0].iso_year, weeks_2027[0].week) == (2026, 53)
    assert weeks_2027[0].last == date(2027, 1, 3)
    assert (weeks_2027[-1].iso_year, weeks_2027[-1].week) == (2027, 52)


def test_month_zoom_shows_days_and_weekends() -> None:
    layout = build_layout(zoom_window(2026, "m3"), RINGS, [])
    assert [s.label for s in layout.sectors] == [str(d) for d in range(1, 32)]
    assert [s.shaded for s in layout.sectors][:7] == [True, False, False, False, False, False, True]
    assert [w.week for w in layout.weeks] == [9, 10, 11, 12, 13, 14]


def test_rings_are_outermost_first_and_the_picture_grows_with_many() -> None:
    layout = year()
    outer, inner = layout.rings
    assert outer.ring.label == "Facebook" and outer.r_out > inner.r_out
    assert outer.r_in == pytest.approx(inner.r_out)
    many = [Ring(str(i), f"Kanal {i}", "#1b4f9c") for i in range(40)]
    big = year(rings=many)
    assert big.size > 1000
    assert all(b.r_out - b.r_in >= MIN_RING for b in big.rings)
    assert big.rings[-1].r_in >= big.radii["hole"] - 1e-6
    assert all(len(b.label) <= len(b.ring.label) for b in big.rings)


def test_long_ring_names_are_shortened_to_fit_the_gap() -> None:
    rings = [Ring(str(i), "Et svært langt navn på en målgruppe " * 2, "#000000") for i in range(30)]
    layout = year(rings=rings)
    inner = layout.rings[-1]
    assert inner.label.endswith("…") or inner.label == ""
    room = 2 * inner.r_in * math.sin(math.radians(GAP / 2))
    assert len(inner.label) * 0.56 * inner.label_size <= room


# --------------------------------------------------------------------------- marks


def test_a_post_is_drawn_in_each_of_its_rings_only() -> None:
    layout = year(items=[item(1, date(2026, 3, 1), ("1", "2")), item(2, date(2026, 3, 2), ("9",))])
    assert [(m.ring_key, m.kind, m.items[0].id) for m in layout.marks] == [
        ("1", "post", 1),
        ("2", "post", 1),
    ]
    assert layout.items_shown == 1
    mark = layout.marks[0]
    assert (mark.iso_year, mark.week) == (2026, 9)
    # Drawn inside its ring band and inside its ISO week (23 Feb – 1 Mar).
    band = layout.rings[0]
    assert band.r_in <= mark.r0 < mark.r1 <= band.r_out
    scale = (360 - GAP) / 365
    week_start = GAP / 2 + (date(2026, 2, 23) - date(2026, 1, 1)).days * scale
    assert week_start <= mark.a0 < mark.a1 <= week_start + 7 * scale


def test_busy_week_is_stacked_then_counted() -> None:
    three = [item(n, date(2026, 3, 2) + timedelta(days=n % 2)) for n in range(3)]
    marks = year(items=three).marks
    assert [m.kind for m in marks] == ["post"] * 3
    spans = sorted((m.a0, m.a1) for m in marks)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    four = [*three, item(3, date(2026, 3, 8))]
    marks = year(items=four).marks
    assert [m.kind for m in marks] == ["aggregate"]
    assert marks[0].count == 4 and marks[0].font_size > 0
    assert (marks[0].first, marks[0].last) == (date(2026, 3, 2), date(2026, 3, 8))
    # Another ring the same week is counted on its own.
    other = year(items=[*four, item(9, date(2026, 3, 3), ("2",))]).marks
    assert sorted((m.ring_key, m.kind, m.count) for m in other) == [
        ("1", "aggregate", 4),
        ("2", "post", 1),
    ]


def test_stack_limit_grows_when_zoomed() -> None:
    five = [item(n, date(2026, 3, 2) + timedelta(days=n)) for n in range(5)]
    assert {m.kind for m in year(items=five).marks} == {"aggregate"}
    quarter = build_layout(zoom_window(2026, "k1"), RINGS, five)
    assert [m.kind for m in quarter.marks] == ["post"] * 5
    assert quarter.stack_limit == 5
    assert build_layout(zoom_window(2026), RINGS, five, stack_limit=5).stack_limit == 5


def test_zoomed_marks_sit_at_their_own_day() -> None:
    layout = build_layout(zoom_window(2026, "m3"), RINGS, [item(1, date(2026, 3, 10))])
    (mark,) = layout.marks
    day = (360 - GAP) / 31
    assert mark.a0 >= GAP / 2 + 9 * day and mark.a1 <= GAP / 2 + 10 * day


def test_year_marks_keep_their_place_in_the_week() -> None:
    monday = year(items=[item(1, date(2026, 3, 2))]).marks[0]
    sunday = year(items=[item(1, date(2026, 3, 8))]).marks[0]
    assert monday.a1 <= sunday.a0


def test_no_two_marks_of_a_ring_overlap_in_a_busy_random_year() -> None:
    rng = random.Random(53)
    rings = [Ring(str(i), f"Kanal {i}", "#1b4f9c") for i in range(8)]
    items = []
    for n in range(2000):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        keys = tuple(str(k) for k in rng.sample(range(8), 2))
        items.append(item(n, day, keys, days=rng.choice([1, 1, 1, 3, 10, 30])))
    for zoom in (None, "k2", "m12"):
        layout = build_layout(zoom_window(2026, zoom), rings, items)
        by_ring: dict[str, list] = {}
        for mark in layout.marks:
            by_ring.setdefault(mark.ring_key, []).append(mark)
        for marks in by_ring.values():
            for i, a in enumerate(marks):
                for b in marks[i + 1 :]:
                    radial = a.r0 < b.r1 and b.r0 < a.r1
                    angular = a.a0 < b.a1 and b.a0 < a.a1
                    assert not (radial and angular), (zoom, a, b)
        # every occurrence in the window is accounted for in each of its rings
        counted = sum(m.count for m in layout.marks)
        expected = sum(
            2
            for it in items
            if it.first_day <= layout.window.end and it.last_day >= layout.window.start
        )
        assert counted == expected


def test_long_posts_are_arcs_in_two_lanes_and_the_rest_is_counted() -> None:
    spans = [item(n, date(2026, 4, 1), days=21) for n in range(3)]
    marks = year(items=spans).marks
    assert [m.kind for m in marks].count("span") == 2
    (rest,) = [m for m in marks if m.kind != "span"]
    assert rest.items[0].id == 2 and (rest.iso_year, rest.week) == (2026, 14)
    band = year(items=spans).rings[0]
    assert band.lanes == 2
    lanes = sorted((m.r0, m.r1) for m in marks if m.kind == "span")
    assert lanes[0][1] <= lanes[1][0]
    assert rest.r0 >= lanes[1][1]


def test_a_timed_post_ending_at_midnight_ends_the_day_before() -> None:
    post = WheelItem(
        1, "Kveld", datetime(2026, 5, 4, 20), datetime(2026, 5, 5), ("1",), all_day=False
    )
    assert post.last_day == date(2026, 5, 4)


def test_posts_outside_the_window_are_left_out_and_edges_are_clipped() -> None:
    layout = build_layout(
        zoom_window(2026, "m3"),
        RINGS,
        [item(1, date(2026, 2, 20), days=20), item(2, date(2026, 4, 2))],
    )
    (mark,) = layout.marks
    assert mark.kind == "span" and mark.first == date(2026, 3, 1)


# --------------------------------------------------------------------------- bands and today


def test_peaks_holidays_public_holidays_and_today() -> None:
    peaks = [Period("Barnehagesøknad", date(2026, 2, 15), date(2026, 3, 1), "peak")]
    holidays = [
        Period("Vinterferie", date(2026, 2, 23), date(2026, 2, 27), "skoleferie"),
        Period("Juleferie", date(2025, 12, 20), date(2026, 1, 2), "skoleferie"),
    ]
    layout = year(
        peaks=peaks,
        holidays=holidays,
        public_holidays=public_holidays(2026),
        today=date(2026, 3, 1),
    )
    assert [(b.first, b.last) for b in layout.peaks] == [(date(2026, 2, 15), date(2026, 3, 1))]
    assert [(b.period.name, b.first) for b in layout.holidays] == [
        ("Juleferie", date(2026, 1, 1)),
        ("Vinterferie", date(2026, 2, 23)),
    ]
    names = {h.day: h.name for h in layout.public_holidays}
    assert date(2026, 4, 5) in names and date(2026, 5, 17) in names
    assert layout.today is not None and layout.today.day == date(2026, 3, 1)
    quarter = build_layout(
        zoom_window(2026, "k3"), RINGS, [], peaks=peaks, holidays=holidays, today=date(2026, 3, 1)
    )
    assert quarter.peaks == [] and quarter.holidays == [] and quarter.today is None


def test_layout_is_deterministic_whatever_the_input_order() -> None:
    rng = random.Random(1)
    items = [item(n, date(2026, 1, 1) + timedelta(days=rng.randrange(365))) for n in range(300)]
    first = year(items=items)
    rng.shuffle(items)
    second = year(items=items)
    assert [m.path for m in first.marks] == [m.path for m in second.marks]
    assert [[i.id for i in m.items] for m in first.marks] == [
        [i.id for i in m.items] for m in second.marks
    ]


# --------------------------------------------------------------------------- geometry


def test_geometry_helpers() -> None:
    assert point(0, 0, 10, 0) == pytest.approx((0, -10))
    assert point(0, 0, 10, 90) == pytest.approx((10, 0))
    path = sector_path(100, 100, 10, 20, 0, 200)
    assert path.startswith("M100.0 80.0A20.0 20.0 0 1 1") and path.endswith("Z")
    assert " 0 0 1 " in sector_path(100, 100, 10, 20, 0, 90)
    assert tangential_rotation(180) == 0 and tangential_rotation(300) == 300
    assert contrast_text("#ffff00") == "#000000" and contrast_text("#1b4f9c") == "#ffffff"


def test_ring_memo_lays_out_only_the_rings_a_change_touches() -> None:
    memo: dict = {}
    items = [item(1, date(2026, 3, 2), ("1",)), item(2, date(2026, 3, 3), ("2",))]
    first = year(items=items, ring_memo=memo)
    assert len(memo) == 2
    again = year(items=list(items), ring_memo=memo)
    assert len(memo) == 2 and [m.path for m in again.marks] == [m.path for m in first.marks]
    renamed = WheelItem(2, "Nytt navn", items[1].start, items[1].end, ("2",))
    third = year(items=[items[0], renamed], ring_memo=memo)
    assert len(memo) == 3  # only ring 2 was laid out again
    fresh = year(items=[items[0], renamed])
    assert [(m.path, [i.title for i in m.items]) for m in third.marks] == [
        (m.path, [i.title for i in m.items]) for m in fresh.marks
    ]
    assert third.ring_signatures[0] == first.ring_signatures[0]
    assert third.ring_signatures[1] != first.ring_signatures[1]
