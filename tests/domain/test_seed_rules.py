"""Tests of the date-rule engine and of the recommended årshjul (seeds/recommended.toml)."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.easter import easter
from dateutil.rrule import rrulestr

from planner.domain.posts.seed_rules import (
    SeedRuleError,
    is_working_day,
    norwegian_public_holidays,
    resolve_dates,
    resolve_rule,
)

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "recommended.toml"
YEARS = range(2025, 2036)
EASTER = {2026: date(2026, 4, 5), 2027: date(2027, 3, 28), 2028: date(2028, 4, 16)}

SOCIAL_TYPES = {"nettsamfunn", "mikroblogg", "blogg", "delingsmedium", "diskusjonsforum", "wiki"}
TRADITIONAL_TYPES = {"nettside", "pressemelding", "annonse_lokalavis", "brev_sms", "plakat", "mote"}
KINDS = {"proaktiv", "fortløpende", "reaktiv"}
STATUSES = {"idé", "planlagt", "godkjent", "publisert", "avlyst"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def one(spec: dict[str, Any], year: int = 2026) -> date:
    """Resolve a single rule on its own."""
    return resolve_dates({"x": spec}, year)["x"]


# =========================================================================== rule engine


class TestFixed:
    def test_fixed_date(self) -> None:
        assert one({"rule": "fixed", "month": 3, "day": 1}) == date(2026, 3, 1)

    def test_first_of_march_2026_is_a_sunday(self) -> None:
        assert one({"rule": "fixed", "month": 3, "day": 1}).isoweekday() == 7

    def test_leap_day_only_in_leap_years(self) -> None:
        assert one({"rule": "fixed", "month": 2, "day": 29}, 2028) == date(2028, 2, 29)
        with pytest.raises(SeedRuleError, match="29. februar 2027 finnes ikke"):
            one({"rule": "fixed", "month": 2, "day": 29}, 2027)

    @pytest.mark.parametrize(("month", "day"), [(2, 30), (4, 31), (13, 1), (0, 1), (1, 0), (1, 32)])
    def test_invalid_dates_raise(self, month: int, day: int) -> None:
        with pytest.raises(SeedRuleError):
            one({"rule": "fixed", "month": month, "day": day})


class TestNthWeekday:
    def test_second_monday_of_october(self) -> None:
        spec = {"rule": "nth_weekday", "month": 10, "weekday": "MO", "n": 2}
        assert one(spec) == date(2026, 10, 12)
        assert one(spec, 2027) == date(2027, 10, 11)

    def test_last_thursday(self) -> None:
        spec = {"rule": "nth_weekday", "month": 10, "weekday": "TH", "n": -1}
        assert one(spec) == date(2026, 10, 29)
        assert one(spec, 2027) == date(2027, 10, 28)

    def test_first_weekday_on_the_first_of_the_month(self) -> None:
        # 1 June 2026 is a Monday: the first Monday is the 1st itself.
        assert one({"rule": "nth_weekday", "month": 6, "weekday": "MO", "n": 1}) == date(2026, 6, 1)

    def test_refleksdagen_third_thursday_of_october(self) -> None:
        spec = {"rule": "nth_weekday", "month": 10, "weekday": "TH", "n": 3}
        assert one(spec, 2024) == date(2024, 10, 17)
        assert one(spec, 2023) == date(2023, 10, 19)

    def test_election_day_second_monday_of_september(self) -> None:
        spec = {"rule": "nth_weekday", "month": 9, "weekday": "MO", "n": 2}
        assert one(spec, 2025) == date(2025, 9, 8)
        assert one(spec, 2027) == date(2027, 9, 13)

    def test_weekday_code_is_case_insensitive(self) -> None:
        spec = {"rule": "nth_weekday", "month": 10, "weekday": "mo", "n": 2}
        assert one(spec) == date(2026, 10, 12)

    def test_no_fifth_friday_in_february(self) -> None:
        with pytest.raises(SeedRuleError, match="ingen 5. fredag i februar 2026"):
            one({"rule": "nth_weekday", "month": 2, "weekday": "FR", "n": 5})

    @pytest.mark.parametrize(
        "spec",
        [
            {"rule": "nth_weekday", "month": 10, "weekday": "XX", "n": 1},
            {"rule": "nth_weekday", "month": 10, "weekday": 1, "n": 1},
            {"rule": "nth_weekday", "month": 10, "weekday": "MO", "n": 0},
            {"rule": "nth_weekday", "month": 10, "weekday": "MO", "n": 6},
            {"rule": "nth_weekday", "month": 13, "weekday": "MO", "n": 1},
        ],
    )
    def test_invalid_specs_raise(self, spec: dict[str, Any]) -> None:
        with pytest.raises(SeedRuleError):
            one(spec)


class TestIsoWeek:
    def test_monday_of_week_9(self) -> None:
        assert one({"rule": "iso_week", "week": 9, "weekday": 1}) == date(2026, 2, 23)
        assert one({"rule": "iso_week", "week": 9, "weekday": 1}, 2027) == date(2027, 3, 1)

    def test_weekday_defaults_to_monday(self) -> None:
        assert one({"rule": "iso_week", "week": 34}) == date(2026, 8, 17)

    def test_sunday(self) -> None:
        assert one({"rule": "iso_week", "week": 9, "weekday": 7}) == date(2026, 3, 1)

    def test_week_1_can_start_in_the_previous_calendar_year(self) -> None:
        assert one({"rule": "iso_week", "week": 1, "weekday": 1}) == date(2025, 12, 29)

    def test_week_53_exists_in_2026(self) -> None:
        assert one({"rule": "iso_week", "week": 53, "weekday": 1}) == date(2026, 12, 28)

    def test_week_53_missing_raises_without_fallback(self) -> None:
        with pytest.raises(SeedRuleError, match="Uke 53 finnes ikke i 2025"):
            one({"rule": "iso_week", "week": 53, "weekday": 1}, 2025)

    def test_week_53_missing_uses_fallback(self) -> None:
        spec = {"rule": "iso_week", "week": 53, "weekday": 1, "fallback_week": 52}
        assert one(spec, 2025) == date(2025, 12, 22)
        assert one(spec, 2026) == date(2026, 12, 28)

    @pytest.mark.parametrize(
        "spec",
        [
            {"rule": "iso_week", "week": 0, "weekday": 1},
            {"rule": "iso_week", "week": 54, "weekday": 1},
            {"rule": "iso_week", "week": 9, "weekday": 0},
            {"rule": "iso_week", "week": 9, "weekday": 8},
            {"rule": "iso_week", "week": 53, "weekday": 1, "fallback_week": 53},
        ],
    )
    def test_invalid_specs_raise(self, spec: dict[str, Any]) -> None:
        with pytest.raises(SeedRuleError):
            one(spec, 2025)


class TestEaster:
    @pytest.mark.parametrize(("year", "sunday"), sorted(EASTER.items()))
    def test_easter_sunday(self, year: int, sunday: date) -> None:
        assert one({"rule": "easter", "offset": 0}, year) == sunday
        assert one({"rule": "easter"}, year) == sunday

    @pytest.mark.parametrize("year", sorted(EASTER))
    @pytest.mark.parametrize(
        ("offset", "name"),
        [
            (-3, "Skjærtorsdag"),
            (-2, "Langfredag"),
            (1, "Andre påskedag"),
            (39, "Kristi himmelfartsdag"),
            (49, "Første pinsedag"),
            (50, "Andre pinsedag"),
        ],
    )
    def test_easter_relative_days_are_the_holidays(self, year: int, offset: int, name: str) -> None:
        day = one({"rule": "easter", "offset": offset}, year)
        assert day == EASTER[year] + timedelta(days=offset)
        assert name in norwegian_public_holidays(year)[day]

    def test_known_dates(self) -> None:
        assert one({"rule": "easter", "offset": -3}, 2026) == date(2026, 4, 2)
        assert one({"rule": "easter", "offset": 39}, 2027) == date(2027, 5, 6)
        assert one({"rule": "easter", "offset": 50}, 2028) == date(2028, 6, 5)


class TestRelative:
    def test_before_and_after_calendar_days(self) -> None:
        rules = {
            "frist": {"rule": "fixed", "month": 3, "day": 1},
            "paminnelse": {"rule": "before", "ref": "frist", "days": 14},
            "klagefrist": {"rule": "after", "ref": "frist", "days": 42},
        }
        dates = resolve_dates(rules, 2026)
        assert dates["paminnelse"] == date(2026, 2, 15)
        assert dates["klagefrist"] == date(2026, 4, 12)

    def test_same(self) -> None:
        rules = {
            "a": {"rule": "fixed", "month": 6, "day": 23},
            "b": {"rule": "same", "ref": "a"},
        }
        assert resolve_dates(rules, 2026)["b"] == date(2026, 6, 23)

    def test_before_can_cross_into_the_previous_year(self) -> None:
        rules = {
            "a": {"rule": "fixed", "month": 1, "day": 5},
            "b": {"rule": "before", "ref": "a", "days": 10},
        }
        assert resolve_dates(rules, 2026)["b"] == date(2025, 12, 26)

    def test_zero_days_is_the_reference_day(self) -> None:
        rules = {
            "a": {"rule": "fixed", "month": 3, "day": 1},
            "b": {"rule": "before", "ref": "a", "days": 0, "working_days": True},
        }
        assert resolve_dates(rules, 2026)["b"] == date(2026, 3, 1)

    def test_working_days_skip_the_weekend(self) -> None:
        rules = {
            "monday": {"rule": "fixed", "month": 3, "day": 2},
            "before": {"rule": "before", "ref": "monday", "days": 1, "working_days": True},
            "calendar": {"rule": "before", "ref": "monday", "days": 1},
            "after": {"rule": "after", "ref": "before", "days": 1, "working_days": True},
        }
        dates = resolve_dates(rules, 2026)
        assert dates["before"] == date(2026, 2, 27)  # Friday
        assert dates["calendar"] == date(2026, 3, 1)  # Sunday
        assert dates["after"] == date(2026, 3, 2)

    def test_working_days_skip_easter(self) -> None:
        rules = {
            "wednesday": {"rule": "easter", "offset": -4},  # 1 April 2026
            "after": {"rule": "after", "ref": "wednesday", "days": 1, "working_days": True},
            "tuesday": {"rule": "easter", "offset": 2},  # 7 April 2026
            "before": {"rule": "before", "ref": "tuesday", "days": 2, "working_days": True},
        }
        dates = resolve_dates(rules, 2026)
        assert dates["after"] == date(2026, 4, 7)
        assert dates["before"] == date(2026, 3, 31)

    def test_working_days_skip_whit_monday_on_constitution_day(self) -> None:
        # 2027: 17 May is both Grunnlovsdag and Andre pinsedag (a Monday).
        rules = {
            "friday": {"rule": "fixed", "month": 5, "day": 14},
            "next": {"rule": "after", "ref": "friday", "days": 1, "working_days": True},
        }
        assert resolve_dates(rules, 2027)["next"] == date(2027, 5, 18)

    def test_working_days_across_new_year(self) -> None:
        rules = {
            "a": {"rule": "fixed", "month": 12, "day": 31},
            "b": {"rule": "after", "ref": "a", "days": 1, "working_days": True},
        }
        # 1 January 2027 is a holiday (Friday), then a weekend.
        assert resolve_dates(rules, 2026)["b"] == date(2027, 1, 4)

    def test_refs_are_order_independent(self) -> None:
        rules = {
            "c": {"rule": "after", "ref": "b", "days": 1},
            "b": {"rule": "same", "ref": "a"},
            "a": {"rule": "fixed", "month": 5, "day": 17},
        }
        dates = resolve_dates(rules, 2026)
        assert dates == {"c": date(2026, 5, 18), "b": date(2026, 5, 17), "a": date(2026, 5, 17)}
        assert list(dates) == ["c", "b", "a"]

    def test_resolve_rule_alone(self) -> None:
        spec = {"rule": "before", "ref": "x", "days": 7}
        assert resolve_rule("y", spec, 2026, {"x": date(2026, 5, 17)}) == date(2026, 5, 10)
        assert resolve_rule("z", {"rule": "easter"}, 2027) == EASTER[2027]
        with pytest.raises(SeedRuleError, match="«y» viser til «x», som ikke finnes"):
            resolve_rule("y", spec, 2026)


class TestErrors:
    def test_error_is_a_value_error(self) -> None:
        assert issubclass(SeedRuleError, ValueError)

    def test_unknown_ref(self) -> None:
        with pytest.raises(SeedRuleError, match="«b» viser til «nope», som ikke finnes"):
            resolve_dates({"b": {"rule": "same", "ref": "nope"}}, 2026)

    def test_self_reference_is_a_cycle(self) -> None:
        with pytest.raises(SeedRuleError, match="i ring"):
            resolve_dates({"a": {"rule": "same", "ref": "a"}}, 2026)

    def test_two_cycle(self) -> None:
        rules = {
            "a": {"rule": "before", "ref": "b", "days": 1},
            "b": {"rule": "after", "ref": "a", "days": 1},
        }
        with pytest.raises(SeedRuleError, match="i ring"):
            resolve_dates(rules, 2026)

    def test_longer_cycle_names_its_keys(self) -> None:
        rules = {
            "ok": {"rule": "fixed", "month": 1, "day": 1},
            "x": {"rule": "same", "ref": "y"},
            "y": {"rule": "after", "ref": "z", "days": 1},
            "z": {"rule": "same", "ref": "x"},
        }
        with pytest.raises(SeedRuleError) as info:
            resolve_dates(rules, 2026)
        message = str(info.value)
        assert all(f"«{key}»" in message for key in "xyz")
        assert "«ok»" not in message

    def test_unknown_rule(self) -> None:
        with pytest.raises(SeedRuleError, match="Ukjent regeltype «monthly» for «a»"):
            resolve_dates({"a": {"rule": "monthly"}}, 2026)

    @pytest.mark.parametrize(
        ("spec", "fragment"),
        [
            ({"month": 3, "day": 1}, "mangler feltet «rule»"),
            ("1. mars", "må være en tabell"),
            ({"rule": "fixed", "month": 3}, "mangler feltet «day»"),
            ({"rule": "before", "days": 3}, "mangler feltet «ref»"),
            ({"rule": "fixed", "month": 3, "day": 1, "offset": 2}, "Ukjent felt «offset»"),
            ({"rule": "fixed", "month": "3", "day": 1}, "må være et heltall"),
            ({"rule": "fixed", "month": 3, "day": True}, "må være et heltall"),
            ({"rule": "easter", "offset": 1.5}, "må være et heltall"),
            ({"rule": "before", "ref": "a", "days": -1}, "kan ikke være negativt"),
            ({"rule": "after", "ref": "a", "days": 1, "working_days": "ja"}, "true eller false"),
            ({"rule": "same", "ref": 3}, "må være en nøkkel"),
        ],
    )
    def test_malformed_specs(self, spec: Any, fragment: str) -> None:
        rules = {"a": {"rule": "fixed", "month": 1, "day": 1}, "b": spec}
        with pytest.raises(SeedRuleError, match=re.escape(fragment)):
            resolve_dates(rules, 2026)

    def test_empty_rule_set(self) -> None:
        assert resolve_dates({}, 2026) == {}


class TestHolidays:
    def test_norwegian_names_2026(self) -> None:
        days = norwegian_public_holidays(2026)
        assert days[date(2026, 1, 1)] == "Første nyttårsdag"
        assert days[date(2026, 4, 2)] == "Skjærtorsdag"
        assert days[date(2026, 4, 5)] == "Første påskedag"
        assert days[date(2026, 5, 14)] == "Kristi himmelfartsdag"
        assert days[date(2026, 5, 17)] == "Grunnlovsdag"
        assert days[date(2026, 12, 26)] == "Andre juledag"

    @pytest.mark.parametrize("year", YEARS)
    def test_only_statutory_holidays_not_every_sunday(self, year: int) -> None:
        days = norwegian_public_holidays(year)
        assert 10 <= len(days) <= 12
        assert all(day.year == year for day in days)
        assert all("søndag" not in name.lower() for name in days.values())
        assert EASTER.get(year, easter(year)) in days

    def test_result_is_a_copy(self) -> None:
        norwegian_public_holidays(2026).clear()
        assert norwegian_public_holidays(2026)

    def test_is_working_day(self) -> None:
        assert is_working_day(date(2026, 3, 2))  # Monday
        assert not is_working_day(date(2026, 3, 1))  # Sunday
        assert not is_working_day(date(2026, 2, 28))  # Saturday
        assert not is_working_day(date(2026, 4, 6))  # Andre påskedag
        assert not is_working_day(date(2026, 5, 1))  # Friday, Arbeidernes dag
        assert is_working_day(date(2026, 12, 24))  # Julaften is not a public holiday


# =========================================================================== the seed file


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    with SEED_PATH.open("rb") as fh:
        return tomllib.load(fh)


def date_rules(seed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Rules the way the seeding service builds them: posts plus '<peak>.start/.end'."""
    rules = {post["key"]: post["date"] for post in seed["posts"]}
    for peak in seed["peak_periods"]:
        rules[f"{peak['key']}.start"] = peak["start"]
        rules[f"{peak['key']}.end"] = peak["end"]
    return rules


