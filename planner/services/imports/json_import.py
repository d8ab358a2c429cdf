"""Import of the JSON export: all or nothing.

The whole document is checked first and every problem is reported (in Norwegian, with
where it is); only a document without problems is written, in one transaction. Rows are
matched on their stable keys (names, post UIDs), so importing twice does not duplicate.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.domain.dates import OSLO
from planner.domain.posts.rules import PostValues, validate_post
from planner.extensions import db
from planner.models import (
    CHANNEL_TYPES,
    DUTY_ROLES,
    REACH_LEVELS,
    Absence,
    Audience,
    Channel,
    DutyAssignment,
    Organisation,
    PeakPeriod,
    Post,
    PostException,
    Reach,
    ServiceArea,
    StaffMember,
    Wheel,
)
from planner.services.exports.json_export import FORMAT_VERSION


class ImportProblems(ValueError):
    """The import was refused; ``problems`` lists every problem found, in Norwegian."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_moment(text: Any) -> tuple[datetime, bool]:
    """Parse an ISO 8601 date or date-time into a naive Oslo wall-clock datetime.

    Returns ``(value, is_date)``. Aware values are converted to Europe/Oslo.
    """
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time()), True
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig ISO 8601-dato") from exc
    if value.tzinfo is not None:
        value = value.astimezone(OSLO).replace(tzinfo=None)
    return value, False


def _parse_date(text: Any) -> date:
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig dato (åååå-mm-dd)") from exc


def _parse_week(text: Any) -> date:
    try:
        year, week = str(text).split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke en gyldig ISO-uke (åååå-Wuu)") from exc


