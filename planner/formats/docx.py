"""Word (DOCX): the year's plan for the municipality's communication strategy.

A document a communication adviser can paste into the kommunikasjonsstrategi or attach as
an appendix: title and period, the wheel as a picture (PNG at print resolution, with a
text alternative), the audiences, the channels, the plan month by month, peak periods and
staffing (warnings, the duty rota, absences) and the routines. It uses Word's built-in
styles only (Title, Heading 1/2, Caption, List Bullet, Table Grid), so it takes the
strategy's own look and appears in its table of contents; tables repeat their heading row
on every page and carry a caption for screen readers. Made with python-docx; opens in Word
and LibreOffice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from planner.domain.filters import PlanFilter
from planner.models import Organisation
from planner.services.exports.strategy import (
    RendererUnavailable,
    StrategyData,
    gather,
    svg_alt_text,
    svg_to_png,
    wheel_svg,
)

FORMAT = "docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSION = "docx"
TABLE_STYLE = "Table Grid"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    """Text Word can hold: control characters pasted from elsewhere are dropped."""
    return _NOT_XML.sub("", str(text))


def _set_language(document: Any, language: str = "nb-NO") -> None:
    """Mark the document's text as Norwegian bokmål (spelling, screen-reader voice)."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    target = None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPrDefault"))
        if rpr is not None:
            target = rpr.find(qn("w:rPr"))
    if target is None:  # pragma: no cover - the default template has docDefaults
        return
    lang = target.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        target.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _table(
    document: Any,
    caption: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    font_pt: float = 9,
) -> Any:
    """A table with a bold heading row repeated on every page and a caption (tblCaption)."""
    table = document.add_table(rows=len(rows) + 1, cols=len(headings))
    table.style = document.styles[TABLE_STYLE]
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), text[:255])
        tbl_pr.append(element)
    for index, column in enumerate(table.columns):
        column.width = Cm(widths_cm[index])  # the grid: what LibreOffice lays out by
    # Walk the rows once: python-docx's ``table.rows[i]`` rebuilds the list of every row on
    # each access, which made big tables quadratic.
    table_rows = list(table.rows)
    tr_pr = table_rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for r_index, (row, values) in enumerate(zip(table_rows, [list(headings), *rows], strict=True)):
        cells = row.cells
        for c_index, value in enumerate(values):
            cell = cells[c_index]
            cell.width = Cm(widths_cm[c_index])
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_clean(value))
            run.font.size = Pt(font_pt)
            if r_index == 0:
                run.bold = True
    return table


def _heading(document: Any, text: str, level: int) -> None:
    document.add_heading(_clean(text), level=level)


def _paragraph(document: Any, text: str, style: str | None = None) -> Any:
    return document.add_paragraph(_clean(text), style=style)


