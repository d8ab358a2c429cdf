"""The forms of the import wizards (Flask-WTF, CSRF-protected, Norwegian messages).

* :class:`UploadForm`: the file, the first step of every import (spreadsheet, calendar
  file, backup); :class:`SpreadsheetUploadForm` adds the year the sheet plans.
* :func:`mapping_form`: step 2 of the spreadsheet import, built for the uploaded sheets:
  the sheet, its heading row, year and wheel, one select per column (what the column
  holds) and one per unknown channel or audience (create it, use an existing one, skip).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import HiddenInput

from planner.domain.imports.spreadsheet_columns import FIELD_LABELS, column_letter
from planner.domain.imports.spreadsheet_dates import MONTH_NAMES
from planner.domain.imports.spreadsheet_sheet import SheetData
from planner.models import CHANNEL_TYPES, Audience, Channel, Wheel
from planner.services.exports.strategy import CHANNEL_TYPE_LABELS
from planner.services.imports.spreadsheet_import import NEW, SKIP, ImportChoices, Preview
from planner.services.imports.spreadsheet_import import name_key as import_name_key

NOT_OFFERED = _l("Velg et av alternativene i listen.")
MAX_UNKNOWN_NAMES = 500
ACTIONS = ("forhandsvis", "importer", "importer-gyldige")


# --------------------------------------------------------------------------- upload


class UploadForm(FlaskForm):
    """The file of an import (step 1 of every wizard).

    ``label`` names the kind of file asked for and ``missing`` is the message when none is
    chosen, so the spreadsheet, calendar and backup imports share this one form.
    """

    file = FileField(validators=[FileRequired()])

    def __init__(self, *args: Any, label: object, missing: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file.label.text = str(label)
        self.file.validators = [FileRequired(str(missing))]


class SpreadsheetUploadForm(UploadForm):
    """Step 1 of the spreadsheet import: the file and the year it plans."""

    year = IntegerField(
        _l("År"),
        validators=[
            InputRequired(_l("Skriv inn året planen gjelder.")),
            NumberRange(2000, 2100, _l("Året må være mellom 2000 og 2100.")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args,
            label=_l("Regneark (.xlsx eller .csv)"),
            missing=_l("Velg en fil å importere."),
            **kwargs,
        )


# --------------------------------------------------------------------------- mapping


def _whole_number(message: object) -> Callable[[Form, Field], None]:
    """One Norwegian message for input that is not a whole number (instead of WTForms'
    "Not a valid integer value")."""

    def check(_form: Form, field: Field) -> None:
        """Replace WTForms' parse error with ``message`` and stop there."""
        if field.process_errors:
            field.errors[:] = []
            raise StopValidation(str(message))

    return check


def _optional_int(value: Any) -> int | None:
    """A select's value as an id, ``""`` as None."""
    return None if value in ("", None) else int(value)


def column_choices() -> list[SelectChoice]:
    """What a column can be imported as: nothing, a field, a month column or a week column."""
    months = _("Månedskolonne (kryss eller dag i måneden)")
    weeks = _("Ukekolonne (kryss)")
    return (
        [SelectChoice("", _("Ikke importer"))]
        + [SelectChoice(key, label, optgroup=_("Felt")) for key, label in FIELD_LABELS.items()]
        + [
            SelectChoice(f"month:{i}", MONTH_NAMES[i - 1].capitalize(), optgroup=months)
            for i in range(1, 13)
        ]
        + [SelectChoice(f"week:{i}", f"Uke {i}", optgroup=weeks) for i in range(1, 54)]
    )


def _action_choices(
    existing: Iterable[Channel | Audience], new_label: object
) -> list[SelectChoice]:
    """Create the unknown name, use an existing one (by id), or skip its rows."""
    return (
        [SelectChoice(NEW, str(new_label))]
        + [SelectChoice(str(item.id), _("Bruk «%(n)s»", n=item.name)) for item in existing]
        + [SelectChoice(SKIP, _("Ikke importer (radene får feil)"))]
    )


class UnknownChannelForm(Form):
    """What to do with a channel the sheet names but the municipality does not have."""

    navn = HiddenField()
    valg = SelectField(invalid_choice_message=NOT_OFFERED)
    type = SelectField(
        choices=[SelectChoice(t, str(CHANNEL_TYPE_LABELS[t])) for t in CHANNEL_TYPES],
        invalid_choice_message=NOT_OFFERED,
    )


