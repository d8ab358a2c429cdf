"""Forms of the catalog pages: audiences (målgrupper), channels (kanaler) and service
areas (virksomhetsområder). The small button forms (move, delete) and the reach matrix
carry only the CSRF token, which CSRFProtect checks for every POST.

Field validation lives here (required, length, range, format); rules that need the
database or the domain (unique names, colour contrast) live in ``planner.services.catalog``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    ColorField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    StopValidation,
)

from planner.models import SOCIAL_CHANNEL_TYPES, TRADITIONAL_CHANNEL_TYPES

MAX_RESPONSE_HOURS = 720  # 30 days: anything longer is not a response-time target

CHANNEL_TYPE_LABELS: dict[str, object] = {
    "nettsamfunn": _l("Nettsamfunn (f.eks. Facebook, LinkedIn)"),
    "mikroblogg": _l("Mikroblogg (f.eks. X)"),
    "blogg": _l("Blogg"),
    "delingsmedium": _l("Delingsmedium (f.eks. Instagram, YouTube, TikTok)"),
    "diskusjonsforum": _l("Diskusjonsforum"),
    "wiki": _l("Wiki"),
    "nettside": _l("Nettside"),
    "pressemelding": _l("Pressemelding"),
    "annonse_lokalavis": _l("Annonse i lokalavis"),
    "brev_sms": _l("Brev og SMS"),
    "plakat": _l("Plakat og oppslag"),
    "mote": _l("Møte (f.eks. folkemøte)"),
}


def channel_type_choices() -> list[SelectChoice]:
    """The channel types grouped in social media and traditional channels."""
    social, traditional = str(_l("Sosiale medier")), str(_l("Tradisjonelle kanaler"))
    return [
        SelectChoice(t, str(CHANNEL_TYPE_LABELS[t]), optgroup=social) for t in SOCIAL_CHANNEL_TYPES
    ] + [
        SelectChoice(t, str(CHANNEL_TYPE_LABELS[t]), optgroup=traditional)
        for t in TRADITIONAL_CHANNEL_TYPES
    ]


REACH_LEVEL_LABELS: dict[int, object] = {
    0: _l("ingen"),
    1: _l("noe"),
    2: _l("god"),
    3: _l("svært god"),
}

NO_SERVICE_AREA = 0
RESPONSE_HOURS_REQUIRED = _l("Skriv inn svartiden i hele timer (0 hvis kanalen ikke har dialog).")


def _whole_hours(_form: FlaskForm, field: IntegerField) -> None:
    """One Norwegian message for input that is not a whole number (instead of WTForms'
    generic "not a valid integer" followed by the range message)."""
    if field.process_errors:
        field.errors[:] = []
        if not (field.raw_data and field.raw_data[0].strip()):
            raise StopValidation(RESPONSE_HOURS_REQUIRED)
        raise StopValidation(_l("Svartiden må være et helt antall timer, for eksempel 8."))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class AudienceForm(FlaskForm):
    """Create or edit an audience (målgruppe). Priority is changed with the move buttons."""

    name = StringField(
        _l("Navn"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Skriv inn et navn på målgruppen.")),
            Length(max=160, message=_l("Navnet kan ha høyst %(max)d tegn.")),
        ],
    )
    service_area = SelectField(_l("Virksomhetsområde"), coerce=int, default=NO_SERVICE_AREA)
    description = TextAreaField(
        _l("Beskrivelse"),
        filters=[_strip],
        validators=[Length(max=4000, message=_l("Beskrivelsen kan ha høyst %(max)d tegn."))],
    )

    def set_service_areas(self, areas: list[tuple[int, str]]) -> None:
        """Offer the organisation's service areas (and "none") in the select."""
        self.service_area.choices = [SelectChoice(NO_SERVICE_AREA, str(_l("Ingen")))] + [
            SelectChoice(area_id, name) for area_id, name in areas
        ]


class ChannelForm(FlaskForm):
    """Create or edit a channel (kanal) with its response time, profile text and colour."""

    name = StringField(
        _l("Navn"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Skriv inn et navn på kanalen.")),
            Length(max=120, message=_l("Navnet kan ha høyst %(max)d tegn.")),
        ],
    )
    type = SelectField(_l("Type kanal"), default="nettsamfunn")
    response_hours = IntegerField(
        _l("Svartid i timer"),
        default=0,
        validators=[
            _whole_hours,
            InputRequired(RESPONSE_HOURS_REQUIRED),
            NumberRange(
                0,
                MAX_RESPONSE_HOURS,
                _l("Svartiden må være mellom %(min)s og %(max)s timer."),
            ),
        ],
    )
    colour = ColorField(
        _l("Farge"),
        default="#1b4f9c",
        filters=[_strip],
        validators=[
            DataRequired(_l("Velg en farge.")),
            Regexp(
                r"^#[0-9a-fA-F]{6}$",
                message=_l("Fargen må skrives som #rrggbb, for eksempel #1b4f9c."),
            ),
        ],
    )
    profile_text = TextAreaField(
        _l("Tekst til kanalens profilside"),
        filters=[_strip],
        validators=[Length(max=4000, message=_l("Teksten kan ha høyst %(max)d tegn."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = channel_type_choices()


class ServiceAreaForm(FlaskForm):
    """Create or rename a service area (virksomhetsområde)."""

    name = StringField(
        _l("Navn"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Skriv inn et navn på virksomhetsområdet.")),
            Length(max=120, message=_l("Navnet kan ha høyst %(max)d tegn.")),
        ],
    )