def build_document(data: StrategyData, picture: tuple[bytes, str] | None, note: str) -> bytes:
    """The Word document for ``data``; ``picture`` is (PNG, alt text) or None with ``note``."""
    document = _new_document(data)
    _title_part(document, data)
    _wheel_part(document, data, picture, note)
    _audiences_part(document, data)
    _channels_part(document, data)
    _months_part(document, data)
    _peaks_part(document, data)
    _routines_part(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document(data: StrategyData) -> Any:
    """An A4 portrait document in Norwegian bokmål with the plan's title and keywords."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    _set_language(document)
    props = document.core_properties
    props.title = _clean(f"Årshjul for kommunikasjon {data.year} – {data.organisation}")
    props.subject = "Kommunikasjonsstrategi: årshjul, målgrupper, kanaler og bemanning"
    props.author = _clean(data.organisation)
    props.language = "nb-NO"
    props.keywords = "årshjul; kommunikasjonsplan; målgrupper; kanaler; bemanning"
    return document


def _title_part(document: Any, data: StrategyData) -> None:
    """The title page: organisation, period, filter and when it was made."""
    document.add_heading(f"Årshjul for kommunikasjon {data.year}", level=0)
    _paragraph(document, data.organisation)
    _paragraph(document, f"Periode: {data.period}")
    if data.filter_text:
        _paragraph(document, f"Utvalg: {data.filter_text}")
    _paragraph(
        document,
        f"Laget {data.generated} fra årshjulet. Planen har {data.total} innlegg i perioden.",
    )


def _wheel_part(
    document: Any, data: StrategyData, picture: tuple[bytes, str] | None, note: str
) -> None:
    """The wheel as a picture with a caption, or the note why it is missing."""
    _heading(document, "Årshjulet", 1)
    if picture is not None:
        png, alt = picture
        shape = document.add_picture(io.BytesIO(png), width=Cm(17.0))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", _clean(alt)[:4000])
        doc_pr.set("title", f"Årshjul {data.year}")
        _paragraph(
            document,
            f"Figur 1. Årshjulet for {data.year}: én ring per kanal, med "
            "toppbelastninger, ferier og helligdager.",
            "Caption",
        )
    else:
        _paragraph(document, note)


def _audiences_part(document: Any, data: StrategyData) -> None:
    """The audiences (målgrupper) by priority, with the channels that reach them."""
    _heading(document, "Målgrupper", 1)
    _paragraph(
        document,
        "Målgruppene i prioritert rekkefølge, med virksomhetsområde og kanalene som når dem "
        "(fra rekkeviddematrisen).",
    )
    if data.audiences:
        _table(
            document,
            "Målgrupper",
            ["Målgruppe", "Virksomhetsområde", "Beskrivelse", "Prioritet", "Kanaler som når dem"],
            [
                [a.name, a.service_area, a.description, str(a.priority), a.channels]
                for a in data.audiences
            ],
            [3.2, 2.6, 6.0, 1.6, 3.6],
        )
    else:
        _paragraph(document, "Ingen målgrupper er registrert.")


def _channels_part(document: Any, data: StrategyData) -> None:
    """The channels (kanaler) with type, response time and profile text."""
    _heading(document, "Kanaler", 1)
    if data.channels:
        _table(
            document,
            "Kanaler",
            ["Kanal", "Type", "Svartid", "Profiltekst"],
            [[c.name, c.type_label, c.response, c.profile_text] for c in data.channels],
            [3.2, 3.0, 2.8, 8.0],
        )
    else:
        _paragraph(document, "Ingen kanaler er registrert.")


def _months_part(document: Any, data: StrategyData) -> None:
    """The plan month by month, one table per month."""
    _heading(document, "Planen måned for måned", 1)
    for month, lines in data.months:
        _heading(document, month.capitalize(), 2)
        if not lines:
            _paragraph(document, f"Ingen innlegg i {month}.")
            continue
        _table(
            document,
            f"Innlegg i {month} {data.year}",
            ["Dato", "Uke", "Tittel", "Kanaler", "Målgrupper", "Type", "Ansvarlig", "Status"],
            [
                [
                    line.when,
                    line.week,
                    line.title + (" (gjentas)" if line.recurring else ""),
                    line.channels,
                    line.audiences,
                    line.kind,
                    line.responsible,
                    line.status,
                ]
                for line in lines
            ],
            [2.2, 1.3, 3.4, 2.5, 2.5, 1.9, 1.8, 1.8],
            font_pt=8,
        )


def _peaks_part(document: Any, data: StrategyData) -> None:
    """Peak periods (toppbelastninger), staffing and its warnings."""
    _heading(document, "Toppbelastninger og bemanning", 1)
    _paragraph(
        document,
        "Perioder med kjent ekstra trafikk i kanalene, som trenger flere på vakt for å holde "
        "svartiden.",
    )
    if data.peaks:
        _table(
            document,
            "Toppbelastninger",
            ["Periode", "Uker", "Toppbelastning", "Årsak", "Bemanning", "På vakt"],
            [
                [p.period, p.weeks, p.name, p.reason, f"{p.required_staff} personer", p.on_duty]
                for p in data.peaks
            ],
            [2.6, 1.6, 3.0, 5.6, 1.8, 2.4],
        )
    else:
        _paragraph(document, "Ingen toppbelastninger er registrert for perioden.")
    if data.warnings is not None:
        _heading(document, "Advarsler om bemanning", 2)
        if data.warnings:
            for warning in data.warnings:
                text = f"{warning.weeks} ({warning.severity.lower()}): {warning.message}"
                if warning.fix:
                    text += f" Tiltak: {warning.fix}"
                _paragraph(document, text, "List Bullet")
        else:
            _paragraph(document, "Ingen advarsler: bemanningen dekker planen.")


def _routines_part(document: Any, data: StrategyData) -> None:
    """Routines: response times, the duty rota (rundgang) and absences."""
    _heading(document, "Rutiner", 1)
    _heading(document, "Svartid", 2)
    dialogue = [c for c in data.channels if not c.response.startswith("Ingen")]
    if dialogue:
        for channel in dialogue:
            _paragraph(document, f"{channel.name}: {channel.response.lower()}.", "List Bullet")
    else:
        _paragraph(document, "Ingen kanaler med dialog er registrert.")
    _heading(document, "Vaktordning (rundgang)", 2)
    _paragraph(
        document,
        "Én person er hovedansvarlig for å følge med på og svare i kanalene hver uke, med en "
        "backup. Ansvaret går på rundgang.",
    )
    if data.rota:
        _table(
            document,
            f"Vaktliste {data.year}",
            ["Uke", "Datoer", "Hovedansvarlig", "Backup", "Merknad"],
            [[r.week, r.dates, r.main, r.backup, r.note] for r in data.rota],
            [1.6, 4.2, 3.2, 3.2, 4.8],
        )
    else:
        _paragraph(document, "Ingen vakter er satt opp ennå.")
    if data.absences:
        _heading(document, "Fravær", 2)
        _table(
            document,
            "Fravær",
            ["Person", "Periode", "Årsak"],
            [list(a) for a in data.absences],
            [4.0, 8.0, 5.0],
        )


def wheel_picture(
    organisation: Organisation, year: int, plan_filter: PlanFilter | None
) -> tuple[tuple[bytes, str] | None, str]:
    """(PNG, alt text) of the wheel, or (None, a Norwegian note saying why there is none)."""
    try:
        svg = wheel_svg(organisation.id, year, plan_filter)
        alt = svg_alt_text(svg, f"Årshjul {year} for {organisation.name}.")
        return (svg_to_png(svg), alt), ""
    except RendererUnavailable as exc:
        return None, f"Bildet av årshjulet er ikke med: {exc}"


def export(organisation: Organisation, year: int, plan_filter: PlanFilter | None = None) -> bytes:
    """The strategy document for ``year``, filtered by ``plan_filter``."""
    data = gather(organisation, year, plan_filter)
    picture, note = wheel_picture(organisation, year, plan_filter)
    return build_document(data, picture, note)
