"""The main menu: one entry per area, shown when its endpoint exists and the user's role allows,
and the year being worked on (arbeidsåret) that the year pages of the menu open.

Add an entry here when a blueprint gets a page of its own; entries whose endpoint is not
registered are left out, so the menu never links to a page that does not exist.

The working year is the year the user last looked at (remembered in the session by
:func:`remember_viewed_year` after every year page), else the nearest year with a plan
(``services/posts/working_year.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, g, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.domain.posts.working_year import is_plan_year
from planner.models import Role
from planner.services.posts import working_year as working_years
from planner.services.scope import current_org_id

#: The session key of the year the user last looked at.
SESSION_YEAR = "working_year"

#: Areas whose pages show one year: ``/arshjul/<year>``, ``/plan/<year>``, ``?year=``.
YEAR_AREAS = frozenset({"wheel", "plan", "staffing", "exports"})


@dataclass(frozen=True)
class NavItem:
    """A menu entry: the endpoint, its label, the blueprint that marks it current, the role."""

    endpoint: str
    label: object
    blueprint: str
    role: Role = Role.VIEWER
    with_year: bool = False  # the link opens the working year (``year=``)


NAV_ITEMS: list[NavItem] = [
    NavItem("wheel.wheel_year", _l("Årshjul"), "wheel", with_year=True),
    NavItem("plan.year_list", _l("Plan"), "plan", with_year=True),
    NavItem("catalog.audiences", _l("Målgrupper og kanaler"), "catalog"),
    NavItem("staffing.index", _l("Bemanning"), "staffing", with_year=True),
    NavItem("feeds.index", _l("Kalenderfeeder"), "feeds"),
    NavItem("exports.index", _l("Eksport"), "exports", with_year=True),
    NavItem("imports.index", _l("Import"), "imports", Role.EDITOR),
    NavItem("history.index", _l("Historikk"), "history"),
    NavItem("admin.users", _l("Administrasjon"), "admin", Role.ADMIN),
]


def nav_items() -> list[dict[str, object]]:
    """The menu for the current user and request, for templates."""
    if not current_user.is_authenticated:
        return []
    shown = [
        item
        for item in NAV_ITEMS
        if item.endpoint in current_app.view_functions and current_user.has_role(item.role)
    ]
    year = current_working_year() if any(item.with_year for item in shown) else None
    return [
        {
            "endpoint": item.endpoint,
            "href": url_for(item.endpoint, year=year) if item.with_year else url_for(item.endpoint),
            "label": item.label,
            "current": request.blueprint == item.blueprint,
        }
        for item in shown
    ]


def last_viewed_year() -> int | None:
    """The year the user last looked at (from the session), if any."""
    year = session.get(SESSION_YEAR)
    return year if isinstance(year, int) and is_plan_year(year) else None


def remember_year(year: int) -> None:
    """Remember ``year`` as the one being worked on (the session is written only on change)."""
    if is_plan_year(year) and session.get(SESSION_YEAR) != year:
        session[SESSION_YEAR] = year
    g.pop("working_year", None)


def current_working_year() -> int:
    """The year the menu and the year-less addresses open (once per request): on a year
    page its own year (remembered after the request), else the working year."""
    if "working_year" not in g:
        on_screen = shown_year() if request.blueprint in YEAR_AREAS else None
        g.working_year = on_screen or working_years.working_year(
            current_org_id(), last_viewed_year()
        )
    return int(g.working_year)


def shown_year() -> int | None:
    """The year of the page the request came from or shows: ``aar``/``year`` arguments, the
    ``year``/``iso_year`` in the address; None when it names none."""
    args: dict[str, Any] = request.view_args or {}
    year = (
        args.get("year")
        or args.get("iso_year")
        or request.args.get("aar", type=int)
        or request.args.get("year", type=int)
    )
    return year if isinstance(year, int) and is_plan_year(year) else None


def remember_viewed_year(response: Response) -> Response:
    """``after_request``: a year page shown to a signed-in user makes its year the working
    year (so the menu opens it next time)."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and request.blueprint in YEAR_AREAS
        and current_user.is_authenticated
    ):
        year = shown_year()
        if year is not None:
            remember_year(year)
    g.pop("working_year", None)  # per request, also where ``g`` outlives one (tests)
    return response