def applies(item: dict[str, Any], year: int) -> bool:
    which = item.get("years", "all")
    return which == "all" or (which == "odd") == (year % 2 == 1)


def names(seed: dict[str, Any], section: str) -> set[str]:
    return {item["name"] for item in seed[section]}


def contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_meta(seed: dict[str, Any]) -> None:
    assert seed["meta"]["name"] == "Anbefalt årshjul for kommunal kommunikasjon"
    assert seed["meta"]["version"] == 1
    assert seed["meta"]["description"].strip()


def test_service_areas(seed: dict[str, Any]) -> None:
    areas = [area["name"] for area in seed["service_areas"]]
    assert len(areas) == len(set(areas))
    for required in (
        "Oppvekst",
        "Helse og omsorg",
        "Teknisk",
        "Kultur",
        "Plan og bygg",
        "Økonomi",
        "Politikk",
        "Kommunikasjon og beredskap",
        "Fellestjenester",
    ):
        assert required in areas


def test_audiences(seed: dict[str, Any]) -> None:
    audiences = seed["audiences"]
    assert len(audiences) >= 8
    assert len(names(seed, "audiences")) == len(audiences)
    assert [a["priority"] for a in audiences] == list(range(1, len(audiences) + 1))
    areas = names(seed, "service_areas")
    for audience in audiences:
        assert audience["service_area"] in areas, audience["name"]
        assert len(audience["description"]) > 60, audience["name"]


