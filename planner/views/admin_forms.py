"""Forms of the administration pages (``admin.py``): users, roles, passwords and the
municipality's settings."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from planner.views.auth_forms import password_policy

ROLE_CHOICES = [
    SelectChoice("viewer", _l("Leser – kan se planen")),
    SelectChoice("editor", _l("Redaktør – kan endre planen")),
    SelectChoice("admin", _l("Administrator – kan også styre brukere og innstillinger")),
]


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
        validators=[DataRequired(_l("Velg et passord.")), password_policy],
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
        validators=[DataRequired(_l("Velg et passord.")), password_policy],
    )
