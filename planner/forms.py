"""Forms (Flask-WTF, CSRF-protected) with Norwegian messages marked for translation."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

MIN_PASSWORD_LENGTH = 10


def default_plan_year(today: date | None = None) -> int:
    """The year a new municipality most likely plans: next year from October on."""
    today = today or date.today()
    return today.year + 1 if today.month >= 10 else today.year


def _password_policy(_form: FlaskForm, field: PasswordField) -> None:
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("Passordet må ha minst %(n)s tegn.", n=MIN_PASSWORD_LENGTH))


ROLE_CHOICES = [
    SelectChoice("viewer", _l("Leser – kan se planen")),
    SelectChoice("editor", _l("Redaktør – kan endre planen")),
    SelectChoice("admin", _l("Administrator – kan også styre brukere og innstillinger")),
]


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = EmailField(
        _l("E-postadresse"),
        validators=[DataRequired(_l("Skriv inn e-postadressen din.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Passord"), validators=[DataRequired(_l("Skriv inn passordet ditt."))]
    )
    remember = BooleanField(_l("Husk meg på denne maskinen"))


class SetupForm(FlaskForm):
    """First visit: create the municipality and its first administrator."""

    municipality = StringField(
        _l("Navn på kommunen"),
        validators=[DataRequired(_l("Skriv inn navnet på kommunen.")), Length(max=200)],
    )
    name = StringField(_l("Ditt navn"), validators=[Length(max=200)])
    email = EmailField(
        _l("E-postadresse"),
        validators=[
            DataRequired(_l("Skriv inn e-postadressen din.")),
            Email(_l("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Passord"), validators=[DataRequired(_l("Velg et passord.")), _password_policy]
    )
    seed = BooleanField(_l("Start fra det anbefalte årshjulet"), default=True)
    year = IntegerField(
        _l("År"),
        validators=[
            DataRequired(_l("Skriv inn et år.")),
            NumberRange(2000, 2100, _l("Året må være mellom 2000 og 2100.")),
        ],
    )


class UserCreateForm(FlaskForm):
    """An administrator creates a user with a role."""

    name = StringField(_l("Navn"), validators=[Length(max=200)])
    email = EmailField(
        _l("E-postadresse"),
        validators=[
            DataRequired(_l("Skriv inn e-postadressen.")),
            Email(_l("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default="editor")
    password = PasswordField(
        _l("Midlertidig passord"),
        validators=[DataRequired(_l("Velg et passord.")), _password_policy],
    )


class UserRoleForm(FlaskForm):
    """Change a user's role or deactivate the account."""

    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Aktiv"))


EMBED_ORIGIN = re.compile(r"^https://[a-z0-9.-]+(:[0-9]{1,5})?$")


def _embed_origins(_form: FlaskForm, field: TextAreaField) -> None:
    for line in (field.data or "").split():
        if not EMBED_ORIGIN.match(line.strip().lower()):
            raise ValidationError(
                _l(
                    "«%(o)s» er ikke en gyldig adresse. Skriv én per linje, som https://intranett.kommune.no.",
                    o=line,
                )
            )


class SettingsForm(FlaskForm):
    """Organisation settings an administrator manages."""

    name = StringField(
        _l("Navn på kommunen"),
        validators=[DataRequired(_l("Skriv inn navnet på kommunen.")), Length(max=200)],
    )
    embed_origins = TextAreaField(
        _l("Nettsteder som kan vise årshjulet i en ramme (for eksempel intranettet)"),
        validators=[Length(max=2000), _embed_origins],
    )


class PasswordResetForm(FlaskForm):
    """An administrator sets a new temporary password for a user."""

    password = PasswordField(
        _l("Nytt midlertidig passord"),
        validators=[DataRequired(_l("Velg et passord.")), _password_policy],
    )
