"""The synthetic municipality of the benchmark: a large kommune's year, deterministic.

``build(n_posts)`` fills the current app's (fresh) database with one organisation and its
year: 8 service areas, 40 channels, 30 audiences with a reach matrix, two wheels, the
posts (about 2 % recurring, some with moved and cancelled occurrences, 1 % in the bin),
30 staff with absences, 60 peak periods tied to posts, the holiday periods, a fair duty
rota and one calendar feed of the whole plan. The same seed gives the same plan.

Posts go in with SQLAlchemy's bulk INSERT (no history rows, no per-row session work), so
50,000 posts take seconds; everything else goes through the ORM or the app's services.

Command line (a database of your own, e.g. to profile a page by hand)::

    DATABASE_URL=sqlite:////tmp/storby.sqlite .venv/bin/python bench/generate.py --posts 5000
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` and ``planner`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from planner.extensions import db, dispose_engines
from planner.models import (
    POST_KINDS,
    Absence,
    Audience,
    Channel,
    Organisation,
    PeakPeriod,
    Post,
    PostException,
    Reach,
    ServiceArea,
    StaffMember,
    User,
    Wheel,
    post_audience,
    post_channel,
)
from planner.models.staffing import peak_post

SEED = 2026
YEAR = 2026
PASSWORD = "benchmark-passord"
ADMIN_EMAIL = "admin@storby.kommune.no"
MUNICIPALITY = "Storby kommune"
#: Fixed timestamps, so two runs give the same rows (and the same feed bytes).
STAMP = datetime(YEAR - 1, 12, 1, 9, 0)

AREAS = (
    "Oppvekst",
    "Helse og omsorg",
    "Teknisk",
    "Kultur",
    "Plan og bygg",
    "Økonomi",
    "Politikk",
    "Beredskap",
)
CHANNEL_KINDS = (
    ("Facebook", "nettsamfunn"),
    ("Instagram", "delingsmedium"),
    ("X", "mikroblogg"),
    ("LinkedIn", "nettsamfunn"),
    ("YouTube", "delingsmedium"),
    ("Nettside", "nettside"),
    ("Pressemelding", "pressemelding"),
    ("Annonse i lokalavisa", "annonse_lokalavis"),
    ("SMS-varsel", "brev_sms"),
    ("Plakat", "plakat"),
    ("Folkemøte", "mote"),
    ("Blogg", "blogg"),
)
AUDIENCES = (
    "Foreldre med barn i barnehage",
    "Foreldre med barn i skolen",
    "Ungdom",
    "Eldre",
    "Pårørende",
    "Innbyggere",
    "Næringsliv",
    "Huseiere",
    "Hytteeiere",
    "Lag og foreninger",
    "Ansatte",
    "Politikere",
    "Presse",
    "Tilflyttere",
    "Søkere til sommerjobb",
)
SUBJECTS = (
    "Søknadsfrist barnehage",
    "Skoleinnskriving",
    "Eiendomsskatt: utlegging av skattelister",
    "Bålforbud",
    "Vintervedlikehold og parkering",
    "Influensavaksinering",
    "Hageavfall og vårrydding",
    "Kommunestyremøte",
    "Høring: kommuneplanens arealdel",
    "Budsjett og økonomiplan",
    "Årsregnskap og årsrapport",
    "Sommerjobb for ungdom",
    "Sommervikarer i helse og omsorg",
    "Åpningstider i ferien",
    "Renovasjon rundt helligdagene",
    "Kriseøvelse",
    "Frivillighetens dag",
    "Verdensdagen for psykisk helse",
    "Valg: forhåndsstemming",
    "Skolestart",
)
WORDS = (
    "innbyggerne",
    "frist",
    "søknad",
    "informasjon",
    "nettsiden",
    "kommunen",
    "tjenesten",
    "husk",
    "påminnelse",
    "endring",
    "åpningstid",
    "møte",
    "barnehage",
    "skole",
    "vei",
    "vann",
    "avfall",
    "kultur",
    "helse",
    "frivillige",
)
RULES = (
    "FREQ=WEEKLY;COUNT=10",
    "FREQ=WEEKLY;INTERVAL=2;COUNT=12",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;BYDAY=1TU",
    "FREQ=WEEKLY;UNTIL={until}",
)
STATUS_WEIGHTS = (("idé", 1), ("planlagt", 5), ("godkjent", 2), ("publisert", 3), ("avlyst", 1))


@dataclass
class Catalog:
    """The ids the posts draw from, and what the benchmark needs to know afterwards."""

    org_id: int
    year: int
    wheels: list[int]
    areas: list[int]
    channels: list[int]
    audiences: list[int]
    staff: list[int] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    posts: int = 0
    feed_token: str | None = None
    feed_note: str = ""


def _rng(seed: int, part: str) -> random.Random:
    """One independent random stream per part, so changing one part leaves the others alone."""
    return random.Random(f"{seed}:{part}")


def build_catalog(org: Organisation, year: int = YEAR, seed: int = SEED) -> Catalog:
    """Service areas, 40 channels, 30 audiences with priorities, the reach matrix and the
    year's two wheels (committed)."""
    rng = _rng(seed, "catalog")
    areas = [ServiceArea(organisation_id=org.id, name=name) for name in AREAS]
    db.session.add_all(areas)
    db.session.flush()
    channels = []
    for i in range(40):
        label, kind = CHANNEL_KINDS[i % len(CHANNEL_KINDS)]
        unit = AREAS[i % len(AREAS)]
        channels.append(
            Channel(
                organisation_id=org.id,
                name=f"{label} – {unit}" + (f" {i // 24 + 1}" if i >= 24 else ""),
                type=kind,
                response_hours=rng.choice((0, 4, 8, 24, 48)),
                colour=f"#{rng.randrange(0x10, 0x70):02x}{rng.randrange(0x10, 0x70):02x}"
                f"{rng.randrange(0x40, 0xA0):02x}",
                created_at=STAMP,
                updated_at=STAMP,
            )
        )
    audiences = [
        Audience(
            organisation_id=org.id,
            name=f"{AUDIENCES[i % len(AUDIENCES)]}" + (f" ({AREAS[i % 8]})" if i >= 15 else ""),
            description="Beskrivelse av målgruppen, demografisk og geografisk.",
            priority=i + 1,
            service_area_id=areas[i % len(areas)].id,
            created_at=STAMP,
            updated_at=STAMP,
        )
        for i in range(30)
    ]
    wheels = [
        Wheel(organisation_id=org.id, year=year, name=f"Årshjul {year}"),
        Wheel(organisation_id=org.id, year=year, name=f"Beredskap {year}"),
    ]
    db.session.add_all([*channels, *audiences, *wheels])
    db.session.flush()
    db.session.add_all(
        Reach(
            organisation_id=org.id,
            channel_id=c.id,
            audience_id=a.id,
            level=rng.choice((1, 2, 3)),
        )
        for c in channels
        for a in audiences
        if rng.random() < 0.4
    )
    db.session.commit()
    return Catalog(
        org_id=org.id,
        year=year,
        wheels=[w.id for w in wheels],
        areas=[a.id for a in areas],
        channels=[c.id for c in channels],
        audiences=[a.id for a in audiences],
    )