def test_channels(seed: dict[str, Any]) -> None:
    channels = seed["channels"]
    assert len(channels) >= 10
    assert len(names(seed, "channels")) == len(channels)
    types = {c["type"] for c in channels}
    assert types <= SOCIAL_TYPES | TRADITIONAL_TYPES
    assert len(types & SOCIAL_TYPES) >= 3
    assert len(types & TRADITIONAL_TYPES) >= 4
    colours = [c["colour"].lower() for c in channels]
    assert len(set(colours)) == len(colours)
    for channel in channels:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", channel["colour"]), channel["name"]
        assert contrast_with_white(channel["colour"]) >= 4.5, channel["name"]
        assert isinstance(channel["response_hours"], int) and channel["response_hours"] >= 0
        if channel["type"] in SOCIAL_TYPES:
            # Dialogue channels state their response time and rules on the profile.
            assert channel["response_hours"] > 0, channel["name"]
            text = channel["profile_text"]
            assert "svarer" in text and "behandler ikke" in text, channel["name"]
            assert "personopplysninger" in text, channel["name"]
        if channel["type"] in {"plakat", "annonse_lokalavis", "pressemelding"}:
            assert channel["response_hours"] == 0, channel["name"]


def test_reach_matrix(seed: dict[str, Any]) -> None:
    channels, audiences = names(seed, "channels"), names(seed, "audiences")
    pairs = set()
    for entry in seed["reach"]:
        assert entry["channel"] in channels, entry
        assert entry["audience"] in audiences, entry
        assert entry["level"] in (1, 2, 3), entry
        pairs.add((entry["channel"], entry["audience"]))
    assert len(pairs) == len(seed["reach"]), "duplicate reach entries"
    # Every channel reaches someone, every audience is reached well by some channel.
    assert {channel for channel, _ in pairs} == channels
    for audience in audiences:
        assert any(e["audience"] == audience and e["level"] >= 2 for e in seed["reach"]), audience


