"""The import area's blueprint (``imports``) and the labels its pages share."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("imports", __name__)

#: The kinds of external calendars (ytre ring), as the .ics import offers them.
EXTERNAL_KIND_LABELS = {
    "møter": _l("Møter (f.eks. politiske møter)"),
    "skoleferie": _l("Skoleferier og fridager"),
    "annet": _l("Annet"),
}
