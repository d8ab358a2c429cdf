"""Forms of the staffing pages (Flask-WTF, CSRF-protected, Norwegian messages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from planner.domain.dates import parse_norwegian_date

WEEKDAY_CHOICES = [
    SelectChoice(1, _l("Mandag")),
    SelectChoice(2, _l("Tirsdag")),
    SelectChoice(3, _l("Onsdag")),
    SelectChoice(4, _l("Torsdag")),
    SelectChoice(5, _l("Fredag")),
    SelectChoice(6, _l("Lørdag")),
    SelectChoice(7, _l("Søndag")),
]
HOLIDAY_KIND_CHOICES = [
    SelectChoice("skoleferie", _l("Skoleferie")),
    SelectChoice("fellesferie", _l("Fellesferie")),
    SelectChoice("annet", _l("Annet")),
]


class DateField(StringField):
    """A date picked in the browser (ISO) or typed as dd.mm.åååå; Norwegian errors."""

    widget = DateInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = parse_norwegian_date(str(valuelist[0]))
            except ValueError as exc:
                raise ValueError(str(exc)) from None

    def _value(self) -> str:
        if isinstance(self.data, date):
            return self.data.isoformat()
        return self.raw_data[0] if self.raw_data else ""


def _end_not_before_start(form: Any, field: DateField) -> None:
    start = form.start.data
    if isinstance(start, date) and isinstance(field.data, date) and field.data < start:
        raise ValidationError(_l("Til-datoen kan ikke være før fra-datoen."))


class StaffForm(FlaskForm):
    """A team member: name, email, usual working days, active."""

    name = StringField(
        _l("Navn"), validators=[DataRequired(_l("Skriv inn navnet.")), Length(max=200)]
    )
    email = EmailField(
        _l("E-postadresse"),
        validators=[
            Optional(),
            Email(_l("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")),
            Length(max=254),
        ],
    )
    working_days = SelectMultipleField(
        _l("Vanlige arbeidsdager"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        default=[1, 2, 3, 4, 5],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Velg minst én arbeidsdag."))],
    )
    active = BooleanField(_l("Aktiv i teamet (kan settes på vakt)"), default=True)


class PeriodForm(FlaskForm):
    """Shared start/end fields."""

    start = DateField(_l("Fra og med"), validators=[InputRequired(_l("Velg en fra-dato."))])
    end = DateField(
        _l("Til og med"),
        validators=[InputRequired(_l("Velg en til-dato.")), _end_not_before_start],
    )


class AbsenceForm(PeriodForm):
    """An absence: holiday, course, leave."""

    reason = StringField(
        _l("Årsak"), validators=[Length(max=200)], description=_l("For eksempel ferie eller kurs.")
    )


class PeakForm(PeriodForm):
    """A peak period (toppbelastning)."""

    name = StringField(
        _l("Navn"), validators=[DataRequired(_l("Skriv inn et navn.")), Length(max=200)]
    )
    required_staff = IntegerField(
        _l("Antall på vakt som trengs"),
        default=2,
        validators=[
            InputRequired(_l("Skriv inn hvor mange som må være på vakt.")),
            NumberRange(1, 50, _l("Antallet må være mellom 1 og 50.")),
        ],
    )
    reason = TextAreaField(_l("Hvorfor det blir travelt"), validators=[Length(max=10_000)])


class HolidayForm(PeriodForm):
    """A school or common holiday period (skoleferie, fellesferie)."""

    name = StringField(
        _l("Navn"), validators=[DataRequired(_l("Skriv inn et navn.")), Length(max=200)]
    )
    kind = SelectField(_l("Type ferie"), choices=HOLIDAY_KIND_CHOICES, default="skoleferie")


class GenerateForm(FlaskForm):
    """«Lag rettferdig rotasjon» for a year."""

    mode = SelectField(
        _l("Hva skal lages"),
        choices=[
            SelectChoice("fill", _l("Fyll bare uker uten hovedansvarlig (behold det som er satt)")),
            SelectChoice("replace", _l("Lag hele vaktlisten på nytt fra valgt uke")),
        ],
        default="fill",
    )
    from_week = IntegerField(
        _l("Fra uke"),
        default=1,
        validators=[
            InputRequired(_l("Skriv inn en uke.")),
            NumberRange(1, 53, _l("Uken må være mellom 1 og 53.")),
        ],
    )
    backups = IntegerField(
        _l("Backuper per uke utenom toppbelastninger"),
        default=1,
        validators=[
            InputRequired(_l("Skriv inn et antall.")),
            NumberRange(0, 5, _l("Antallet må være mellom 0 og 5.")),
        ],
    )