def test_posts_count_and_keys(seed: dict[str, Any]) -> None:
    posts = seed["posts"]
    assert len(posts) >= 45
    keys = [post["key"] for post in posts] + [peak["key"] for peak in seed["peak_periods"]]
    assert len(keys) == len(set(keys)), "keys must be unique across posts and peak periods"
    assert all(SLUG.match(key) for key in keys), [k for k in keys if not SLUG.match(k)]


def test_posts_refer_to_existing_names(seed: dict[str, Any]) -> None:
    channels, audiences = names(seed, "channels"), names(seed, "audiences")
    areas = names(seed, "service_areas")
    for post in seed["posts"]:
        assert post["channels"] and set(post["channels"]) <= channels, post["key"]
        assert post["audiences"] and set(post["audiences"]) <= audiences, post["key"]
        assert post["service_area"] in areas, post["key"]
        assert len(set(post["channels"])) == len(post["channels"]), post["key"]


def test_post_fields(seed: dict[str, Any]) -> None:
    for post in seed["posts"]:
        key = post["key"]
        assert post["title"].strip() and len(post["title"]) <= 200, key
        assert len(post["description"]) > 40, key
        assert post["kind"] in KINDS, key
        assert post["status"] in STATUSES, key
        assert post.get("years", "all") in {"odd", "even", "all"}, key
        assert isinstance(post["archive_worthy"], bool), key
        assert post.get("duration_days", 1) >= 1, key
        link = post.get("link", "")
        assert not link or link.startswith("https://"), key
        if "time" in post:
            hour, minute = post["time"].split(":")
            time(int(hour), int(minute))
            assert post.get("duration_minutes", 60) > 0, key
            assert "duration_days" not in post, key
        else:
            assert "duration_minutes" not in post, key
        text = " ".join(str(post.get(f, "")) for f in ("title", "description", "varies"))
        assert "lorem" not in text.lower(), key
    kinds = {post["kind"] for post in seed["posts"]}
    assert kinds == KINDS


