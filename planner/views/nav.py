"""The main menu: one entry per area, shown when its endpoint exists and the user's role allows.

Add an entry here when a blueprint gets a page of its own; entries whose endpoint is not
registered are left out, so the menu never links to a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.models import Role


@dataclass(frozen=True)
class NavItem:
    """A menu entry: the endpoint, its label, the blueprint that marks it current, the role."""

    endpoint: str
    label: object
    blueprint: str
    role: Role = Role.VIEWER


NAV_ITEMS: list[NavItem] = [
    NavItem("wheel.wheel_index", _l("Årshjul"), "wheel"),
    NavItem("plan.index", _l("Plan"), "plan"),
    NavItem("catalog.audiences", _l("Målgrupper og kanaler"), "catalog"),
    NavItem("staffing.index", _l("Bemanning"), "staffing"),
    NavItem("feeds.index", _l("Kalenderfeeder"), "feeds"),
    NavItem("exports.index", _l("Eksport"), "exports"),
    NavItem("imports.index", _l("Import"), "imports", Role.EDITOR),
    NavItem("history.index", _l("Historikk"), "history"),
    NavItem("admin.users", _l("Administrasjon"), "admin", Role.ADMIN),
]


def nav_items() -> list[dict[str, object]]:
    """The menu for the current user and request, for templates."""
    if not current_user.is_authenticated:
        return []
    return [
        {
            "endpoint": item.endpoint,
            "label": item.label,
            "current": request.blueprint == item.blueprint,
        }
        for item in NAV_ITEMS
        if item.endpoint in current_app.view_functions and current_user.has_role(item.role)
    ]
