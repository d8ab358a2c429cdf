"""The shared plan filter: from URL arguments to SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from planner.domain.filters import PlanFilter
from planner.services.posts.queries import items_for_year


def test_filter_round_trips_through_url_and_json() -> None:
    args = MultiDict(
        [
            ("kanal", "3"),
            ("kanal", "1"),
            ("kanal", "x"),
            ("malgruppe", "5"),
            ("omrade", "2"),
            ("status", "planlagt"),
            ("status", "tull"),
            ("type", "reaktiv"),
            ("q", "  barnehage "),
        ]
    )
    f = PlanFilter.from_args(args)
    assert f == PlanFilter((1, 3), (5,), (2,), ("planlagt",), ("reaktiv",), "barnehage")
    assert (
        PlanFilter.from_args(
            MultiDict(
                [
                    (k, v)
                    for k, vs in f.to_args().items()
                    for v in ([vs] if isinstance(vs, str) else vs)
                ]
            )
        )
        == f
    )
    assert PlanFilter.from_json(f.to_json()) == f
    assert PlanFilter().is_empty and not f.is_empty


def test_filter_applies_in_sql(
    org: Any, make_post: Any, make_channel: Any, make_audience: Any
) -> None:
    fb, web = make_channel("Facebook"), make_channel("Nettside", type="nettside")
    parents = make_audience("Foreldre")
    a = make_post(title="Søknadsfrist BARNEHAGE", channels=[fb], audiences=[parents])
    b = make_post(title="Eiendomsskatt", channels=[web], status="idé", kind="reaktiv")
    make_post(title="Ærlig talt 100% _sant_", start=datetime(2026, 5, 1), end=datetime(2026, 5, 1))

    def titles(**kw: Any) -> set[str]:
        return {i.post.title for i in items_for_year(org.id, 2026, plan_filter=PlanFilter(**kw))}

    assert titles(channels=(fb.id,)) == {a.title}
    assert titles(audiences=(parents.id,)) == {a.title}
    assert titles(statuses=("idé",), kinds=("reaktiv",)) == {b.title}
    assert titles(q="barnehage") == {a.title}
    assert titles(q="ærlig") == {"Ærlig talt 100% _sant_"}  # non-ASCII case folding
    assert titles(q="100%") == {"Ærlig talt 100% _sant_"}
    assert titles(q="%") == {"Ærlig talt 100% _sant_"}  # % is literal, not a wildcard
    assert len(titles()) == 3