class UnknownAudienceForm(Form):
    """What to do with an audience the sheet names but the municipality does not have."""

    navn = HiddenField()
    valg = SelectField(invalid_choice_message=NOT_OFFERED)


class MappingForm(FlaskForm):
    """Step 2 of the spreadsheet import; see :func:`mapping_form`, which adds a select per
    column (``kolonne-0`` …) and offers the municipality's channels, audiences and wheels.

    ``forrige-ark`` and ``forrige-rad`` say which sheet and heading row the column selects
    were shown for: when the user picks another, the columns are guessed anew. ``vist`` is
    the fingerprint of the preview the user saw; importing needs the same choices.
    """

    ark = SelectField(
        _l("Regneark"),
        coerce=int,
        default=0,
        invalid_value_message=NOT_OFFERED,
        invalid_choice_message=NOT_OFFERED,
    )
    overskriftsrad = IntegerField(
        _l("Overskriftene står i rad"),
        validators=[
            _whole_number(_l("Skriv radnummeret som et helt tall, for eksempel 1.")),
            Optional(),
            NumberRange(min=1, message=_l("Radnummeret må være 1 eller mer.")),
        ],
        render_kw={"min": 1},
    )
    ar = IntegerField(
        _l("År"),
        validators=[
            _whole_number(_l("Skriv året som fire sifre, for eksempel 2026.")),
            InputRequired(_l("Skriv inn året planen gjelder.")),
            NumberRange(2000, 2100, _l("Året må være mellom 2000 og 2100.")),
        ],
        render_kw={"min": 2000, "max": 2100},
    )
    hjul = SelectField(
        _l("Legg innleggene i årshjulet"),
        coerce=_optional_int,
        invalid_value_message=_l("Velg et av årshjulene i listen."),
        invalid_choice_message=_l("Velg et av årshjulene i listen."),
    )
    forrige_ark = IntegerField(name="forrige-ark", widget=HiddenInput(), validators=[Optional()])
    forrige_rad = IntegerField(name="forrige-rad", widget=HiddenInput(), validators=[Optional()])
    vist = HiddenField()
    handling = SelectField(
        choices=[SelectChoice(action) for action in ACTIONS],
        default="forhandsvis",
        invalid_choice_message=NOT_OFFERED,
    )
    kanal = FieldList(FormField(UnknownChannelForm), max_entries=MAX_UNKNOWN_NAMES)
    malgruppe = FieldList(FormField(UnknownAudienceForm), max_entries=MAX_UNKNOWN_NAMES)

    _channels: list[Channel]
    _audiences: list[Audience]

    @property
    def columns(self) -> list[SelectField]:
        """The column selects, in the sheet's order."""
        return [self[f"column_{i}"] for i in range(self.width)]  # type: ignore[misc]

    @property
    def width(self) -> int:
        """How many column selects the form has (the widest sheet's columns)."""
        return sum(1 for name in self._fields if name.startswith("column_"))

    def offer(self, channels: list[Channel], audiences: list[Audience]) -> None:
        """Offer the municipality's channels and audiences to every unknown name."""
        self._channels, self._audiences = channels, audiences
        for entry in self.kanal:
            entry.form.valg.choices = _action_choices(channels, _("Opprett ny kanal"))
        for entry in self.malgruppe:
            entry.form.valg.choices = _action_choices(audiences, _("Opprett ny målgruppe"))

    def import_choices(self, default_year: int) -> ImportChoices:
        """What the user chose; a field with errors counts as not chosen."""
        year = self.ar.data if not self.ar.errors and self.ar.data else default_year
        sheet = self.ark.data if not self.ark.errors and self.ark.data else 0
        header = self.overskriftsrad.data if not self.overskriftsrad.errors else None
        header_row = header - 1 if header else None
        same_layout = self.forrige_ark.data == sheet and self.forrige_rad.data == (header or 0)
        mapping = None
        if same_layout and header_row is not None:
            mapping = [c.data if not c.errors and c.data else "" for c in self.columns]
        wheel_id = self.hjul.data if not self.hjul.errors else None
        choices = ImportChoices(
            year=year, sheet=sheet, header_row=header_row, mapping=mapping, wheel_id=wheel_id
        )
        for entry in self.kanal:
            key = import_name_key(entry.form.navn.data or "")
            if not entry.form.valg.errors and entry.form.valg.data:
                choices.channel_actions[key] = entry.form.valg.data
            if not entry.form.type.errors and entry.form.type.data:
                choices.channel_types[key] = entry.form.type.data
        for entry in self.malgruppe:
            key = import_name_key(entry.form.navn.data or "")
            if not entry.form.valg.errors and entry.form.valg.data:
                choices.audience_actions[key] = entry.form.valg.data
        return choices

    def show(self, preview: Preview, wheels: list[Wheel], fingerprint: str) -> None:
        """Show what the preview was made from; fields with errors keep what was sent."""
        self.ark.choices = [SelectChoice(i, name) for i, name in enumerate(preview.sheet_names)]
        self.hjul.choices = [SelectChoice(w.id, w.name) for w in wheels] or [
            SelectChoice("", _("%(name)s (opprettes)", name=preview.wheel_name))
        ]
        wheel_id = next((w.id for w in wheels if w.name == preview.wheel_name), None)
        for field, value in (
            (self.ark, preview.sheet),
            (self.overskriftsrad, preview.header_row + 1),
            (self.ar, preview.year),
            (self.hjul, wheel_id),
            (self.forrige_ark, preview.sheet),
            (self.forrige_rad, preview.header_row + 1),
            (self.vist, fingerprint),
            (self.handling, "forhandsvis"),
        ):
            _show(field, value)
        for index, column in enumerate(self.columns):
            heading = preview.headings[index] if index < len(preview.headings) else ""
            column.label.text = _(
                "Kolonne %(c)s («%(h)s») importeres som", c=column_letter(index), h=heading
            )
            _show(column, preview.mapping[index] if index < len(preview.mapping) else "")
        _show_names(
            self.kanal,
            [(u.name, u.action, u.channel_type) for u in preview.unknown_channels],
            lambda name: {
                "valg": _("Hva skal skje med kanalen «%(n)s»", n=name),
                "type": _("Kanaltype for «%(n)s»", n=name),
            },
        )
        _show_names(
            self.malgruppe,
            [(u.name, u.action, "") for u in preview.unknown_audiences],
            lambda name: {"valg": _("Hva skal skje med målgruppen «%(n)s»", n=name)},
        )
        self.offer(self._channels, self._audiences)


