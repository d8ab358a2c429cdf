"""Forms of the login and first-run setup pages (``auth.py``, ``setup.py``), and the
password policy check the administrator's forms share."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

from planner.services.accounts import MIN_PASSWORD_LENGTH


def default_plan_year(today: date | None = None) -> int:
    """The year a new municipality most likely plans: next year from October on."""
    today = today or date.today()
    return today.year + 1 if today.month >= 10 else today.year


def password_policy(_form: FlaskForm, field: PasswordField) -> None:
    """WTForms validator: the password is at least ``MIN_PASSWORD_LENGTH`` characters."""
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("Passordet må ha minst %(n)s tegn.", n=MIN_PASSWORD_LENGTH))


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
        _l("Passord"), validators=[DataRequired(_l("Velg et passord.")), password_policy]
    )
    seed = BooleanField(_l("Start fra det anbefalte årshjulet"), default=True)
    year = IntegerField(
        _l("År"),
        validators=[
            DataRequired(_l("Skriv inn et år.")),
            NumberRange(2000, 2100, _l("Året må være mellom 2000 og 2100.")),
        ],
    )
