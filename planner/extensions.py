"""Flask extensions, created unbound here and bound in ``create_app`` with ``init_app``."""

from flask import current_app
from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for all models (SQLAlchemy 2 style)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep their loaded values after a commit (sessions live for one request), so the
# history hook sees every field's value before a change.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()


#: ``app.extensions`` key of the feed lookup's own engine (PostgreSQL only).
FEED_ENGINE_KEY = "planner_feed_engine"


def dispose_engines() -> None:
    """Close the pooled connections of every engine of the current app (the database's,
    and the feed lookup's own on PostgreSQL)."""
    for engine in db.engines.values():
        engine.dispose()
    feed_engine = current_app.extensions.get(FEED_ENGINE_KEY)
    if feed_engine is not None:
        feed_engine.dispose()