def _description(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(15, 60))).capitalize() + "."


def add_posts(catalog: Catalog, n_posts: int, seed: int = SEED) -> None:
    """Add ``n_posts`` posts to the catalog's wheels (bulk INSERT; committed).

    Can be called again to grow the plan: numbering goes on from the posts made so far.
    """
    if n_posts <= 0:
        return
    first = catalog.posts
    rng = _rng(seed, f"posts:{first}")
    year = catalog.year
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    rows: list[dict[str, Any]] = []
    links: list[tuple[list[int], list[int]]] = []
    for i in range(first, first + n_posts):
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        recurring = i % 50 == 7
        timed = rng.random() < 0.25
        if timed:
            start = datetime.combine(day, time(rng.randrange(8, 16), rng.choice((0, 15, 30))))
            end = start + timedelta(minutes=rng.choice((30, 60, 90, 120)))
        else:
            start = datetime.combine(day, time())
            length = rng.choice((0, 0, 0, 0, 0, 0, 1, 2, 6, 13))
            end = start + timedelta(days=length)
        rows.append(
            {
                "organisation_id": catalog.org_id,
                "uid": f"storby-{seed}-{i:06d}@arshjul",
                "wheel_id": catalog.wheels[0 if i % 10 else 1],
                "title": f"{rng.choice(SUBJECTS)} #{i + 1}",
                "description": _description(rng),
                "start": start,
                "end": end,
                "all_day": not timed,
                "rrule": (
                    rng.choice(RULES).format(until=f"{start + timedelta(days=120):%Y%m%d}")
                    if recurring
                    else None
                ),
                "status": rng.choice(statuses),
                "kind": rng.choice(POST_KINDS),
                "service_area_id": rng.choice([None, *catalog.areas]),
                "responsible": rng.choice(("", "Kari Nordmann", "Ola Hansen", "Kommunikasjon")),
                "link": "https://www.storby.kommune.no/aktuelt" if rng.random() < 0.5 else "",
                "archive_worthy": rng.random() < 0.2,
                "notes": "",
                "version": 1,
                "deleted_at": STAMP + timedelta(days=300) if i % 100 == 42 else None,
                "created_at": STAMP,
                "updated_at": STAMP,
            }
        )
        links.append(
            (
                rng.sample(catalog.channels, rng.randrange(1, 4)),
                rng.sample(catalog.audiences, rng.randrange(1, 4)),
            )
        )
    ids = (
        db.session.execute(insert(Post).returning(Post.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    db.session.execute(
        insert(post_channel),
        [
            {"post_id": pid, "channel_id": c}
            for pid, (chs, _a) in zip(ids, links, strict=True)
            for c in chs
        ],
    )
    db.session.execute(
        insert(post_audience),
        [
            {"post_id": pid, "audience_id": a}
            for pid, (_c, auds) in zip(ids, links, strict=True)
            for a in auds
        ],
    )
    exceptions = []
    for n, (pid, row) in enumerate(zip(ids, rows, strict=True), start=first):
        if row["rrule"] and "WEEKLY" in row["rrule"] and n % 100 == 7:
            # The second occurrence is moved two days on, the third is cancelled.
            step = timedelta(days=7)
            interval = 2 if "INTERVAL=2" in row["rrule"] else 1
            second = row["start"] + step * interval
            third = row["start"] + step * interval * 2
            exceptions.append(
                {
                    "organisation_id": catalog.org_id,
                    "post_id": pid,
                    "recurrence_id": second,
                    "cancelled": False,
                    "start": second + timedelta(days=2),
                    "end": row["end"] - row["start"] + second + timedelta(days=2),
                }
            )
            exceptions.append(
                {
                    "organisation_id": catalog.org_id,
                    "post_id": pid,
                    "recurrence_id": third,
                    "cancelled": True,
                    "start": None,
                    "end": None,
                }
            )
    if exceptions:
        db.session.execute(insert(PostException), exceptions)
    db.session.commit()
    catalog.posts += n_posts


def add_staffing(catalog: Catalog, n_staff: int = 30, n_peaks: int = 60) -> None:
    """30 staff with absences, 60 peak periods (each tied to a few posts), the year's
    holiday periods and a fair duty rota (the staffing area's own services)."""
    rng = _rng(SEED, "staffing")
    year, org_id = catalog.year, catalog.org_id
    for i in range(n_staff):
        member = StaffMember(
            organisation_id=org_id,
            name=f"Medarbeider {i + 1:02d}",
            email=f"medarbeider{i + 1}@storby.kommune.no",
            working_days="1,2,3" if i % 5 == 0 else "1,2,3,4,5",
            created_at=STAMP,
            updated_at=STAMP,
        )
        for _ in range(3):
            start = date(year, 1, 1) + timedelta(days=rng.randrange(350))
            member.absences.append(
                Absence(
                    organisation_id=org_id,
                    start=start,
                    end=start + timedelta(days=rng.randrange(1, 15)),
                    reason=rng.choice(("Ferie", "Kurs", "Avspasering")),
                )
            )
        db.session.add(member)
    post_ids = list(
        db.session.execute(
            select(Post.id).where(Post.organisation_id == org_id).order_by(Post.id)
        ).scalars()
    )
    peaks = []
    for i in range(n_peaks):
        start = date(year, 1, 1) + timedelta(days=rng.randrange(350))
        peaks.append(
            PeakPeriod(
                organisation_id=org_id,
                name=f"Toppbelastning {i + 1}: {rng.choice(SUBJECTS).lower()}",
                start=start,
                end=start + timedelta(days=rng.randrange(2, 14)),
                reason="Kjent trafikktopp i kanalene.",
                required_staff=rng.choice((2, 2, 3, 4)),
                created_at=STAMP,
                updated_at=STAMP,
            )
        )
    db.session.add_all(peaks)
    db.session.flush()
    if post_ids:
        db.session.execute(
            insert(peak_post),
            [
                {"peak_period_id": peak.id, "post_id": pid}
                for peak in peaks
                for pid in rng.sample(post_ids, min(3, len(post_ids)))
            ],
        )
    db.session.commit()
    from planner.services.staffing import generate_year
    from planner.services.staffing.holidays import seed_recommended_holidays

    seed_recommended_holidays(org_id, year)
    generate_year(org_id, year, "replace")
    catalog.staff = list(
        db.session.execute(
            select(StaffMember.id).where(StaffMember.organisation_id == org_id)
        ).scalars()
    )
    catalog.peaks = [p.id for p in peaks]


def add_feed(catalog: Catalog) -> None:
    """One calendar feed of the whole plan (the feeds area's own service), if installed."""
    try:
        from planner.services.feeds.management import create_feed
    except ImportError as exc:  # the feeds area is not installed
        catalog.feed_note = f"skipped: not available ({exc})"
        return
    feed = create_feed(catalog.org_id, "Hele planen")
    catalog.feed_token = feed.token


def create_organisation(name: str = MUNICIPALITY) -> Organisation:
    """The municipality with an administrator (``ADMIN_EMAIL``/``PASSWORD``) and an editor."""
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    for email, role in ((ADMIN_EMAIL, "admin"), ("redaktor@storby.kommune.no", "editor")):
        user = User(organisation_id=org.id, email=email, role=role, name=role.capitalize())
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()
    return org


def build(n_posts: int, year: int = YEAR, seed: int = SEED) -> Catalog:
    """The whole municipality in the current app's database (which must be empty)."""
    org = create_organisation()
    catalog = build_catalog(org, year, seed)
    add_posts(catalog, n_posts, seed)
    add_staffing(catalog)
    add_feed(catalog)
    return catalog


def main() -> None:
    """``python bench/generate.py --posts N``: create the schema and the municipality."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    args = parser.parse_args()
    from planner import create_app

    config: dict[str, Any] = {}
    if args.database_url:
        config["SQLALCHEMY_DATABASE_URI"] = args.database_url
    app = create_app(config or None)
    with app.app_context():
        db.create_all()
        catalog = build(args.posts)
        print(
            f"{MUNICIPALITY}: {catalog.posts} posts, {len(catalog.channels)} channels, "
            f"{len(catalog.audiences)} audiences, {len(catalog.staff)} staff, "
            f"{len(catalog.peaks)} peak periods; log in as {ADMIN_EMAIL} / {PASSWORD}"
        )
        if catalog.feed_token:
            print(f"feed: /feeds/{catalog.feed_token}.ics")
        dispose_engines()


if __name__ == "__main__":
    main()