def test_every_post_reaches_everyone_beyond_social_media(seed: dict[str, Any]) -> None:
    """Social media supplement, never replace: a web page, traditional channel or link."""
    types = {c["name"]: c["type"] for c in seed["channels"]}
    for post in seed["posts"]:
        channel_types = {types[name] for name in post["channels"]}
        assert channel_types - SOCIAL_TYPES or post.get("link"), post["key"]


def test_every_post_audience_is_reached_by_its_channels(seed: dict[str, Any]) -> None:
    levels = {(e["channel"], e["audience"]): e["level"] for e in seed["reach"]}
    for post in seed["posts"]:
        for audience in post["audiences"]:
            best = max(levels.get((channel, audience), 0) for channel in post["channels"])
            assert best >= 2, (post["key"], audience)


def test_every_rule_type_is_used(seed: dict[str, Any]) -> None:
    specs = list(date_rules(seed).values())
    assert {spec["rule"] for spec in specs} == {
        "fixed",
        "nth_weekday",
        "iso_week",
        "easter",
        "before",
        "after",
        "same",
    }
    assert any(spec.get("working_days") for spec in specs)
    assert any(spec["rule"] == "nth_weekday" and spec["n"] < 0 for spec in specs)
    assert any(s["rule"] == "easter" and s.get("offset", 0) > 30 for s in specs)
    assert any(s["rule"] == "easter" and s.get("offset", 0) < 0 for s in specs)


