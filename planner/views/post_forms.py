"""The post form (innlegg): fields, choices from the organisation's catalogs, and the
conversion between form values and the post's start/end/recurrence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from planner.domain.posts.rules import KINDS, STATUSES, wheel_year_error
from planner.domain.posts.values import PostData
from planner.models import Post
from planner.services.posts.operations import Catalog
from planner.services.posts.writer import data_of, post_errors
from planner.views.post_repeat import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    RepeatChoice,
    choice_of,
    nth_weekday,
    repeat_labels,
    rule_of,
)

STATUS_LABELS = {
    "idé": _l("Idé"),
    "planlagt": _l("Planlagt"),
    "godkjent": _l("Godkjent"),
    "publisert": _l("Publisert"),
    "avlyst": _l("Avlyst"),
}
KIND_LABELS = {
    "proaktiv": _l("Proaktiv"),
    "fortløpende": _l("Fortløpende"),
    "reaktiv": _l("Reaktiv"),
}
#: The repeat choices' values (their labels depend on the start date: see
#: :meth:`PostForm.repeat_options`). "egen" is a rule written under «Avansert».
REPEAT_KINDS = (
    "",
    "ukentlig",
    "annenhver-uke",
    "manedlig",
    "maned-nte",
    "maned-siste",
    "arlig",
    "egen",
)


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes in a list; rendered inside a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PostForm(FlaskForm):
    """Create or edit a post. Dates are native date inputs (shown as dd.mm.åååå in nb-NO)."""

    title = StringField(
        _l("Tittel"),
        validators=[DataRequired(_l("Innlegget må ha en tittel.")), Length(max=200)],
    )
    wheel = SelectField(_l("Årshjul"), coerce=int)
    all_day = BooleanField(_l("Hele dagen"), default=True)
    start_date = DateField(_l("Startdato"), validators=[InputRequired(_l("Velg en startdato."))])
    start_time = TimeField(_l("Starttid"), validators=[Optional()])
    end_date = DateField(_l("Sluttdato"), validators=[Optional()])
    end_time = TimeField(_l("Sluttid"), validators=[Optional()])
    repeat = SelectField(_l("Gjentakelse"), choices=list(REPEAT_KINDS), default="")
    repeat_weekdays = MultiCheckboxField(
        _l("Hvilke ukedager"),
        choices=[
            SelectChoice(code, name)
            for code, name in zip(WEEKDAY_CODES, WEEKDAY_NAMES, strict=True)
        ],
    )
    repeat_until = DateField(_l("Gjenta til og med"), validators=[Optional()])
    rrule_custom = StringField(_l("Regel skrevet som tekst"), validators=[Length(max=500)])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES],
        default="planlagt",
    )
    kind = SelectField(
        _l("Type"),
        choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS],
        default="proaktiv",
    )
    service_area = SelectField(_l("Virksomhetsområde"), coerce=int, default=0)
    channels = MultiCheckboxField(_l("Kanaler"), coerce=int)
    audiences = MultiCheckboxField(_l("Målgrupper"), coerce=int)
    responsible = StringField(_l("Ansvarlig"), validators=[Length(max=200)])
    link = StringField(_l("Lenke til nettsiden"), validators=[Length(max=500)])
    archive_worthy = BooleanField(_l("Arkivverdig – skal journalføres"))
    description = TextAreaField(_l("Beskrivelse / budskap"), validators=[Length(max=20_000)])
    notes = TextAreaField(_l("Notater"), validators=[Length(max=20_000)])
    version = HiddenField()

    def moments(self) -> tuple[datetime, datetime]:
        """Start and end as naive Oslo wall-clock datetimes (inclusive end date for all-day)."""
        start_day: date = self.start_date.data  # type: ignore[assignment]
        end_day: date = self.end_date.data or start_day
        if self.all_day.data:
            return datetime.combine(start_day, time()), datetime.combine(end_day, time())
        start = datetime.combine(start_day, self.start_time.data or time(9, 0))
        if self.end_time.data:
            end = datetime.combine(end_day, self.end_time.data)
        else:
            end = start + timedelta(hours=1)
        return start, end

    def uses_custom_rule(self) -> bool:
        """Whether the rule is the text written under «Avansert» (it wins when filled)."""
        return bool((self.rrule_custom.data or "").strip())

    def rrule_text(self) -> str | None:
        """The recurrence rule chosen: the «Avansert» text when filled, else the human
        choice (with UNTIL from «Gjenta til»)."""
        if self.uses_custom_rule():
            return (self.rrule_custom.data or "").strip()
        choice = RepeatChoice(
            self.repeat.data or "",
            tuple(self.repeat_weekdays.data or ()),
            self.repeat_until.data,
        )
        return rule_of(choice, self.start_date.data)

    def set_rrule(self, rrule: str | None) -> None:
        """Show a stored rule in the fields (the inverse of :meth:`rrule_text`, reading the
        start date already in the form): a rule one of the choices writes as that choice,
        any other as text under «Avansert»."""
        choice = choice_of(rrule, self.start_date.data)
        if choice is None:
            self.repeat.data = "egen"
            self.rrule_custom.data = rrule
            return
        self.repeat.data = choice.kind
        self.repeat_weekdays.data = list(choice.weekdays)
        self.repeat_until.data = choice.until

    def repeat_options(self) -> list[tuple[str, str, bool, bool]]:
        """The repeat choices to show as ``(value, label, selected, hidden)``: the monthly
        weekday ones named from the start date («2. tirsdag i måneden»), a fifth weekday
        hidden (it is «siste»), and «Egen regel» only while a written rule is in use."""
        start: date | None = self.start_date.data
        current = "egen" if self.uses_custom_rule() else (self.repeat.data or "")
        labels = repeat_labels(start)
        options = []
        for kind in REPEAT_KINDS:
            if kind == "egen" and current != "egen":
                continue
            fifth = kind == "maned-nte" and start is not None and nth_weekday(start) > 4
            options.append((kind, labels[kind], kind == current, fifth and kind != current))
        return options


class MoveForm(FlaskForm):
    """Move a post (or one occurrence) to another date, keeping its length."""

    new_date = DateField(_l("Ny dato"), validators=[InputRequired(_l("Velg en ny dato."))])
    version = HiddenField()


class OccurrenceForm(FlaskForm):
    """Move or cancel one occurrence of a recurring post."""

    recurrence_id = HiddenField(validators=[DataRequired()])
    action = SelectField(
        _l("Hva vil du gjøre med denne forekomsten?"),
        choices=[
            SelectChoice("move", _l("Flytte den")),
            SelectChoice("cancel", _l("Avlyse den")),
            SelectChoice("restore", _l("Tilbakestille til regelen")),
        ],
    )
    new_date = DateField(_l("Ny dato"), validators=[Optional()])
    new_time = TimeField(_l("Nytt klokkeslett"), validators=[Optional()])


class RollForwardForm(FlaskForm):
    """Create next year's wheel from this year's."""

    target_year = IntegerField(_l("Til år"), validators=[InputRequired(), NumberRange(2000, 2100)])


def fill_choices(
    form: PostForm, wheels: list[Any], areas: list[Any], channels: list[Any], audiences: list[Any]
) -> None:
    """Set the choices of the catalog fields from the organisation's rows."""
    form.wheel.choices = [SelectChoice(w.id, f"{w.name}") for w in wheels]
    form.service_area.choices = [SelectChoice(0, _l("Ikke valgt"))] + [
        SelectChoice(a.id, a.name) for a in areas
    ]
    form.channels.choices = [SelectChoice(c.id, c.name) for c in channels]
    form.audiences.choices = [SelectChoice(a.id, a.name) for a in audiences]


