"""The staffing rules as plain functions: every warning, the fair rotation, derived peaks
and the load model — including year boundaries, ISO week 53, overlapping peaks and
recurring posts."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from planner.domain.posts.recurrence import expand
from planner.domain.staffing import (
    AbsenceInfo,
    ChannelInfo,
    DutyCalendar,
    DutyInfo,
    HolidayInfo,
    LoadModel,
    LoadModelError,
    PeakInfo,
    PostOccurrence,
    StaffInfo,
    StaffingPlan,
    StaffingWarning,
    compute_warnings,
    generate_rotation,
    is_deadline,
    iso_weeks_of_year,
    peak_week_counts,
    propose_peaks,
    week_loads,
)

FACEBOOK = ChannelInfo("Facebook", "nettsamfunn", 8)
WEB = ChannelInfo("Kommunens nettside", "nettside", 0)
KARI, OLA, PER, LISE = (
    StaffInfo(1, "Kari"),
    StaffInfo(2, "Ola"),
    StaffInfo(3, "Per"),
    StaffInfo(4, "Lise"),
)


def week(iso_year: int, n: int) -> date:
    return date.fromisocalendar(iso_year, n, 1)


def full_rota(year: int, people: list[StaffInfo], backup: bool = True) -> list[DutyInfo]:
    """A simple hand-made rota: people take turns as main, the next one as backup."""
    lines = []
    for i, monday in enumerate(iso_weeks_of_year(year)):
        lines.append(DutyInfo(people[i % len(people)].id, monday, "main"))
        if backup and len(people) > 1:
            lines.append(DutyInfo(people[(i + 1) % len(people)].id, monday, "backup"))
    return lines


def post(
    title: str, day: date, *channels: ChannelInfo, post_id: int = 1, **kw: Any
) -> PostOccurrence:
    start = datetime.combine(day, datetime.min.time())
    return PostOccurrence(post_id, title, start, start, channels=channels or (FACEBOOK,), **kw)


def warnings(plan: StaffingPlan, kind: str) -> list[StaffingWarning]:
    return [w for w in compute_warnings(plan) if w.kind == kind]


# =========================================================================== helpers


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Søknadsfrist for barnehageplass (hovedopptak)", True),
        ("Klagefristen for eiendomsskatt går ut", True),
        ("Høringsfristen for kommuneplanen går ut", True),
        ("Frist for å søke kulturmidler", True),
        ("Siste frist: søk sommerjobb", True),
        ("To uker igjen: søk barnehageplass innen fristen", False),
        ("Siste dager for å søke barnehageplass", False),
        ("Fristilling av lærere", False),
        ("Vinterferie i skolen", False),
    ],
)
def test_deadline_posts_are_recognised_by_title(title: str, expected: bool) -> None:
    assert is_deadline(title) is expected


def test_iso_weeks_of_year_has_week_53_in_2026() -> None:
    weeks = iso_weeks_of_year(2026)
    assert len(weeks) == 53
    assert weeks[0] == date(2025, 12, 29)
    assert weeks[-1] == date(2026, 12, 28)
    assert len(iso_weeks_of_year(2027)) == 52


def test_day_lines_replace_week_lines_and_week_lines_skip_days_off() -> None:
    lise = StaffInfo(4, "Lise", working_days=frozenset({1, 2, 3}))
    monday = week(2026, 20)  # 11.05.2026; Thursday 14.05 is Kristi himmelfartsdag
    calendar = DutyCalendar(
        [KARI, lise],
        [
            DutyInfo(4, monday, "main"),
            DutyInfo(1, monday, "main", day=monday + timedelta(days=1)),
        ],
        {date(2026, 5, 14): "Kristi himmelfartsdag"},
    )
    assert [p.name for p in calendar.present(monday, "main")] == ["Lise"]
    assert [p.name for p in calendar.present(monday + timedelta(days=1), "main")] == ["Kari"]
    assert calendar.present(monday + timedelta(days=3)) == []  # holiday
    assert calendar.present(monday + timedelta(days=4)) == []  # Lise does not work Fridays
    assert not calendar.is_working_day(date(2026, 5, 14))


# =========================================================================== rota gaps


def test_no_rota_is_one_warning_not_fifty_three() -> None:
    plan = StaffingPlan(2026, staff=[KARI], posts=[post("Innlegg", date(2026, 3, 7))])
    found = compute_warnings(plan)
    assert [w.kind for w in found] == ["no_rota"]
    assert found[0].severity == "high"
    assert "rettferdig rotasjon" in found[0].fix


def test_week_without_main_responsible_suggests_who_is_free() -> None:
    duty = [d for d in full_rota(2026, [KARI, OLA]) if d.week_start != week(2026, 12)]
    away = StaffInfo(
        2,
        "Ola",
        absences=(AbsenceInfo(week(2026, 12), week(2026, 12) + timedelta(days=6), "Kurs"),),
    )
    found = warnings(StaffingPlan(2026, staff=[KARI, away], duty=duty), "no_main")
    assert len(found) == 1
    w = found[0]
    assert (w.iso_year, w.iso_week, w.weeks) == (2026, 12, "uke 12")
    assert w.message == "Uke 12 har ingen hovedansvarlig."
    assert "Kari" in w.fix and "Ola" not in w.fix  # Ola is away on a course


def test_working_days_without_main_when_the_main_works_part_time() -> None:
    lise = StaffInfo(4, "Lise", working_days=frozenset({1, 2, 3}))
    duty = full_rota(2026, [KARI])
    duty = [d for d in duty if d.week_start != week(2026, 10)] + [
        DutyInfo(4, week(2026, 10), "main")
    ]
    found = warnings(StaffingPlan(2026, staff=[KARI, lise], duty=duty), "no_main")
    assert len(found) == 1
    assert found[0].start == date(2026, 3, 5) and found[0].end == date(2026, 3, 6)
    assert "torsdag 05.03–fredag 06.03.2026" in found[0].message
    assert "Lise jobber ikke" in found[0].reason
    # A day line for the days off removes the warning.
    duty += [DutyInfo(1, week(2026, 10), "main", day=date(2026, 3, d)) for d in (5, 6)]
    assert warnings(StaffingPlan(2026, staff=[KARI, lise], duty=duty), "no_main") == []


def test_iso_week_53_belongs_to_its_iso_year() -> None:
    duty = [d for d in full_rota(2026, [KARI, OLA]) if d.week_start != week(2026, 53)]
    found = warnings(StaffingPlan(2026, staff=[KARI, OLA], duty=duty), "no_main")
    assert [(w.iso_year, w.iso_week) for w in found] == [(2026, 53)]
    assert found[0].start == date(2026, 12, 28) and found[0].end == date(2027, 1, 3)
    # 2027 does not report week 53 of 2026 again (its first ISO week starts 04.01.2027).
    rota_2027 = full_rota(2027, [KARI, OLA])
    assert warnings(StaffingPlan(2027, staff=[KARI, OLA], duty=duty + rota_2027), "no_main") == []


def test_post_on_new_years_day_uses_the_duty_of_week_53() -> None:
    new_year = post("Godt nytt år", date(2027, 1, 1))  # a Friday, and a public holiday
    monday = week(2026, 53)
    rota = full_rota(2027, [KARI, OLA]) + [DutyInfo(1, monday, "main")]
    plan = StaffingPlan(2027, staff=[KARI, OLA], duty=rota, posts=[new_year])
    found = warnings(plan, "post_without_duty")
    assert [w.start for w in found] == [date(2027, 1, 1)]
    assert "første nyttårsdag" in found[0].reason.lower()
    # A day line on the holiday (dagsvakt) covers it.
    rota.append(DutyInfo(2, monday, "main", day=date(2027, 1, 1)))
    assert (
        warnings(
            StaffingPlan(2027, staff=[KARI, OLA], duty=rota, posts=[new_year]), "post_without_duty"
        )
        == []
    )


# =========================================================================== absences


def test_person_on_duty_while_absent() -> None:
    away = StaffInfo(
        1, "Kari", absences=(AbsenceInfo(date(2026, 2, 24), date(2026, 2, 25), "Ferie"),)
    )
    duty = full_rota(2026, [away, OLA, PER])
    found = warnings(StaffingPlan(2026, staff=[away, OLA, PER], duty=duty), "duty_while_absent")
    assert len(found) == 1
    w = found[0]
    assert (w.start, w.end, w.staff_ids) == (date(2026, 2, 24), date(2026, 2, 25), (1,))
    assert w.message == "Kari er backup tirsdag 24.02–onsdag 25.02.2026, men er borte (Ferie)."
    assert "Ola" in w.fix and "Per" not in w.fix  # Ola is free and not on duty that week


def test_a_day_line_for_the_absent_days_clears_the_absence_warning() -> None:
    away = StaffInfo(
        1, "Kari", absences=(AbsenceInfo(date(2026, 2, 24), date(2026, 2, 24), "Kurs"),)
    )
    # Week 9: Per is main responsible and Kari backup; Ola stands in as backup on Tuesday.
    duty = full_rota(2026, [away, OLA, PER]) + [
        DutyInfo(2, date(2026, 2, 23), "backup", day=date(2026, 2, 24))
    ]
    plan = StaffingPlan(2026, staff=[away, OLA, PER], duty=duty)
    assert warnings(plan, "duty_while_absent") == []
    assert warnings(plan, "no_main") == []


def test_inactive_person_on_duty_is_flagged() -> None:
    gone = StaffInfo(2, "Ola", active=False)
    found = warnings(
        StaffingPlan(2026, staff=[KARI, gone], duty=full_rota(2026, [KARI, gone])),
        "duty_while_absent",
    )
    assert found and all("ikke lenger aktiv" in w.message for w in found)


# =========================================================================== peaks


BARNEHAGE = PeakInfo(
    date(2026, 2, 15), date(2026, 3, 1), "Innspurt barnehagesøknader", 2, "Mange spørsmål.", 1
)
SKATT = PeakInfo(date(2026, 3, 1), date(2026, 4, 12), "Eiendomsskatt", 3, "Klager.", 2)


def test_peak_below_required_staff_one_warning_per_week() -> None:
    plan = StaffingPlan(
        2026, staff=[KARI, OLA, PER], duty=full_rota(2026, [KARI, OLA, PER]), peaks=[SKATT]
    )
    found = warnings(plan, "peak_understaffed")
    weeks = [w.iso_week for w in found]
    assert weeks == [10, 11, 12, 13, 14, 15]  # Sunday 01.03 is no working day; Easter skipped
    assert all("2 av 3 på vakt" in w.message for w in found)
    easter = next(w for w in found if w.iso_week == 14)
    assert easter.end == date(2026, 4, 1)  # skjærtorsdag–andre påskedag are holidays
    assert "Sett inn 1 til" in found[0].fix


def test_overlapping_peaks_each_checked_against_their_own_requirement() -> None:
    rota = full_rota(2026, [KARI, OLA, PER])
    rota += [DutyInfo(3, week(2026, n), "backup") for n in range(10, 16) if n % 3 != 0]
    plan = StaffingPlan(2026, staff=[KARI, OLA, PER], duty=rota, peaks=[BARNEHAGE, SKATT])
    found = warnings(plan, "peak_understaffed")
    assert {w.peak_id for w in found} == {2}  # barnehage needs 2: main + backup suffice


def test_weekend_only_peak_needs_a_day_line() -> None:
    sunday_peak = PeakInfo(date(2026, 3, 1), date(2026, 3, 1), "Fristdag", 1, id=9)
    plan = StaffingPlan(
        2026, staff=[KARI, OLA], duty=full_rota(2026, [KARI, OLA]), peaks=[sunday_peak]
    )
    assert [w.start for w in warnings(plan, "peak_understaffed")] == [date(2026, 3, 1)]
    duty = [*plan.duty, DutyInfo(1, week(2026, 9), "main", day=date(2026, 3, 1))]
    plan = StaffingPlan(2026, staff=[KARI, OLA], duty=duty, peaks=[sunday_peak])
    assert warnings(plan, "peak_understaffed") == []


def test_peak_across_new_year_is_checked_in_each_calendar_year() -> None:
    christmas = PeakInfo(date(2026, 12, 21), date(2027, 1, 8), "Jul", 3, id=5)
    duty = full_rota(2026, [KARI, OLA]) + full_rota(2027, [KARI, OLA])
    in_2026 = warnings(
        StaffingPlan(2026, staff=[KARI, OLA], duty=duty, peaks=[christmas]), "peak_understaffed"
    )
    in_2027 = warnings(
        StaffingPlan(2027, staff=[KARI, OLA], duty=duty, peaks=[christmas]), "peak_understaffed"
    )
    assert [w.iso_week for w in in_2026] == [52, 53]
    assert in_2026[-1].end == date(2026, 12, 31)
    # 01.01.2027 is a holiday and 02–03.01 a weekend: 2027 starts with week 1 (04.01).
    assert [(w.iso_week, w.start) for w in in_2027] == [(1, date(2027, 1, 4))]


def test_unfair_peak_weeks() -> None:
    # Kari is main in every peak week; the others share the rest.
    peaks = [
        PeakInfo(week(2026, n), week(2026, n) + timedelta(days=4), f"Topp {n}", 1, id=n)
        for n in range(10, 18)
    ]
    rota = []
    for i, monday in enumerate(iso_weeks_of_year(2026)):
        person = 1 if 10 <= i + 1 < 18 else (2, 3, 4)[i % 3]
        rota.append(DutyInfo(person, monday, "main"))
    plan = StaffingPlan(2026, staff=[KARI, OLA, PER, LISE], duty=rota, peaks=peaks)
    found = warnings(plan, "peak_load_unfair")
    assert [w.subject for w in found] == ["Kari"]
    assert (
        "8 av 8 toppuker" in found[0].message and "en rettferdig andel er 2,0" in found[0].message
    )
    assert found[0].severity == "low"


def test_peak_overlapping_holidays() -> None:
    vinterferie = HolidayInfo(date(2026, 2, 23), date(2026, 3, 1), "Vinterferie", id=3)
    away = StaffInfo(
        2, "Ola", absences=(AbsenceInfo(date(2026, 2, 23), date(2026, 2, 27), "Vinterferie"),)
    )
    plan = StaffingPlan(2026, staff=[KARI, away], peaks=[BARNEHAGE, SKATT], holidays=[vinterferie])
    found = warnings(plan, "peak_in_holiday")
    assert [(w.peak_id, w.start, w.end) for w in found] == [
        (1, date(2026, 2, 23), date(2026, 3, 1)),
        (2, date(2026, 3, 1), date(2026, 3, 1)),
    ]
    assert "Ola har fravær" in found[0].reason
    assert found[0].holiday_id == 3 and found[0].iso_week == 9


# =========================================================================== deadlines


def test_deadline_on_a_sunday_1_march_2026() -> None:
    deadline = post("Søknadsfrist for barnehageplass", date(2026, 3, 1), FACEBOOK, WEB, post_id=7)
    plan = StaffingPlan(2026, staff=[KARI], duty=full_rota(2026, [KARI]), posts=[deadline])
    found = warnings(plan, "deadline_on_closed_day")
    assert len(found) == 1
    w = found[0]
    assert w.message == "«Søknadsfrist for barnehageplass» er søndag 01.03.2026 – en søndag."
    assert "fredag 27.02.2026" in w.fix and "mandag 02.03.2026" in w.fix
    assert w.post_ids == (7,) and w.iso_week == 9
    # The same post is not reported twice as a post without duty.
    assert warnings(plan, "post_without_duty") == []


def test_deadline_on_a_public_holiday_and_recurring_deadlines() -> None:
    start = datetime(2026, 1, 14)
    # A monthly deadline on the 14th: 14.05.2026 is Kristi himmelfartsdag, 14.02/14.03 are weekends.
    occurrences = [
        PostOccurrence(3, "Søknadsfrist for kulturmidler", o, o, channels=(WEB,))
        for o in expand(
            "FREQ=MONTHLY;COUNT=12", start, datetime(2026, 1, 1), datetime(2026, 12, 31)
        )
    ]
    plan = StaffingPlan(2026, staff=[KARI], duty=full_rota(2026, [KARI]), posts=occurrences)
    found = warnings(plan, "deadline_on_closed_day")
    days = [w.start for w in found]
    assert date(2026, 5, 14) in days and date(2026, 2, 14) in days and date(2026, 3, 14) in days
    assert date(2026, 1, 14) not in days
    holiday = next(w for w in found if w.start == date(2026, 5, 14))
    assert "kristi himmelfartsdag, en helligdag" in holiday.message


# =========================================================================== posts and load


def test_posts_on_days_with_nobody_on_duty() -> None:
    posts = [
        post("Gratulerer med dagen!", date(2026, 5, 17), post_id=1),
        post("Bare på nettsiden", date(2026, 5, 16), WEB, post_id=2),
        post("Vanlig tirsdag", date(2026, 5, 19), post_id=3),
    ]
    plan = StaffingPlan(2026, staff=[KARI], duty=full_rota(2026, [KARI]), posts=posts)
    found = warnings(plan, "post_without_duty")
    assert [w.start for w in found] == [date(2026, 5, 17)]
    assert "«Gratulerer med dagen!»" in found[0].message
    assert "fredag 15.05.2026" in found[0].fix


def test_overload_and_configurable_weights() -> None:
    monday = week(2026, 19)
    posts = [post(f"Innlegg {i}", monday + timedelta(days=i % 5), post_id=i) for i in range(10)]
    rota = full_rota(2026, [KARI], backup=False)
    plan = StaffingPlan(2026, staff=[KARI], duty=rota, posts=posts)
    found = warnings(plan, "overload")
    assert [w.iso_week for w in found] == [19]
    # 10 Facebook posts × 1.5 h = 15 h; one main responsible × 2 h × 5 days = 10 h.
    assert found[0].message == "Uke 19: forventet svarbelastning 15 t, kapasitet 10 t."
    assert (
        "flytt 4 innlegg til uke 17" in found[0].fix or "flytt 4 innlegg til uke 18" in found[0].fix
    )
    lighter = LoadModel.from_settings({"channel_weights": {"nettsamfunn": 0.5}})
    assert (
        warnings(
            StaffingPlan(2026, staff=[KARI], duty=rota, posts=posts, load_model=lighter), "overload"
        )
        == []
    )


def test_load_counts_urgency_peaks_and_recurring_occurrences() -> None:
    model = LoadModel()
    fast = ChannelInfo("Chat", "nettsamfunn", 4)
    slow = ChannelInfo("Blogg", "blogg", 48)
    assert model.urgency(4) == 2.0 and model.urgency(48) == 0.5 and model.urgency(0) == 1.0
    monday = week(2026, 9)
    weekly = [
        PostOccurrence(1, "Ukentlig", o, o, channels=(fast, slow, WEB))
        for o in expand(
            "FREQ=WEEKLY;COUNT=3",
            datetime.combine(monday, datetime.min.time()),
            datetime(2026, 1, 1),
            datetime(2026, 12, 31),
        )
    ]
    peak = PeakInfo(monday, monday + timedelta(days=6), "Topp", 2)
    loads = week_loads(StaffingPlan(2026, posts=weekly, peaks=[peak], load_model=model))
    per_post = 1.5 * 2.0 + 0.5 * 0.5  # web pages carry no dialogue
    assert loads[monday].demand == pytest.approx(per_post * 2.0)  # peak factor
    assert loads[monday + timedelta(weeks=1)].demand == pytest.approx(per_post)
    assert loads[monday + timedelta(weeks=2)].demand == pytest.approx(per_post)


def test_load_model_settings_round_trip_and_bounds() -> None:
    model = LoadModel.from_settings({"peak_factor": 3, "kind_factors": {"reaktiv": 2.5}})
    assert model.peak_factor == 3.0 and model.kind_factors["reaktiv"] == 2.5
    assert LoadModel.from_settings(model.to_settings()) == model
    with pytest.raises(LoadModelError, match="Faktor i toppbelastninger"):
        LoadModel.from_settings({"peak_factor": 99})
    with pytest.raises(LoadModelError, match="må være et tall"):
        LoadModel.from_settings({"channel_weights": {"blogg": "mye"}})
    with pytest.raises(LoadModelError, match="hastefaktor"):
        LoadModel.from_settings({"min_urgency": 3, "max_urgency": 2})
    assert LoadModel.from_settings_or_default({"peak_factor": -1}) == LoadModel()


# =========================================================================== rotation


def tally(lines: list[DutyInfo], role: str) -> Counter[int]:
    return Counter(d.staff_id for d in lines if d.role == role and d.day is None)


def test_fair_rotation_evens_out_main_weeks_and_never_repeats_back_to_back() -> None:
    team = [KARI, OLA, PER, LISE]
    lines = generate_rotation(iso_weeks_of_year(2026), team)
    mains = tally(lines, "main")
    assert sum(mains.values()) == 53 and max(mains.values()) - min(mains.values()) <= 1
    backups = tally(lines, "backup")
    assert sum(backups.values()) == 53
    totals = mains + backups
    assert max(totals.values()) - min(totals.values()) <= 1
    by_week = {d.week_start: d.staff_id for d in lines if d.role == "main"}
    weeks = sorted(by_week)
    assert all(by_week[a] != by_week[b] for a, b in zip(weeks, weeks[1:], strict=False))
    assert all(not (d.role == "backup" and by_week[d.week_start] == d.staff_id) for d in lines)
    plan = StaffingPlan(2026, staff=team, duty=lines)
    assert warnings(plan, "no_main") == [] and warnings(plan, "duty_while_absent") == []


def test_fair_rotation_respects_absences_and_covers_part_weeks() -> None:
    summer = AbsenceInfo(date(2026, 7, 6), date(2026, 7, 26), "Fellesferie")
    kari = StaffInfo(1, "Kari", absences=(summer,))
    ola = StaffInfo(2, "Ola", absences=(AbsenceInfo(date(2026, 3, 4), date(2026, 3, 5), "Kurs"),))
    per = StaffInfo(3, "Per", absences=(summer,))
    lise = StaffInfo(4, "Lise", working_days=frozenset({1, 2, 3}))
    team = [kari, ola, per, lise]
    lines = generate_rotation(iso_weeks_of_year(2026), team)
    for d in lines:
        person = next(p for p in team if p.id == d.staff_id)
        days = [d.day] if d.day else [d.week_start + timedelta(days=i) for i in range(5)]
        if d.day is None and d.role == "backup":
            assert not any(person.absence_on(x) for x in days), d
    plan = StaffingPlan(2026, staff=team, duty=lines)
    assert warnings(plan, "duty_while_absent") == []
    assert warnings(plan, "no_main") == []
    assert tally(lines, "main")[4] >= 5  # the part-timer takes a proportional turn


def test_fair_rotation_staffs_peaks_and_evens_out_peak_weeks() -> None:
    team = [KARI, OLA, PER, LISE]
    peaks = [
        BARNEHAGE,
        SKATT,
        PeakInfo(date(2026, 8, 10), date(2026, 8, 21), "Skolestart", 2, id=3),
    ]
    lines = generate_rotation(iso_weeks_of_year(2026), team, peaks)
    plan = StaffingPlan(2026, staff=team, duty=lines, peaks=peaks)
    assert warnings(plan, "peak_understaffed") == []
    assert warnings(plan, "peak_load_unfair") == []
    counts = peak_week_counts(plan)
    assert max(counts.values()) - min(counts.values()) <= 1
    skatt_week = [d for d in lines if d.week_start == week(2026, 11)]
    assert len(skatt_week) == 3  # main + two backups


def test_fair_rotation_counts_existing_lines_and_fills_only_the_given_weeks() -> None:
    existing = [DutyInfo(1, week(2026, n), "main") for n in range(1, 11)]
    targets = [w for w in iso_weeks_of_year(2026) if w >= week(2026, 11)]
    lines = generate_rotation(targets, [KARI, OLA], existing=existing, backups=0)
    assert {d.week_start for d in lines} == set(targets)
    mains = tally(lines, "main") + tally(existing, "main")
    assert abs(mains[1] - mains[2]) <= 1
    assert not any(d.role == "backup" for d in lines)


def test_fair_rotation_with_nobody_available() -> None:
    assert generate_rotation(iso_weeks_of_year(2026), []) == []
    gone = StaffInfo(1, "Kari", active=False)
    assert generate_rotation(iso_weeks_of_year(2026), [gone]) == []


# =========================================================================== derived peaks


def test_deadline_posts_without_a_peak_are_proposed() -> None:
    sfo = post("Søknadsfrist for SFO", date(2026, 4, 1), post_id=5, uid="sfo@x")
    barnehage = post("Søknadsfrist for barnehageplass", date(2026, 3, 1), post_id=6, uid="bh@x")
    plan = StaffingPlan(2026, posts=[sfo, barnehage], peaks=[BARNEHAGE])
    proposals = propose_peaks(plan)
    assert [p.key for p in proposals] == ["frist:sfo@x:2026-04-01"]
    p = proposals[0]
    assert (p.start, p.end, p.required_staff, p.source) == (
        date(2026, 3, 25),
        date(2026, 4, 1),
        2,
        "deadline",
    )
    assert p.name == "Innspurt: Søknadsfrist for SFO" and p.post_ids == (5,)
    assert propose_peaks(plan, dismissed={"frist:sfo@x:2026-04-01"}) == []


def test_dense_weeks_are_proposed_and_merged() -> None:
    posts = [
        post(f"Vanlig {n}", week(2026, n) + timedelta(days=1), post_id=n) for n in range(2, 40)
    ]
    busy = [
        post(f"Travelt {i}", week(2026, n) + timedelta(days=i % 5), post_id=100 + i)
        for n in (20, 21)
        for i in range(8)
    ]
    plan = StaffingPlan(2026, posts=posts + busy)
    proposals = [p for p in propose_peaks(plan) if p.source == "dense"]
    assert len(proposals) == 1
    p = proposals[0]
    assert (p.start, p.end) == (week(2026, 20), week(2026, 21) + timedelta(days=6))
    assert p.dismiss_keys == ("tett:2026-W20", "tett:2026-W21")
    assert p.name == "Travle uker: uke 20–21"
    # Dismissing one week leaves the other proposed on its own, named in the singular.
    rest = [p for p in propose_peaks(plan, {"tett:2026-W20"}) if p.source == "dense"]
    assert [p.key for p in rest] == ["tett:2026-W21"]
    assert rest[0].name == "Travel uke: uke 21"
    covered = StaffingPlan(
        2026, posts=posts + busy, peaks=[PeakInfo(week(2026, 20), week(2026, 21), "Topp", 2)]
    )
    assert [p for p in propose_peaks(covered) if p.source == "dense"] == []


# =========================================================================== output


def test_warning_json_has_stable_keys() -> None:
    deadline = post("Søknadsfrist for barnehageplass", date(2026, 3, 1))
    w = warnings(
        StaffingPlan(2026, staff=[KARI], duty=full_rota(2026, [KARI]), posts=[deadline]),
        "deadline_on_closed_day",
    )[0]
    assert set(w.to_dict()) == {
        "key",
        "kind",
        "kind_label",
        "severity",
        "start",
        "end",
        "iso_year",
        "iso_week",
        "weeks",
        "subject",
        "message",
        "reason",
        "fix",
        "peak_period_id",
        "holiday_period_id",
        "staff_member_ids",
        "post_ids",
    }
    assert w.to_dict()["start"] == "2026-03-01" and w.to_dict()["weeks"] == "uke 9"


def test_warnings_are_sorted_by_date_then_severity() -> None:
    posts = [post("Klagefristen går ut", date(2026, 4, 12)), post("Søknadsfrist", date(2026, 3, 1))]
    found = compute_warnings(StaffingPlan(2026, staff=[KARI], posts=posts, peaks=[BARNEHAGE]))
    assert [w.start for w in found] == sorted(w.start for w in found)