class _Checker:
    """Collects problems while reading the document."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(
        self, item: dict[str, Any], key: str, where: str, max_len: int, required: bool = False
    ) -> str:
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"«{key}» må være tekst.")
            return ""
        if required and not value.strip():
            self.fail(where, f"«{key}» mangler.")
        if len(value) > max_len:
            self.fail(where, f"«{key}» kan ha høyst {max_len} tegn.")
        return value


def _existing(model: type[Any], org_id: int | None) -> dict[str, Any]:
    if org_id is None:
        return {}
    rows = db.session.execute(select(model).where(model.organisation_id == org_id)).scalars()
    return {r.name: r for r in rows}


def import_json(data: Any, organisation: Organisation | None = None) -> Organisation:
    """Import an export document. Writes nothing and raises ImportProblems if anything is wrong.

    The target is ``organisation`` if given, else the organisation named in the document
    (created if it does not exist). Commits on success.
    """
    try:
        existing = set(db.session.execute(select(Organisation.id)).scalars())
        with db.session.no_autoflush:
            org = _import(data, organisation)
        _restore_history(data, org, created=org.id not in existing)
        db.session.commit()
        return org
    except IntegrityError as exc:
        db.session.rollback()
        # A rule of the database the checks above did not foresee (e.g. two posts with the
        # same seed key in one wheel): refuse the whole file, clearly, instead of a 500.
        raise ImportProblems(
            [
                "Filen bryter en regel i databasen (for eksempel to innlegg med samme nøkkel i "
                f"samme årshjul, eller et navn som finnes to ganger): {exc.orig}"
            ]
        ) from exc
    except BaseException:
        db.session.rollback()
        raise


# The JSON types every field must have (None allowed where the export writes null).
_TEXT, _TEXT_OR_NULL, _INT, _BOOL = (str,), (str, type(None)), (int,), (bool,)
_SHAPES: dict[str, dict[str, tuple[type, ...]]] = {
    "service_areas": {"name": _TEXT},
    "audiences": {
        "name": _TEXT,
        "description": _TEXT,
        "service_area": _TEXT_OR_NULL,
        "priority": _INT,
    },
    "channels": {
        "name": _TEXT,
        "type": _TEXT,
        "response_hours": _INT,
        "profile_text": _TEXT,
        "colour": _TEXT,
    },
    "reach": {"channel": _TEXT, "audience": _TEXT, "level": _INT},
    "wheels": {"name": _TEXT, "year": _INT},
    "posts": {
        "uid": _TEXT,
        "wheel": _TEXT,
        "title": _TEXT,
        "description": _TEXT,
        "start": _TEXT,
        "end": _TEXT,
        "all_day": _BOOL,
        "status": _TEXT,
        "kind": _TEXT,
        "channels": (list,),
        "audiences": (list,),
        "service_area": _TEXT_OR_NULL,
        "rrule": _TEXT_OR_NULL,
        "exceptions": (list,),
        "responsible": _TEXT,
        "link": _TEXT,
        "archive_worthy": _BOOL,
        "notes": _TEXT,
        "seed_key": _TEXT_OR_NULL,
        "version": _INT,
    },
    "peak_periods": {
        "name": _TEXT,
        "start": _TEXT,
        "end": _TEXT,
        "required_staff": _INT,
        "reason": _TEXT,
        "posts": (list,),
        "seed_key": _TEXT_OR_NULL,
    },
    "staff": {
        "name": _TEXT,
        "email": _TEXT,
        "working_days": (list,),
        "active": _BOOL,
        "absences": (list,),
    },
    "duty": {"person": _TEXT, "week": _TEXT, "day": _TEXT_OR_NULL, "role": _TEXT},
}
_LIST_ITEMS: dict[tuple[str, str], type] = {
    ("posts", "channels"): str,
    ("posts", "audiences"): str,
    ("posts", "exceptions"): dict,
    ("peak_periods", "posts"): str,
    ("staff", "working_days"): int,
    ("staff", "absences"): dict,
}
_TYPE_NAMES = {
    str: "tekst",
    int: "et helt tall",
    bool: "true/false",
    list: "en liste",
    dict: "et objekt",
}


def _check_shapes(data: dict[str, Any]) -> list[str]:
    """Type-check every known field before anything is read, so a mangled file gets a
    clear message per place instead of an error deep inside the import."""
    problems: list[str] = []
    for section, fields in _SHAPES.items():
        for i, item in enumerate(data.get(section, []) or [], 1):
            where = f"«{section}» nr. {i}"
            if not isinstance(item, dict):
                problems.append(f"{where}: må være et objekt.")
                continue
            for key, types in fields.items():
                if key not in item:
                    continue
                value: Any = item[key]
                # bool is an int in Python: an int field must not accept true/false
                if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                    wanted = " eller ".join(_TYPE_NAMES.get(t, "null") for t in types)
                    problems.append(f"{where}: «{key}» må være {wanted}.")
                    continue
                inner = _LIST_ITEMS.get((section, key))
                members: list[Any] = value if isinstance(value, list) else []
                if inner is not None and any(
                    not isinstance(v, inner) or (inner is int and isinstance(v, bool))
                    for v in members
                ):
                    problems.append(f"{where}: «{key}» må være en liste av {_TYPE_NAMES[inner]}.")
    for i, post in enumerate(data.get("posts", []) or [], 1):
        if isinstance(post, dict) and isinstance(post.get("exceptions"), list):
            for j, exc in enumerate(post["exceptions"], 1):
                if isinstance(exc, dict) and not all(
                    isinstance(exc.get(k), (str, type(None)))
                    for k in ("recurrence_id", "start", "end")
                ):
                    problems.append(f"«posts» nr. {i}, unntak {j}: datoene må være tekst.")
    return problems


def _import(data: Any, organisation: Organisation | None) -> Organisation:
    check = _Checker()
    if not isinstance(data, dict):
        raise ImportProblems(["Filen er ikke en JSON-eksport fra årshjulet (forventet et objekt)."])
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportProblems(
            [f"Ukjent formatversjon «{data.get('format_version')}» (støttet: {FORMAT_VERSION})."]
        )
    for key in ("organisation", "audiences", "channels", "posts", "peak_periods", "duty"):
        if key not in data:
            check.fail("Filen", f"mangler «{key}».")
    for key in (
        "service_areas",
        "audiences",
        "channels",
        "reach",
        "wheels",
        "posts",
        "peak_periods",
        "staff",
        "duty",
    ):
        if not isinstance(data.get(key, []), list):
            check.fail("Filen", f"«{key}» må være en liste.")
    if check.problems:
        raise ImportProblems(check.problems)
    if not isinstance(data.get("organisation"), dict):
        raise ImportProblems(["«organisation» må være et objekt med navnet på kommunen."])
    shape_problems = _check_shapes(data)
    if shape_problems:
        raise ImportProblems(shape_problems)

    if organisation is None:
        org_name = str((data.get("organisation") or {}).get("name") or "").strip()
        if not org_name:
            raise ImportProblems(["Filen mangler navnet på kommunen (organisation.name)."])
        organisation = db.session.execute(
            select(Organisation).where(Organisation.name == org_name)
        ).scalar()
        if organisation is None:
            organisation = Organisation(name=org_name)
            db.session.add(organisation)
            db.session.flush()
    org_id = organisation.id

    areas = _existing(ServiceArea, org_id)
    for i, item in enumerate(data.get("service_areas", []), 1):
        name = check.text(item, "name", f"Virksomhetsområde {i}", 120, required=True).strip()
        if name and name not in areas:
            areas[name] = ServiceArea(organisation_id=org_id, name=name)
            db.session.add(areas[name])

    def area_for(item: dict[str, Any], where: str) -> ServiceArea | None:
        name = item.get("service_area")
        if not name:
            return None
        if name not in areas:
            areas[name] = ServiceArea(organisation_id=org_id, name=str(name)[:120])
            db.session.add(areas[name])
        return areas[name]

    audiences = _existing(Audience, org_id)
    for i, item in enumerate(data["audiences"], 1):
        where = f"Målgruppe {i}"
        name = check.text(item, "name", where, 160, required=True).strip()
        priority = item.get("priority", 1)
        if not isinstance(priority, int) or priority < 1:
            check.fail(where, "prioritet må være et helt tall fra 1 og oppover.")
            priority = 1
        audience = audiences.get(name) or Audience(organisation_id=org_id, name=name)
        audience.description = check.text(item, "description", where, 10_000)
        audience.priority = priority
        audience.service_area = area_for(item, where)
        audiences[name] = audience
        db.session.add(audience)

    channels = _existing(Channel, org_id)
    for i, item in enumerate(data["channels"], 1):
        where = f"Kanal {i}"
        name = check.text(item, "name", where, 120, required=True).strip()
        ctype = item.get("type")
        if ctype not in CHANNEL_TYPES:
            check.fail(where, f"ukjent kanaltype «{ctype}».")
        hours = item.get("response_hours", 0)
        if not isinstance(hours, int) or hours < 0:
            check.fail(where, "svartid må være et helt antall timer (0 eller mer).")
            hours = 0
        colour = check.text(item, "colour", where, 7) or "#1b4f9c"
        channel = channels.get(name) or Channel(organisation_id=org_id, name=name)
        channel.type = ctype if ctype in CHANNEL_TYPES else "nettside"
        channel.response_hours = hours
        channel.profile_text = check.text(item, "profile_text", where, 10_000)
        channel.colour = colour
        channels[name] = channel
        db.session.add(channel)

    reach_rows = {
        (r.channel.name, r.audience.name): r
        for r in db.session.execute(select(Reach).where(Reach.organisation_id == org_id)).scalars()
    }
    for i, item in enumerate(data.get("reach", []), 1):
        where = f"Rekkevidde {i}"
        channel, audience = channels.get(item.get("channel")), audiences.get(item.get("audience"))
        if channel is None or audience is None:
            check.fail(
                where,
                f"ukjent kanal «{item.get('channel')}» eller målgruppe «{item.get('audience')}».",
            )
            continue
        level = item.get("level", 2)
        if level not in REACH_LEVELS:
            check.fail(where, "nivå må være 1, 2 eller 3.")
            continue
        row = reach_rows.get((channel.name, audience.name))
        if row is None:
            row = Reach(organisation_id=org_id, channel=channel, audience=audience)
            reach_rows[(channel.name, audience.name)] = row
            db.session.add(row)
        row.level = level

    wheels = {
        (w.year, w.name): w
        for w in db.session.execute(select(Wheel).where(Wheel.organisation_id == org_id)).scalars()
    }
    for i, item in enumerate(data.get("wheels", []), 1):
        year = item.get("year")
        name = check.text(item, "name", f"Årshjul {i}", 200, required=True)
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            check.fail(f"Årshjul {i}", "år må være mellom 2000 og 2100.")
            continue
        if (year, name) not in wheels:
            wheels[(year, name)] = Wheel(organisation_id=org_id, year=year, name=name)
            db.session.add(wheels[(year, name)])
    wheels_by_name = {name: w for (_, name), w in wheels.items()}

    posts_by_uid = {
        p.uid: p
        for p in db.session.execute(select(Post).where(Post.organisation_id == org_id)).scalars()
    }
    seen_uids: set[str] = set()
    for i, item in enumerate(data["posts"], 1):
        where = f"Innlegg {i} («{str(item.get('title', ''))[:60]}»)"
        uid = check.text(item, "uid", where, 255, required=True)
        if uid in seen_uids:
            check.fail(where, f"UID «{uid}» finnes to ganger i filen.")
            continue
        seen_uids.add(uid)
        if (
            uid not in posts_by_uid
            and db.session.execute(select(Post.id).where(Post.uid == uid)).first()
        ):
            check.fail(where, f"UID «{uid}» tilhører en annen kommune.")
            continue
        try:
            start, start_is_date = parse_moment(item.get("start"))
            end, end_is_date = parse_moment(item.get("end"))
        except ValueError as exc:
            check.fail(where, f"start/slutt: {exc}.")
            continue
        all_day = bool(item.get("all_day", start_is_date))
        if all_day != start_is_date or start_is_date != end_is_date:
            check.fail(
                where, "heldagsinnlegg må ha datoer uten klokkeslett, og andre må ha klokkeslett."
            )
            continue
        values = PostValues(
            title=item.get("title") or "",
            start=start,
            end=end,
            all_day=all_day,
            status=item.get("status", "planlagt"),
            kind=item.get("kind", "proaktiv"),
            rrule=item.get("rrule"),
            link=item.get("link") or "",
        )
        for field_name, message in validate_post(values).items():
            check.fail(where, f"{field_name}: {message}")
        wheel = wheels_by_name.get(item.get("wheel", ""))
        if wheel is None:
            year = start.year
            wheel = wheels.get((year, f"Årshjul {year}"))
            if wheel is None:
                wheel = Wheel(organisation_id=org_id, year=year, name=f"Årshjul {year}")
                wheels[(year, wheel.name)] = wheels_by_name[wheel.name] = wheel
                db.session.add(wheel)
        chosen_channels = []
        for name in item.get("channels", []) or []:
            if name not in channels:
                check.fail(where, f"ukjent kanal «{name}».")
            else:
                chosen_channels.append(channels[name])
        chosen_audiences = []
        for name in item.get("audiences", []) or []:
            if name not in audiences:
                check.fail(where, f"ukjent målgruppe «{name}».")
            else:
                chosen_audiences.append(audiences[name])
        post = posts_by_uid.get(uid) or Post(organisation_id=org_id, uid=uid)
        post.wheel = wheel
        post.title = values.title.strip()[:200]
        post.description = check.text(item, "description", where, 100_000)
        post.start, post.end, post.all_day = start, end, all_day
        post.status, post.kind, post.rrule = values.status, values.kind, values.rrule or None
        post.service_area = area_for(item, where)
        post.responsible = check.text(item, "responsible", where, 200)
        post.link = values.link[:500]
        post.archive_worthy = bool(item.get("archive_worthy", False))
        post.notes = check.text(item, "notes", where, 100_000)
        post.seed_key = item.get("seed_key") or None
        if isinstance(item.get("version"), int) and item["version"] >= 1 and post.id is None:
            post.version = item["version"]
        post.channels = chosen_channels
        post.audiences = chosen_audiences
        # Reuse rows by RECURRENCE-ID: the unit of work inserts before it deletes.
        old_exceptions = {e.recurrence_id: e for e in post.exceptions}
        new_exceptions: list[PostException] = []
        for j, exc_item in enumerate(item.get("exceptions", []) or [], 1):
            try:
                rid, _ = parse_moment(exc_item.get("recurrence_id"))
                ex_start = parse_moment(exc_item["start"])[0] if exc_item.get("start") else None
                ex_end = parse_moment(exc_item["end"])[0] if exc_item.get("end") else None
            except ValueError as exc:
                check.fail(f"{where}, unntak {j}", f"{exc}.")
                continue
            row = old_exceptions.get(rid) or PostException(
                organisation_id=org_id, recurrence_id=rid
            )
            row.cancelled, row.start, row.end = bool(exc_item.get("cancelled")), ex_start, ex_end
            new_exceptions.append(row)
        post.exceptions = new_exceptions
        posts_by_uid[uid] = post
        db.session.add(post)

    peaks = {
        (p.seed_key or f"{p.name}|{p.start.isoformat()}"): p
        for p in db.session.execute(
            select(PeakPeriod).where(PeakPeriod.organisation_id == org_id)
        ).scalars()
    }
    for i, item in enumerate(data["peak_periods"], 1):
        where = f"Toppbelastning {i} («{str(item.get('name', ''))[:60]}»)"
        name = check.text(item, "name", where, 200, required=True)
        try:
            peak_start, peak_end = _parse_date(item.get("start")), _parse_date(item.get("end"))
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        if peak_end < peak_start:
            check.fail(where, "slutt kan ikke være før start.")
            continue
        required = item.get("required_staff", 2)
        if not isinstance(required, int) or required < 1:
            check.fail(where, "bemanningsbehov må være et helt tall fra 1 og oppover.")
            continue
        key = item.get("seed_key") or f"{name}|{peak_start.isoformat()}"
        peak = peaks.get(key) or PeakPeriod(organisation_id=org_id)
        peak.seed_key = item.get("seed_key") or None
        peak.name, peak.start, peak.end = name, peak_start, peak_end
        peak.required_staff = required
        peak.reason = check.text(item, "reason", where, 10_000)
        linked = []
        for uid in item.get("posts", []) or []:
            if uid not in posts_by_uid:
                check.fail(where, f"viser til et ukjent innlegg «{uid}».")
            else:
                linked.append(posts_by_uid[uid])
        peak.posts = linked
        peaks[key] = peak
        db.session.add(peak)

    staff = _existing(StaffMember, org_id)
    for i, item in enumerate(data.get("staff", []), 1):
        where = f"Medarbeider {i}"
        name = check.text(item, "name", where, 200, required=True).strip()
        days = item.get("working_days", [1, 2, 3, 4, 5])
        if not isinstance(days, list) or any(d not in range(1, 8) for d in days):
            check.fail(
                where, "arbeidsdager må være en liste med tall fra 1 (mandag) til 7 (søndag)."
            )
            days = [1, 2, 3, 4, 5]
        member = staff.get(name) or StaffMember(organisation_id=org_id, name=name)
        member.email = check.text(item, "email", where, 254)
        member.working_days = ",".join(str(d) for d in days)
        member.active = bool(item.get("active", True))
        # Reuse absence rows that are already there (no delete-and-recreate on re-import).
        old_absences = {(a.start, a.end, a.reason): a for a in member.absences}
        member.absences = []
        for j, absence in enumerate(item.get("absences", []) or [], 1):
            try:
                a_start, a_end = _parse_date(absence.get("start")), _parse_date(absence.get("end"))
            except ValueError as exc:
                check.fail(f"{where}, fravær {j}", f"{exc}.")
                continue
            if a_end < a_start:
                check.fail(f"{where}, fravær {j}", "slutt kan ikke være før start.")
                continue
            reason = str(absence.get("reason", ""))[:200]
            member.absences.append(
                old_absences.get((a_start, a_end, reason))
                or Absence(organisation_id=org_id, start=a_start, end=a_end, reason=reason)
            )
        staff[name] = member
        db.session.add(member)

    duty_rows = {
        (d.staff_member.name, d.week_start, d.day, d.role): d
        for d in db.session.execute(
            select(DutyAssignment).where(DutyAssignment.organisation_id == org_id)
        ).scalars()
    }
    for i, item in enumerate(data["duty"], 1):
        where = f"Vakt {i}"
        member = staff.get(item.get("person"))
        if member is None:
            check.fail(where, f"ukjent person «{item.get('person')}».")
            continue
        try:
            week_start = _parse_week(item.get("week"))
            day = _parse_date(item["day"]) if item.get("day") else None
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        if day is not None and day.isocalendar()[:2] != week_start.isocalendar()[:2]:
            check.fail(where, "dagen ligger ikke i uken.")
            continue
        role = item.get("role")
        if role not in DUTY_ROLES:
            check.fail(where, f"ukjent rolle «{role}» (main eller backup).")
            continue
        if (member.name, week_start, day, role) not in duty_rows:
            row = DutyAssignment(
                organisation_id=org_id,
                staff_member=member,
                week_start=week_start,
                day=day,
                role=role,
            )
            duty_rows[(member.name, week_start, day, role)] = row
            db.session.add(row)

    _import_extras(data, organisation, check, staff, channels, audiences, areas)
    if check.problems:
        raise ImportProblems(check.problems)
    db.session.flush()
    return organisation


# --------------------------------------------------------------------------- later areas


def _parse_datetime(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("mangler eller er ikke tekst")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError as exc:
        raise ValueError(f"«{text}» er ikke et gyldig tidspunkt") from exc


def _import_extras(
    data: dict[str, Any],
    organisation: Organisation,
    check: _Checker,
    staff: dict[str, Any],
    channels: dict[str, Any],
    audiences: dict[str, Any],
    areas: dict[str, Any],
) -> None:
    """Settings, holiday periods, calendar feeds, external calendars and dismissed peak
    proposals (what the areas after the foundation keep). Matched on stable keys."""
    from planner.models import HOLIDAY_KINDS, HolidayPeriod

    org_id = organisation.id
    settings = (data.get("organisation") or {}).get("settings")
    if isinstance(settings, dict) and settings != (organisation.settings or {}):
        organisation.settings = settings
    for key in ("holiday_periods", "feeds", "external_calendars", "peak_dismissals", "history"):
        if not isinstance(data.get(key, []), list):
            check.fail("Filen", f"«{key}» må være en liste.")
            return

    feed_filters: list[tuple[Any, dict[str, Any], dict[str, list[Any]]]] = []
    holidays = {
        (h.name, h.start): h
        for h in db.session.execute(
            select(HolidayPeriod).where(HolidayPeriod.organisation_id == org_id)
        ).scalars()
    }
    for i, item in enumerate(data.get("holiday_periods", []), 1):
        where = f"Ferie {i} («{str(item.get('name', ''))[:60]}»)"
        name = check.text(item, "name", where, 200, required=True)
        try:
            start, end = _parse_date(item.get("start")), _parse_date(item.get("end"))
        except ValueError as exc:
            check.fail(where, f"{exc}.")
            continue
        kind = item.get("kind", "skoleferie")
        if end < start or kind not in HOLIDAY_KINDS:
            check.fail(where, "slutt før start eller ukjent type.")
            continue
        holiday = holidays.get((name, start)) or HolidayPeriod(
            organisation_id=org_id, name=name, start=start
        )
        holiday.end, holiday.kind = end, kind
        holidays[(name, start)] = holiday
        db.session.add(holiday)

    try:
        from planner.models.feeds import (
            EXTERNAL_KINDS,
            FEED_KINDS,
            ExternalCalendar,
            ExternalEvent,
            Feed,
        )
    except ImportError:  # pragma: no cover - the feeds area is not installed
        pass
    else:
        feeds = {
            f.token: f
            for f in db.session.execute(
                select(Feed).where(Feed.organisation_id == org_id)
            ).scalars()
        }
        for i, item in enumerate(data.get("feeds", []), 1):
            where = f"Kalenderfeed {i} («{str(item.get('name', ''))[:60]}»)"
            name = check.text(item, "name", where, 200, required=True)
            token = check.text(item, "token", where, 100, required=True)
            kind = item.get("kind", "plan")
            if kind not in FEED_KINDS:
                check.fail(where, f"ukjent type «{kind}».")
                continue
            if (
                token not in feeds
                and db.session.execute(select(Feed.id).where(Feed.token == token)).first()
            ):
                check.fail(where, "nøkkelen (token) brukes allerede av en annen kommune.")
                continue
            stored = item.get("filter") or {}
            chosen: dict[str, list[Any]] = {}
            for field_name, known in (
                ("channels", channels),
                ("audiences", audiences),
                ("service_areas", areas),
            ):
                chosen[field_name] = []
                for value in stored.get(field_name, []) or []:
                    if value not in known:
                        check.fail(where, f"filteret viser til ukjent navn «{value}».")
                    else:
                        chosen[field_name].append(known[value])
            person = item.get("staff_member")
            if person and person not in staff:
                check.fail(where, f"ukjent person «{person}».")
                continue
            try:
                revoked = _parse_datetime(item["revoked_at"]) if item.get("revoked_at") else None
            except ValueError as exc:
                check.fail(where, f"{exc}.")
                continue
            reminder = item.get("reminder_days")
            feed = feeds.get(token) or Feed(organisation_id=org_id, kind=kind)
            if feed.token != token:
                feed.set_token(token)
            feed.name, feed.kind = name, kind
            feed.staff_member = staff[person] if person else None
            feed.include_drafts = bool(item.get("include_drafts", False))
            feed.reminder_days = reminder if isinstance(reminder, int) else None
            feed.public = bool(item.get("public", False))
            feed.revoked_at = revoked
            feeds[token] = feed
            db.session.add(feed)
            feed_filters.append((feed, stored, chosen))

        calendars = {
            c.name: c
            for c in db.session.execute(
                select(ExternalCalendar).where(ExternalCalendar.organisation_id == org_id)
            ).scalars()
        }
        for i, item in enumerate(data.get("external_calendars", []), 1):
            where = f"Ekstern kalender {i} («{str(item.get('name', ''))[:60]}»)"
            name = check.text(item, "name", where, 200, required=True)
            kind = item.get("kind", "annet")
            if kind not in EXTERNAL_KINDS:
                check.fail(where, f"ukjent type «{kind}».")
                continue
            calendar = calendars.get(name) or ExternalCalendar(organisation_id=org_id, name=name)
            calendar.kind = kind
            old_events: dict[tuple[str, str], Any] = {
                (e.uid, e.recurrence_key): e for e in calendar.events
            }
            events = []
            for j, event in enumerate(item.get("events", []) or [], 1):
                try:
                    start, _ = parse_moment(event.get("start"))
                    end, _ = parse_moment(event.get("end"))
                except ValueError as exc:
                    check.fail(f"{where}, hendelse {j}", f"{exc}.")
                    continue
                event_key = (
                    str(event.get("uid", ""))[:255],
                    str(event.get("recurrence_key", ""))[:32],
                )
                row = old_events.get(event_key) or ExternalEvent(
                    organisation_id=org_id, uid=event_key[0], recurrence_key=event_key[1]
                )
                row.summary = str(event.get("summary", ""))[:200]
                row.description = str(event.get("description", ""))
                row.location = str(event.get("location", ""))[:500]
                row.start, row.end = start, end
                row.all_day = bool(event.get("all_day", True))
                row.rrule = event.get("rrule") or None
                row.exdates = [str(x) for x in event.get("exdates", []) or []]
                row.cancelled = bool(event.get("cancelled", False))
                events.append(row)
            calendar.events = events
            calendars[name] = calendar
            db.session.add(calendar)

    try:
        from planner.models.staffing import PeakProposalDismissal
    except ImportError:  # pragma: no cover - the staffing area has not added it
        pass
    else:
        dismissed = {
            d.key: d
            for d in db.session.execute(
                select(PeakProposalDismissal).where(PeakProposalDismissal.organisation_id == org_id)
            ).scalars()
        }
        for i, item in enumerate(data.get("peak_dismissals", []), 1):
            where = f"Avvist forslag {i}"
            key = check.text(item, "key", where, 300, required=True)
            try:
                at = _parse_datetime(item.get("dismissed_at"))
            except ValueError as exc:
                check.fail(where, f"{exc}.")
                continue
            row = dismissed.get(key) or PeakProposalDismissal(organisation_id=org_id, key=key)
            row.label = check.text(item, "label", where, 300)
            row.dismissed_by = check.text(item, "dismissed_by", where, 254)
            row.dismissed_at = at
            dismissed[key] = row
            db.session.add(row)

    # Filters refer to ids: set them once new channels and audiences have theirs.
    if feed_filters and not check.problems:
        db.session.flush()
        for feed, stored, chosen in feed_filters:
            resolved = {
                "channels": sorted(c.id for c in chosen["channels"]),
                "audiences": sorted(a.id for a in chosen["audiences"]),
                "service_areas": sorted(a.id for a in chosen["service_areas"]),
                "statuses": list(stored.get("statuses") or []),
                "kinds": list(stored.get("kinds") or []),
                "q": str(stored.get("q") or ""),
            }
            if feed.filter != resolved:
                feed.filter = resolved


def _restore_history(data: dict[str, Any], organisation: Organisation, created: bool) -> None:
    """Bring back the change history (historikk) of the backup.

    Into a new organisation the history becomes exactly the backup's (the entries the
    restore itself caused are replaced by it); into an existing one the backup's entries
    that are missing are added, and the record of what the restore changed is kept.
    """
    try:
        from planner.models.history import HistoryEntry
    except ImportError:  # pragma: no cover - the history area is not installed
        return
    entries = data.get("history")
    if not isinstance(entries, list):
        return
    db.session.flush()
    org_id = organisation.id
    table = HistoryEntry.__table__
    if created:
        db.session.execute(table.delete().where(table.c.organisation_id == org_id))
        present: set[tuple[Any, ...]] = set()
    else:
        present = {
            (row.at, row.action, row.entity, row.label)
            for row in db.session.execute(
                select(table.c.at, table.c.action, table.c.entity, table.c.label).where(
                    table.c.organisation_id == org_id
                )
            )
        }
    rows: list[dict[str, Any]] = []
    for item in entries:
        if not isinstance(item, dict):
            continue
        try:
            at = _parse_datetime(item.get("at"))
        except ValueError:
            continue
        key = (at, str(item.get("action", ""))[:10], str(item.get("entity", ""))[:40])
        label = str(item.get("label", ""))[:255]
        if (*key, label) in present:
            continue
        present.add((*key, label))
        rows.append(
            {
                "organisation_id": org_id,
                "at": at,
                "user_id": None,
                "user_label": str(item.get("user", ""))[:254],
                "action": key[1],
                "entity": key[2],
                "entity_id": 0,
                "label": label,
                "changes": item.get("changes") if isinstance(item.get("changes"), dict) else {},
            }
        )
    if rows:
        db.session.execute(table.insert(), rows)