# Domain field names → form field names, so errors land next to the right input.
FIELD_MAP = {
    "title": "title",
    "start": "start_date",
    "end": "end_date",
    "rrule": "repeat",
    "link": "link",
}


def post_data(form: PostForm, catalog: Catalog, post: Post | None = None) -> PostData:
    """The form's values as a :class:`PostData` (what the form does not show, such as a
    seeded post's key or its changed occurrences, is kept from ``post``)."""
    start, end = form.moments()
    values = dict(
        title=form.title.data or "",
        start=start,
        end=end,
        wheel_id=form.wheel.data,
        all_day=bool(form.all_day.data),
        status=form.status.data,
        kind=form.kind.data,
        rrule=form.rrule_text(),
        link=(form.link.data or "").strip(),
        service_area_id=form.service_area.data if form.service_area.data in catalog.areas else None,
        channel_ids=tuple(i for i in form.channels.data or [] if i in catalog.channels),
        audience_ids=tuple(i for i in form.audiences.data or [] if i in catalog.audiences),
        responsible=(form.responsible.data or "").strip(),
        archive_worthy=bool(form.archive_worthy.data),
        description=form.description.data or "",
        notes=form.notes.data or "",
    )
    if post is None:
        return PostData(**values)  # type: ignore[arg-type]
    return replace(data_of(post), **values)


def fill_from_post(form: PostForm, post: Post) -> None:
    """Show a saved post in the form (the inverse of :func:`post_data`)."""
    form.title.data = post.title
    form.wheel.data = post.wheel_id
    form.all_day.data = post.all_day
    form.start_date.data = post.start.date()
    form.end_date.data = post.end.date()
    form.start_time.data = None if post.all_day else post.start.time()
    form.end_time.data = None if post.all_day else post.end.time()
    form.set_rrule(post.rrule)
    form.status.data, form.kind.data = post.status, post.kind
    form.service_area.data = post.service_area_id or 0
    form.channels.data = [c.id for c in post.channels]
    form.audiences.data = [a.id for a in post.audiences]
    form.responsible.data, form.link.data = post.responsible, post.link
    form.archive_worthy.data = post.archive_worthy
    form.description.data, form.notes.data = post.description, post.notes
    form.version.data = str(post.version)


def form_errors(form: PostForm, catalog: Catalog) -> dict[str, str]:
    """The domain's field errors for a PostForm, keyed by form field (needs a start date)."""
    if form.start_date.data is None:
        return {}
    errors = {FIELD_MAP.get(k, k): v for k, v in post_errors(post_data(form, catalog)).items()}
    if form.uses_custom_rule() and "repeat" in errors:
        errors["rrule_custom"] = errors.pop("repeat")
    wheel = catalog.wheels.get(form.wheel.data)
    if wheel is None:
        errors["wheel"] = gettext("Velg et årshjul.")
    elif "start_date" not in errors:
        year_error = wheel_year_error(form.start_date.data.year, wheel.name, wheel.year)
        if year_error:
            errors["start_date"] = year_error
    return errors
