"""`flask seed`: the recommended årshjul in the database, for several years, idempotent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Audience, Channel, PeakPeriod, Post, Reach, Wheel


def _count(model: Any) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _post(seed_key: str, year: int) -> Post:
    return db.session.execute(
        select(Post).join(Wheel).where(Post.seed_key == seed_key, Wheel.year == year)
    ).scalar_one()


def test_seed_creates_plan_and_is_idempotent(runner: Any) -> None:
    result = runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    assert result.exit_code == 0, result.output
    assert "Anbefalt årshjul for 2026" in result.output
    counts = {m: _count(m) for m in (Post, Audience, Channel, Reach, PeakPeriod, Wheel)}
    assert counts[Post] >= 40 and counts[Audience] >= 8 and counts[Channel] >= 10
    assert counts[PeakPeriod] >= 2 and counts[Reach] > 0
    again = runner.invoke(args=["seed", "--year", "2026"])
    assert again.exit_code == 0, again.output
    assert "ingenting nytt" in again.output
    assert {m: _count(m) for m in counts} == counts


def test_seed_covers_every_month(runner: Any) -> None:
    runner.invoke(args=["seed", "--year", "2027", "--municipality", "Testvik kommune"])
    months = {p.start.month for p in db.session.execute(select(Post)).scalars()}
    assert months == set(range(1, 13))


def test_kindergarten_deadline_and_peak(runner: Any) -> None:
    for year in (2026, 2027):
        assert (
            runner.invoke(
                args=["seed", "--year", str(year), "--municipality", "Testvik kommune"]
            ).exit_code
            == 0
        )
    deadline = _post("barnehage-soknadsfrist", 2026)
    assert deadline.start == datetime(2026, 3, 1) and deadline.all_day
    assert "Varierer mellom kommuner" in deadline.notes
    peak = db.session.execute(
        select(PeakPeriod).where(PeakPeriod.seed_key.like("barnehage%:2026"))
    ).scalar_one()
    assert peak.end == date(2026, 3, 1)
    assert peak.start == date(2026, 2, 15)
    assert deadline in peak.posts
    assert _post("barnehage-soknadsfrist", 2027).start == datetime(2027, 3, 1)


def test_easter_relative_items_follow_easter(runner: Any) -> None:
    easter = {2026: date(2026, 4, 5), 2027: date(2027, 3, 28), 2028: date(2028, 4, 16)}
    for year in easter:
        assert (
            runner.invoke(
                args=["seed", "--year", str(year), "--municipality", "Testvik kommune"]
            ).exit_code
            == 0
        )
    easter_posts = db.session.execute(select(Post).join(Wheel).where(Wheel.year == 2026)).scalars()
    keys = [p.seed_key for p in easter_posts if p.seed_key and "pask" in p.seed_key]
    assert keys, "the seed has Easter-relative items"
    for key in keys:
        offsets = {year: (_post(key, year).start.date() - easter[year]).days for year in easter}
        assert len(set(offsets.values())) == 1, (key, offsets)


def test_seed_unknown_municipality_is_created_and_two_orgs_need_a_name(runner: Any) -> None:
    assert (
        runner.invoke(args=["seed", "--year", "2026", "--municipality", "A kommune"]).exit_code == 0
    )
    assert (
        runner.invoke(args=["seed", "--year", "2026", "--municipality", "B kommune"]).exit_code == 0
    )
    result = runner.invoke(args=["seed", "--year", "2026"])
    assert result.exit_code != 0
    assert "flere kommuner" in result.output
    # the two municipalities got separate catalogs
    assert _count(Channel) == 2 * len(
        {c.name for c in db.session.execute(select(Channel)).scalars()}
    )


def test_create_user_cli(runner: Any, monkeypatch: Any) -> None:
    runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    monkeypatch.setenv("PLANNER_PASSWORD", "et-langt-passord")
    result = runner.invoke(args=["create-user", "Per@Testvik.no", "--role", "editor"])
    assert result.exit_code == 0, result.output
    assert "per@testvik.no (editor)" in result.output
    dup = runner.invoke(args=["create-user", "per@testvik.no", "--role", "viewer"])
    assert dup.exit_code != 0 and "finnes allerede" in dup.output
    monkeypatch.setenv("PLANNER_PASSWORD", "kort")
    weak = runner.invoke(args=["create-user", "kari@testvik.no", "--role", "viewer"])
    assert weak.exit_code != 0 and "minst 10 tegn" in weak.output


def test_create_user_password_from_prompt(runner: Any, monkeypatch: Any) -> None:
    runner.invoke(args=["seed", "--year", "2026", "--municipality", "Testvik kommune"])
    monkeypatch.delenv("PLANNER_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-user", "ola@testvik.no", "--role", "admin"],
        input="et-langt-passord\net-langt-passord\n",
    )
    assert result.exit_code == 0, result.output
