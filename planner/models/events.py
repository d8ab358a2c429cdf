"""Change tracking: every flush that touches an organisation's rows bumps its
``data_version`` and ``changed_at``.

Done once here, on the session, so no service can forget it: feed and export caches key
on ``data_version``, and feeds use ``changed_at`` as a Last-Modified that never moves
backwards (deletions count too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from .base import utcnow
from .org import Organisation


def _touched_orgs(session: Session) -> set[int]:
    orgs: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Organisation):
            continue
        org_id = getattr(obj, "organisation_id", None)
        if org_id is not None and (
            obj in session.new or obj in session.deleted or session.is_modified(obj)
        ):
            orgs.add(org_id)
    return orgs


@event.listens_for(Session, "before_flush")
def _remember_touched(session: Session, _ctx: Any, _instances: Any) -> None:
    session.info.setdefault("touched_orgs", set()).update(_touched_orgs(session))


@event.listens_for(Session, "after_flush")
def _bump_versions(session: Session, _ctx: Any) -> None:
    orgs = session.info.pop("touched_orgs", set())
    if orgs:
        session.connection().execute(
            update(Organisation)
            .where(Organisation.id.in_(sorted(orgs)))
            .values(data_version=Organisation.data_version + 1, changed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