@pytest.mark.parametrize("year", YEARS)
def test_all_dates_resolve(seed: dict[str, Any], year: int) -> None:
    dates = resolve_dates(date_rules(seed), year)
    for post in seed["posts"]:
        day = dates[post["key"]]
        # Everything lands in the year it is planned for.
        assert day.year == year, (post["key"], day)
        end = day + timedelta(days=post.get("duration_days", 1) - 1)
        assert end.year == year, (post["key"], end)
    for peak in seed["peak_periods"]:
        start, end = dates[f"{peak['key']}.start"], dates[f"{peak['key']}.end"]
        assert start <= end, peak["key"]
        assert start.year == end.year == year, peak["key"]


@pytest.mark.parametrize("year", [2026, 2027, 2031])
def test_posts_cover_all_twelve_months(seed: dict[str, Any], year: int) -> None:
    dates = resolve_dates(date_rules(seed), year)
    months = {dates[post["key"]].month for post in seed["posts"] if applies(post, year)}
    assert months == set(range(1, 13))
    assert sum(applies(post, year) for post in seed["posts"]) >= 45


@pytest.mark.parametrize("year", YEARS)
def test_recurring_posts_stay_in_their_year(seed: dict[str, Any], year: int) -> None:
    dates = resolve_dates(date_rules(seed), year)
    recurring = [post for post in seed["posts"] if post.get("rrule")]
    assert 1 <= len(recurring) <= 3
    for post in recurring:
        hour, minute = (int(x) for x in post.get("time", "00:00").split(":"))
        start = datetime.combine(dates[post["key"]], time(hour, minute))
        occurrences = list(rrulestr(post["rrule"], dtstart=start))
        assert occurrences[0] == start, post["key"]  # DTSTART matches the rule
        assert all(o.year == year for o in occurrences), post["key"]
        assert 2 <= len(occurrences) <= 12, post["key"]


