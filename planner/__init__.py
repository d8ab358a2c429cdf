"""Årshjul: the annual communication planner for Norwegian municipalities.

``create_app`` is the application factory: configuration, then extensions, then
blueprints (the one list ``BLUEPRINTS``, an area per line), then CLI commands. Nothing is
bound or loaded at import time.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Flask
from flask.cli import FlaskGroup
from sqlalchemy import event
from sqlalchemy.engine import Engine

from planner import models  # noqa: F401  (register models with the metadata)
from planner.cli import register_cli
from planner.config import build_config
from planner.extensions import babel, csrf, db, htmx, login_manager, migrate
from planner.security import init_security
from planner.views import (
    admin,
    auth,
    catalog,
    exports,
    feeds,
    feeds_serving,  # noqa: F401  (adds the feed route to feeds.bp)
    health,
    history,
    imports,
    init_views,
    plan,
    plan_posts,  # noqa: F401  (adds the post routes to plan.bp)
    setup,
    staffing,
    wheel,
)
from planner.views.feeds_serving import init_feed_fastpath

#: One blueprint per area, registered by ``create_app`` in this order.
BLUEPRINTS: tuple[Blueprint, ...] = (
    admin.bp,  # users, roles, settings
    auth.bp,  # log in and out
    catalog.bp,  # målgrupper, kanaler, virksomhetsområder
    exports.bp,  # eksport
    feeds.bp,  # kalenderfeeder
    health.bp,  # /healthz
    history.bp,  # historikk
    imports.bp,  # import: regneark, kalenderfil, sikkerhetskopi
    plan.bp,  # the plan pages (plan.py) and the posts (plan_posts.py)
    setup.bp,  # first-run setup
    staffing.bp,  # bemanning
    wheel.bp,  # årshjulet
)


def _select_locale() -> str:
    """Bokmål for everyone for now; nynorsk and English catalogs can follow."""
    return "nb"


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless told otherwise on every connection; also use WAL."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        engine: Engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            # WAL lets readers and a writer work at once (several gunicorn workers).
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            # SQLite's lower() only knows ASCII; Norwegian æøå need Python's.
            dbapi_connection.create_function(
                "lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True
            )


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the planner app.

    ``test_config`` overrides the configuration (tests pass their own database URL).
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)

    app.config.from_mapping(build_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    htmx.init_app(app)
    _enable_sqlite_foreign_keys(app)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    init_views(app)
    register_cli(app)

    @app.after_request
    def _vary_on_htmx(response):  # type: ignore[no-untyped-def]
        """Pages and fragments share URLs, so caches must key on HX-Request."""
        if response.mimetype == "text/html":
            response.vary.add("HX-Request")
        return response

    init_feed_fastpath(app)
    init_security(app)

    return app


def main() -> None:
    """Entry point of the ``planner`` console script (``flask --app planner`` likewise)."""
    FlaskGroup(create_app=create_app)(prog_name="planner")
