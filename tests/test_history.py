"""History: every change recorded field by field, attributed, filterable and exportable."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from planner.extensions import db
from planner.models.history import HistoryEntry
from tests.conftest import login


def _entries(**kw: Any) -> list[HistoryEntry]:
    return list(
        db.session.execute(select(HistoryEntry).filter_by(**kw).order_by(HistoryEntry.id)).scalars()
    )


def test_create_change_delete_are_recorded_field_by_field(
    make_post: Any, make_channel: Any
) -> None:
    post = make_post(title="Frist")
    created = _entries(entity="post", entity_id=post.id)
    assert [e.action for e in created] == ["create"]
    assert created[0].changes["title"] == [None, "Frist"] and created[0].user_label == "system"
    channel = make_channel("Facebook")
    post.channels  # noqa: B018  (loaded before the change, as a form would)
    post.title = "Ny frist"
    post.start = post.end = datetime(2026, 3, 2)
    post.channels.append(channel)
    db.session.commit()
    update = _entries(entity="post", entity_id=post.id)[-1]
    assert update.action == "update"
    assert update.changes["title"] == ["Frist", "Ny frist"]
    assert update.changes["start"] == ["2026-03-01T00:00:00", "2026-03-02T00:00:00"]
    assert update.changes["channels"] == [[], ["Facebook"]]
    assert "version" not in update.changes and "updated_at" not in update.changes
    db.session.delete(post)
    db.session.commit()
    assert _entries(entity="post", entity_id=post.id)[-1].action == "delete"


def test_changes_through_the_web_are_attributed(
    client: Any, make_user: Any, make_post: Any
) -> None:
    editor = make_user("editor", name="Kari")
    login(client, editor)
    post = make_post(title="Frist")
    client.post(f"/posts/{post.id}/slett")
    entry = _entries(entity="post", entity_id=post.id)[-1]
    assert entry.user_id == editor.id and entry.user_label == editor.email
    assert entry.changes["deleted_at"][0] is None and entry.changes["deleted_at"][1]
    page = client.get(f"/posts/{post.id}")
    assert page.status_code == 404  # in the bin
    history = client.get("/historikk?type=post").get_data(as_text=True)
    assert editor.email in history and "I papirkurven" in history


def test_passwords_never_appear_in_history(make_user: Any) -> None:
    user = make_user("viewer")
    user.set_password("et-nytt-hemmelig-passord")
    db.session.commit()
    for entry in _entries(entity="user_account"):
        assert "hemmelig" not in json.dumps(entry.changes)
        assert "scrypt" not in json.dumps(entry.changes)


def test_history_page_filters_and_export(
    client: Any, make_user: Any, make_post: Any, make_org: Any
) -> None:
    other = make_org("Nabokommune")
    make_post(title="Nabopost", organisation=other)
    login(client, make_user("viewer"))
    make_post(title="Egen post")
    page = client.get("/historikk").get_data(as_text=True)
    assert "Egen post" in page and "Nabopost" not in page
    assert "Nabopost" not in client.get(
        "/historikk?type=post&fra=2000-01-01&til=2100-01-01"
    ).get_data(as_text=True)
    csv_text = client.get("/historikk.csv").get_data(as_text=True)
    assert (
        csv_text.startswith("\ufeffTidspunkt")
        and "Egen post" in csv_text
        and "Nabopost" not in csv_text
    )
    rows = json.loads(client.get("/historikk.json?type=post").get_data(as_text=True))
    assert {r["label"] for r in rows} == {"Egen post"}


def test_csv_export_neutralises_formulas(client: Any, make_user: Any, make_post: Any) -> None:
    login(client, make_user("viewer"))
    make_post(title='=HYPERLINK("http://x")')
    csv_text = client.get("/historikk.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