def test_kindergarten_peak(seed: dict[str, Any]) -> None:
    peak = next(p for p in seed["peak_periods"] if p["key"] == "barnehage-topp")
    assert "barnehage-soknadsfrist" in peak["posts"]
    assert peak["required_staff"] >= 2
    for year in YEARS:
        dates = resolve_dates(date_rules(seed), year)
        deadline = dates["barnehage-soknadsfrist"]
        assert deadline == date(year, 3, 1)
        assert dates["barnehage-topp.end"] == deadline
        assert dates["barnehage-topp.start"] == deadline - timedelta(days=14)
    assert resolve_dates(date_rules(seed), 2026)["barnehage-soknadsfrist"].isoweekday() == 7


def test_peak_periods(seed: dict[str, Any]) -> None:
    post_keys = {post["key"] for post in seed["posts"]}
    peaks = {peak["key"]: peak for peak in seed["peak_periods"]}
    assert {"barnehage-topp", "eiendomsskatt-topp", "valg-topp", "skolestart-topp"} <= set(peaks)
    assert peaks["valg-topp"]["years"] == "odd"
    for peak in peaks.values():
        assert peak["name"].strip() and len(peak["reason"]) > 40, peak["key"]
        assert peak["required_staff"] >= 1, peak["key"]
        assert peak["posts"] and set(peak["posts"]) <= post_keys, peak["key"]
        for bound in ("start", "end"):
            ref = peak[bound].get("ref")
            assert ref is None or ref in post_keys, (peak["key"], bound)