def _show(field: Field, value: Any) -> None:
    """Show ``value`` in a field unless the field has errors (then the sent value stays)."""
    if not field.errors:
        field.data = value
        field.raw_data = None


def _show_names(
    names: FieldList,
    shown: list[tuple[str, str, str]],
    labels: Callable[[str], dict[str, str]],
) -> None:
    """One entry per unknown name of the preview (name, action, channel type), its selects
    labelled with the name; an entry sent with errors keeps what was sent and its errors."""
    sent = {import_name_key(entry.form.navn.data or ""): entry.form for entry in names}
    while names.entries:
        names.pop_entry()
    for name, action, channel_type in shown[: names.max_entries]:
        before = sent.get(import_name_key(name))
        if before is not None and any(before.errors.values()):
            entry = names.append_entry({**before.data, "navn": name})
            for field_name in entry.form._fields:
                entry.form[field_name].errors = list(before[field_name].errors)
        else:
            entry = names.append_entry({"valg": action, "type": channel_type, "navn": name})
        for field_name, text in labels(name).items():
            entry.form[field_name].label.text = text


def mapping_form(
    sheets: list[SheetData], channels: list[Channel], audiences: list[Audience], wheels: list[Wheel]
) -> MappingForm:
    """The mapping form for the uploaded sheets, with the request's data when it was sent.

    It has a select for every column of the widest sheet (``kolonne-0`` …); the page shows
    those of the sheet on screen. ``wheels`` are all the municipality's wheels (any of them
    may be chosen; the page offers those of the year).
    """
    width = max((max(sheet.width, 1) for sheet in sheets), default=1)
    offered = column_choices()

    class SheetMappingForm(MappingForm):
        """The mapping form with a select per column of these sheets."""

    for index in range(width):
        setattr(
            SheetMappingForm,
            f"column_{index}",
            SelectField(
                _l("Kolonne %(c)s importeres som", c=column_letter(index)),
                name=f"kolonne-{index}",
                choices=offered,
                default="",
                invalid_choice_message=NOT_OFFERED,
            ),
        )
    form = SheetMappingForm()
    form.ark.choices = [SelectChoice(i, sheet.name) for i, sheet in enumerate(sheets)]
    form.hjul.choices = [SelectChoice("", "")] + [SelectChoice(w.id, w.name) for w in wheels]
    form.offer(channels, audiences)
    return form
