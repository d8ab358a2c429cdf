"""No lost updates: a second save over a stale version is refused with what changed —
for posts (also under truly concurrent requests), the reach matrix, the duty week and
the settings."""

from __future__ import annotations

import re
import threading
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.extensions import db
from planner.models import DutyAssignment, Organisation, Reach, StaffMember
from tests.conftest import PASSWORD, login

HX = {"HX-Request": "true"}


def _original(html: str) -> str:
    match = re.search(r'name="original" value="([^"]*)"', html)
    assert match, "the form carries the state it was opened on"
    return match.group(1).replace("&#34;", '"').replace("&quot;", '"')


def _post_form(post: Any, **values: str) -> dict[str, str]:
    """The post form as a save of the post's first version sends it (a 1 March all-day)."""
    return {
        "wheel": str(post.wheel_id),
        "all_day": "y",
        "start_date": "2026-03-01",
        "repeat": "",
        "status": "planlagt",
        "kind": "proaktiv",
        "service_area": "0",
        "version": "1",
        **values,
    }


def _second_client(client: Any, user: Any) -> Any:
    other = client.application.test_client()
    login(other, user)
    return other


def test_concurrent_post_saves_one_wins_one_gets_409(
    app: Any, make_user: Any, make_post: Any
) -> None:
    post = make_post(title="Felles innlegg")
    users = [make_user("editor"), make_user("editor")]
    data = _post_form(post)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def save(user: Any, title: str) -> None:
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        barrier.wait()
        response = client.post(
            f"/posts/{post.id}/rediger", data=dict(data, title=title), headers=HX
        )
        results.append(response.status_code)

    threads = [
        threading.Thread(target=save, args=(u, f"Versjon fra {i}")) for i, u in enumerate(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [204, 409]
    db.session.expire_all()
    db.session.refresh(post)
    assert post.version == 2 and post.title.startswith("Versjon fra")


def test_a_change_of_channels_only_is_a_change_too(
    client: Any, make_user: Any, make_post: Any, make_channel: Any
) -> None:
    """Links alone (channels, audiences) raise the version: a colleague's stale save of the
    same post is refused instead of silently undoing the other's channels."""
    post = make_post(title="Felles innlegg")
    facebook = make_channel("Facebook")
    first, second = make_user("editor"), make_user("editor")
    login(client, first)
    other = _second_client(client, second)
    data = _post_form(post, title="Felles innlegg")
    saved = client.post(
        f"/posts/{post.id}/rediger", data=dict(data, channels=str(facebook.id)), headers=HX
    )
    assert saved.status_code == 204
    db.session.expire_all()
    assert post.version == 2 and [c.name for c in post.channels] == ["Facebook"]
    stale = other.post(f"/posts/{post.id}/rediger", data=data, headers=HX)
    assert stale.status_code == 409
    db.session.expire_all()
    assert [c.name for c in post.channels] == ["Facebook"]


def test_reach_matrix_conflict_names_the_other_change(
    client: Any, make_user: Any, make_channel: Any, make_audience: Any, org: Any
) -> None:
    fb, youth = make_channel("Facebook"), make_audience("Ungdom")
    editor = make_user("editor")
    login(client, editor)
    original = _original(client.get("/rekkevidde").get_data(as_text=True))
    cell = f"r-{youth.id}-{fb.id}"
    other = _second_client(client, make_user("editor"))
    assert other.post(f"/rekkevidde/{youth.id}/{fb.id}", data={cell: "3"}).status_code == 302
    stale = client.post("/rekkevidde", data={"original": original, cell: "1"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Noen andre har endret rekkevidden" in html and "Facebook" in html and "Ungdom" in html
    level = db.session.execute(select(Reach.level)).scalar_one()
    assert level == 3  # the other person's change was not overwritten
    again = client.post("/rekkevidde", data={"original": _original(html), cell: "1"})
    assert again.status_code == 302
    assert db.session.execute(select(Reach.level)).scalar_one() == 1


def test_duty_week_conflict(client: Any, make_user: Any, org: Any) -> None:
    kari = StaffMember(organisation_id=org.id, name="Kari")
    ola = StaffMember(organisation_id=org.id, name="Ola")
    db.session.add_all([kari, ola])
    db.session.commit()
    login(client, make_user("editor"))
    original = _original(client.get("/bemanning/vaktliste/2026/9").get_data(as_text=True))
    db.session.add(
        DutyAssignment(
            organisation_id=org.id, staff_member=ola, week_start=date(2026, 2, 23), role="main"
        )
    )
    db.session.commit()
    stale = client.post(
        "/bemanning/vaktliste/2026/9", data={"original": original, "main": str(kari.id)}
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Ola" in html
    mains = (
        db.session.execute(select(DutyAssignment).where(DutyAssignment.role == "main"))
        .scalars()
        .all()
    )
    assert [m.staff_member.name for m in mains] == ["Ola"]


def test_settings_conflict(client: Any, make_user: Any, org: Any) -> None:
    login(client, make_user("admin"))
    original = _original(client.get("/admin/settings").get_data(as_text=True))
    org_row = db.session.get(Organisation, org.id)
    org_row.name = "Endret av en annen"
    db.session.commit()
    stale = client.post("/admin/settings", data={"original": original, "name": "Min verdi"})
    assert stale.status_code == 409 and "Endret av en annen" in stale.get_data(as_text=True)
    db.session.refresh(org_row)
    assert org_row.name == "Endret av en annen"


def test_reach_matrix_merges_changes_to_different_cells(
    client: Any, make_user: Any, make_channel: Any, make_audience: Any
) -> None:
    fb, youth, seniors = make_channel("Facebook"), make_audience("Ungdom"), make_audience("Eldre")
    login(client, make_user("editor"))
    original = _original(client.get("/rekkevidde").get_data(as_text=True))
    other = _second_client(client, make_user("editor"))
    other.post(f"/rekkevidde/{youth.id}/{fb.id}", data={f"r-{youth.id}-{fb.id}": "3"})
    # this adviser changed only the seniors' cell and left the youth cell as it was (ingen)
    response = client.post(
        "/rekkevidde",
        data={"original": original, f"r-{youth.id}-{fb.id}": "0", f"r-{seniors.id}-{fb.id}": "2"},
    )
    assert response.status_code == 302
    levels = {r.audience_id: r.level for r in db.session.execute(select(Reach)).scalars()}
    assert levels == {youth.id: 3, seniors.id: 2}  # the colleague's change survived
