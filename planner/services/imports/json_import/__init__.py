"""Import of the JSON export: all or nothing.

The whole document is checked first and every problem is reported (in Norwegian, with
where it is); only a document without problems is written, in one transaction. Rows are
matched on their stable keys (names, post UIDs), so importing twice does not duplicate.

The steps, one module each: ``check`` (is it an export document at all), ``catalog``
(organisation, service areas, audiences, channels, reach, wheels), ``posts`` and
``peaks`` (checked first, written by their one writer each once nothing is wrong),
``staffing`` (team, absences, rota), ``extras`` and ``feeds`` (settings, holiday periods,
feeds, external calendars, dismissed proposals) and ``history``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.models import Organisation
from planner.services.imports.json_import.catalog import import_catalog, target_organisation
from planner.services.imports.json_import.check import Checker, ImportProblems, check_document
from planner.services.imports.json_import.extras import import_extras
from planner.services.imports.json_import.history import restore_history
from planner.services.imports.json_import.peaks import check_peaks, write_peaks
from planner.services.imports.json_import.posts import check_posts, write_posts
from planner.services.imports.json_import.staffing import import_duty, import_staff

__all__ = ["ImportProblems", "import_json"]


def import_json(data: Any, organisation: Organisation | None = None) -> Organisation:
    """Import an export document. Writes nothing and raises ImportProblems if anything is wrong.

    The target is ``organisation`` if given, else the organisation named in the document
    (created if it does not exist). Commits on success.
    """
    try:
        existing = set(db.session.execute(select(Organisation.id)).scalars())
        with db.session.no_autoflush:
            org = _import(data, organisation)
        restore_history(data, org, created=org.id not in existing)
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


def _import(data: Any, organisation: Organisation | None) -> Organisation:
    """Check the whole document, then write it. Catalog, team, rota and extras are set as
    they are read; posts and peak periods are written through their writers once there is
    no problem, after a flush gives the rows they link to by id their ids."""
    check_document(data)
    organisation = target_organisation(data, organisation)
    org_id = organisation.id
    check = Checker()
    catalog = import_catalog(data, org_id, check)
    posts = check_posts(data, org_id, catalog, check)
    peaks = check_peaks(data, org_id, posts, check)
    staff = import_staff(data, org_id, check)
    import_duty(data, org_id, staff, check)
    import_extras(data, organisation, check, staff, catalog)
    if check.problems:
        raise ImportProblems(check.problems)
    db.session.flush()  # new catalog rows get the ids posts link to
    posts_by_uid = write_posts(org_id, posts)
    db.session.flush()  # new posts get the ids peak periods link to
    write_peaks(org_id, peaks, posts_by_uid)
    db.session.flush()
    return organisation
