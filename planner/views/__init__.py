"""The views: one blueprint per area (listed in ``planner.BLUEPRINTS``), and here what
they share: the login guard, the error pages and the template helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from planner.domain import dates
from planner.extensions import login_manager
from planner.models import Role, User
from planner.services.accounts import load_user
from planner.services.transactions import discard_changes
from planner.views.access import enforce_login
from planner.views.nav import nav_items, remember_viewed_year

ERROR_TEXTS = {
    400: (_l("Ugyldig forespørsel"), _l("Forespørselen kunne ikke behandles.")),
    401: (_l("Du må logge inn"), _l("Logg inn for å se denne siden.")),
    403: (_l("Ingen tilgang"), _l("Du har ikke tilgang til dette. Spør en administrator.")),
    404: (
        _l("Fant ikke siden"),
        _l("Siden eller innholdet finnes ikke, eller du har ikke tilgang."),
    ),
    405: (_l("Ikke tillatt"), _l("Denne handlingen er ikke tillatt her.")),
    409: (_l("Konflikt"), _l("Noen andre har endret dette i mellomtiden. Last inn siden på nytt.")),
    413: (_l("For stor fil"), _l("Filen eller skjemaet er for stort.")),
    422: (_l("Ugyldige data"), _l("Noe i skjemaet er ikke gyldig.")),
    429: (_l("For mange forsøk"), _l("Vent litt og prøv igjen.")),
    500: (_l("Noe gikk galt"), _l("En feil oppstod hos oss. Prøv igjen litt senere.")),
}


def _error_page(code: int, detail: str | None = None) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("error.html", code=code, title=title, text=detail or text), code


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Flask-Login: the logged-in user, if still there (a deactivated one is not
    authenticated: ``UserMixin.is_authenticated`` is ``is_active``)."""
    return load_user(user_id)


def init_views(app: Flask) -> None:
    """Add what every view shares: the login guard, error handlers and template helpers
    (``create_app`` registers the blueprints themselves)."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logg inn for å se denne siden.")
    login_manager.login_message_category = "info"
    app.before_request(enforce_login)
    app.after_request(remember_viewed_year)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        return _error_page(
            400,
            _("Skjemaet var utløpt eller mangler sikkerhetsnøkkel. Last inn siden og prøv igjen."),
        )

    for code in ERROR_TEXTS:
        if code == 500:
            continue
        app.register_error_handler(code, lambda exc, code=code: _error_page(code))

    @app.errorhandler(500)
    def _server_error(exc: Exception) -> Any:
        discard_changes()
        return _error_page(500)

    app.jinja_env.filters["date"] = dates.format_date
    app.jinja_env.filters["datetime"] = dates.format_datetime
    app.jinja_env.filters["week"] = dates.week_label
    app.jinja_env.filters["datetime_utc"] = dates.format_utc
    app.jinja_env.globals.update(
        Role=Role,
        MONTH_NAMES=dates.MONTH_NAMES,
        nav_items=nav_items,
        WEEKDAY_NAMES=dates.WEEKDAY_NAMES,
    )