def test_property_tax_dates(seed: dict[str, Any]) -> None:
    dates = resolve_dates(date_rules(seed), 2026)
    post = next(p for p in seed["posts"] if p["key"] == "eiendomsskatt-utlegging")
    assert dates["eiendomsskatt-utlegging"] == date(2026, 3, 1)
    assert post["duration_days"] >= 21
    assert dates["eiendomsskatt-klagefrist"] == date(2026, 3, 1) + timedelta(weeks=6)
    assert dates["eiendomsskatt-topp.start"] == date(2026, 3, 1)
    assert dates["eiendomsskatt-topp.end"] == dates["eiendomsskatt-klagefrist"]


def test_elections_only_in_odd_years(seed: dict[str, Any]) -> None:
    posts = {post["key"]: post for post in seed["posts"]}
    for key in ("tidligstemming", "forhandsstemming", "valgdag", "valgkveld"):
        assert posts[key]["years"] == "odd", key
    for year in (2025, 2027, 2029, 2031):
        dates = resolve_dates(date_rules(seed), year)
        assert dates["forhandsstemming"] == date(year, 8, 10)
        assert dates["valgdag"].month == 9 and dates["valgdag"].weekday() == 0
    assert not applies(posts["valgdag"], 2026)
    assert applies(posts["valgdag"], 2027)


@pytest.mark.parametrize("year", sorted(EASTER))
def test_easter_related_posts(seed: dict[str, Any], year: int) -> None:
    dates = resolve_dates(date_rules(seed), year)
    sunday = EASTER[year]
    assert dates["paske-apningstider"] < sunday - timedelta(days=3)  # before skjærtorsdag
    assert dates["paske-legevakt"] == sunday - timedelta(days=4)
    assert dates["paske-legevakt"] not in norwegian_public_holidays(year)
    assert dates["kristi-himmelfart"] == sunday + timedelta(days=36)
    assert dates["kristi-himmelfart"].weekday() == 0
    assert dates["pinse"] < sunday + timedelta(days=49)


@pytest.mark.parametrize("year", YEARS)
def test_seasonal_facts(seed: dict[str, Any], year: int) -> None:
    dates = resolve_dates(date_rules(seed), year)
    assert dates["sankthans"] == date(year, 6, 23)
    assert dates["balforbud-sankthans"] < dates["sankthans"]
    assert dates["balforbud"] <= date(year, 4, 15)
    assert dates["vinterferie"].isocalendar()[1] == 9
    assert dates["skolestart"].isocalendar()[1] == 34
    assert dates["hostferie"].isocalendar()[1] == 40
    assert dates["budsjettvedtak"].month == 12
    assert dates["budsjett-ettersyn"] <= dates["budsjettvedtak"] - timedelta(days=14)
    assert dates["barnehage-siste-frist"] < dates["barnehage-soknadsfrist"]
    assert is_working_day(dates["barnehage-siste-frist"])
    assert is_working_day(dates["sfo-paminnelse"])
    for key, (month, day) in {
        "samefolkets-dag": (2, 6),
        "kvinnedagen": (3, 8),
        "frigjoringsdagen": (5, 8),
        "17-mai": (5, 17),
        "psykisk-helse": (10, 10),
        "fn-dagen": (10, 24),
        "frivillighetens-dag": (12, 5),
    }.items():
        assert dates[key] == date(year, month, day), key


def test_varying_dates_say_so(seed: dict[str, Any]) -> None:
    posts = {post["key"]: post for post in seed["posts"]}
    for key in (
        "barnehage-soknadsfrist",
        "sfo-soknadsfrist",
        "vinterferie",
        "hostferie",
        "skolestart",
    ):
        assert posts[key].get("varies", "").strip(), key
