"""Reading planners' spreadsheets: headings, cell values and rows (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from planner.domain.imports.spreadsheet_cells import (
    CellError,
    cell_text,
    escape_formula,
    looks_like_formula,
    parse_bool_value,
    parse_kind,
    parse_status,
    split_names,
    unescape_formula,
)
from planner.domain.imports.spreadsheet_columns import (
    EXPORT_COLUMNS,
    column_letter,
    find_header_row,
    guess_mapping,
    mapping_problems,
)
from planner.domain.imports.spreadsheet_dates import (
    parse_date_value,
    parse_month_value,
    parse_time_value,
    parse_week_value,
)
from planner.domain.imports.spreadsheet_rows import guess_year, interpret_rows


def test_column_letters_are_excels() -> None:
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_norwegian_headings_are_recognised() -> None:
    headings = [
        "Dato",
        "Uke",
        "Måned",
        "Tittel",
        "Kanal(er)",
        "Målgruppe(r)",
        "Status",
        "Type",
        "Ansvarlig",
        "Lenke",
        "Kommentar:",
        "Noe annet",
    ]
    assert guess_mapping(headings) == [
        "start_date",
        "week",
        "month",
        "title",
        "channels",
        "audiences",
        "status",
        "kind",
        "responsible",
        "link",
        "notes",
        "",
    ]


def test_month_and_week_columns_are_recognised() -> None:
    assert guess_mapping(["Aktivitet", "Jan", "Februar", "mars 2026", "Des.", "uke 9", "U10"]) == [
        "title",
        "month:1",
        "month:2",
        "month:3",
        "month:12",
        "week:9",
        "week:10",
    ]


def test_a_field_is_guessed_for_one_column_only() -> None:
    assert guess_mapping(["Tittel", "Dato", "Tittel"]) == ["title", "start_date", ""]


def test_export_headings_guess_their_own_fields() -> None:
    headings = [heading for heading, _ in EXPORT_COLUMNS]
    assert guess_mapping(headings) == [name for _, name in EXPORT_COLUMNS]


def test_heading_row_below_a_title_is_found() -> None:
    rows: list[list[Any]] = [
        ["Årshjul 2026 – Testvik kommune"],
        [],
        ["Dato", "Hva", "Kanal"],
        ["01.03.2026", "Søknadsfrist", "Facebook"],
    ]
    assert find_header_row(rows) == 2
    assert find_header_row([["x", "y"], ["1", "2"]]) == 0


def test_mapping_problems_are_norwegian() -> None:
    assert mapping_problems(["title", "start_date"]) == []
    assert mapping_problems(["title", "month:3"]) == []
    problems = mapping_problems(["channels", ""])
    assert "Velg hvilken kolonne som inneholder tittelen." in problems
    assert any("tidspunkt" in p for p in problems)
    assert any("kolonne A og C" in p for p in mapping_problems(["title", "start_date", "title"]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01.03.2026", (date(2026, 3, 1), None)),
        ("1.3.2026", (date(2026, 3, 1), None)),
        ("1.3.26", (date(2026, 3, 1), None)),
        ("1.3.", (date(2026, 3, 1), None)),
        ("2026-03-01", (date(2026, 3, 1), None)),
        ("1. mars", (date(2026, 3, 1), None)),
        ("15. okt 2026", (date(2026, 10, 15), None)),
        ("man. 2.3.2026", (date(2026, 3, 2), None)),
        ("01.03.2026 kl. 09.30", (date(2026, 3, 1), time(9, 30))),
        (datetime(2026, 3, 1, 14, 0), (date(2026, 3, 1), time(14, 0))),
        (date(2026, 3, 1), (date(2026, 3, 1), None)),
        (46082, (date(2026, 3, 1), None)),
    ],
)
def test_dates_planners_write(value: Any, expected: tuple[date, time | None]) -> None:
    assert parse_date_value(value, 2026) == expected


def test_impossible_and_unreadable_dates() -> None:
    with pytest.raises(CellError) as bad:
        parse_date_value("31.02.2026", 2026)
    assert str(bad.value) == "«31.02.2026» er ikke en gyldig dato."
    with pytest.raises(CellError, match="Skriv datoen som dd.mm.åååå"):
        parse_date_value("snart", 2026)
    with pytest.raises(CellError):
        parse_date_value(12, 2026)


def test_times_and_time_ranges() -> None:
    assert parse_time_value("09:00") == (time(9), None)
    assert parse_time_value("kl. 9.30") == (time(9, 30), None)
    assert parse_time_value("09:00–10:30") == (time(9), time(10, 30))
    assert parse_time_value("18 til 22") == (time(18), time(22))
    assert parse_time_value(0.375) == (time(9), None)
    assert parse_time_value(time(8, 15, 30)) == (time(8, 15), None)
    with pytest.raises(CellError, match="gyldig klokkeslett"):
        parse_time_value("25:00")


def test_weeks() -> None:
    assert parse_week_value("9", 2026) == (9, 9)
    assert parse_week_value(9.0, 2026) == (9, 9)
    assert parse_week_value("uke 9", 2026) == (9, 9)
    assert parse_week_value("U9", 2026) == (9, 9)
    assert parse_week_value("2026-W09", 2026) == (9, 9)
    assert parse_week_value("uke 8–9", 2026) == (8, 9)
    assert parse_week_value("53", 2026) == (53, 53)
    with pytest.raises(CellError, match="uke 53 finnes ikke i 2027"):
        parse_week_value("53", 2027)
    with pytest.raises(CellError, match="gyldig ukenummer"):
        parse_week_value("neste uke", 2026)


def test_months_booleans_statuses_and_kinds() -> None:
    assert parse_month_value("Mars") == 3
    assert parse_month_value("okt.") == 10
    assert parse_month_value(12) == 12
    with pytest.raises(CellError, match="ikke en måned"):
        parse_month_value("13")
    assert parse_bool_value("Ja") is True and parse_bool_value("x") is True
    assert parse_bool_value("nei") is False and parse_bool_value("") is False
    assert parse_status("Godkjent") == "godkjent" and parse_status("ferdig") == "publisert"
    assert parse_kind("Fortløpende") == "fortløpende" and parse_kind("løpende") == "fortløpende"
    with pytest.raises(CellError, match="Ukjent status «kanskje»"):
        parse_status("kanskje")


def test_free_text_channel_lists() -> None:
    assert split_names("Facebook, nettside og plakat") == ["Facebook", "nettside", "plakat"]
    assert split_names("Facebook; Instagram / LinkedIn\nYouTube") == [
        "Facebook",
        "Instagram",
        "LinkedIn",
        "YouTube",
    ]
    assert split_names("Facebook, facebook") == ["Facebook"]
    # Known names with «og» or «/» stay whole.
    known = ["Brev og SMS-varsel", "Bolig- og hytteeiere", "Facebook"]
    assert split_names("Facebook og Brev og SMS-varsel", known) == [
        "Facebook",
        "Brev og SMS-varsel",
    ]
    assert split_names("bolig- og hytteeiere, Alle", known) == ["Bolig- og hytteeiere", "Alle"]


def test_formula_escaping_round_trips() -> None:
    for text in ("=1+1", "+47 999", "-5", "@SUM(A1)", "Vanlig tekst"):
        assert unescape_formula(escape_formula(text)) == text
    assert escape_formula("=HYPERLINK()") == "'=HYPERLINK()"
    assert looks_like_formula("=A1") and not looks_like_formula("Tekst")
    assert not looks_like_formula("+47")  # a phone number, not a formula


def _messages(results: list[Any]) -> list[str]:
    return [p.text() for r in results for p in r.problems]


def test_problems_are_reported_per_row_and_cell() -> None:
    rows: list[list[Any]] = [
        ["Årshjul 2026"],
        [],
        ["Tittel", "Uke", "Dato", "Kanal"],
        ["Søknadsfrist", "9", "01.03.2026", "Facebook"],
        ["", "", "", ""],
        ["Eiendomsskatt", "", "", "Nettside"],
        ["Feil dato", "", "31.02.2026", ""],
    ]
    results = interpret_rows(rows, 2, guess_mapping(rows[2]), 2026)
    assert [r.row for r in results] == [4, 6, 7]
    assert results[0].ok and results[0].drafts[0].start == datetime(2026, 3, 1)
    assert results[0].drafts[0].values["channels"] == ["Facebook"]
    assert _messages(results) == [
        "Rad 6, kolonne C (Dato): Raden mangler tidspunkt: fyll ut dato, uke eller måned.",
        "Rad 7, kolonne C (Dato): «31.02.2026» er ikke en gyldig dato.",
    ]


def test_week_and_month_only_rows_span_their_period() -> None:
    rows: list[list[Any]] = [
        ["Tittel", "Uke", "Måned"],
        ["Vinterferie", "uke 9", ""],
        ["Budsjett", "", "november"],
        ["Valg", "uke 36–37", ""],
    ]
    drafts = [r.drafts[0] for r in interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)]
    assert [(d.start.date(), d.end.date(), d.all_day) for d in drafts] == [
        (date(2026, 2, 23), date(2026, 3, 1), True),
        (date(2026, 11, 1), date(2026, 11, 30), True),
        (date(2026, 8, 31), date(2026, 9, 13), True),
    ]


def test_month_grid_gives_a_post_per_mark() -> None:
    rows: list[list[Any]] = [
        ["Tiltak", "Januar", "Februar", "Mars", "uke 40"],
        ["Budsjettmøte", "x", "", "15", ""],
        ["Høstferie", "", "", "", "X"],
        ["Ingen kryss", "", "", "", ""],
    ]
    results = interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)
    spans = [(d.title, d.start.date(), d.end.date()) for r in results for d in r.drafts]
    assert spans == [
        ("Budsjettmøte", date(2026, 1, 1), date(2026, 1, 31)),
        ("Budsjettmøte", date(2026, 3, 15), date(2026, 3, 15)),
        ("Høstferie", date(2026, 9, 28), date(2026, 10, 4)),
    ]
    assert _messages(results) == ["Rad 4: Raden mangler tidspunkt: fyll ut dato, uke eller måned."]


def test_grid_cells_without_a_title_column_give_the_titles() -> None:
    rows: list[list[Any]] = [["Januar", "Februar"], ["Nyttårstale", "Samefolkets dag\nVinterferie"]]
    results = interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)
    assert [d.title for d in results[0].drafts] == [
        "Nyttårstale",
        "Samefolkets dag",
        "Vinterferie",
    ]


def test_month_section_rows_set_the_month_for_day_rows() -> None:
    rows: list[list[Any]] = [
        ["Dag", "Tittel"],
        ["", "MARS"],
        ["1", "Søknadsfrist"],
        ["8", "Kvinnedag"],
    ]
    results = interpret_rows(rows, 0, ["day", "title"], 2026)
    assert [(r.row, r.drafts[0].start.date()) for r in results] == [
        (3, date(2026, 3, 1)),
        (4, date(2026, 3, 8)),
    ]


def test_times_make_timed_posts() -> None:
    rows: list[list[Any]] = [
        ["Dato", "Kl.", "Tittel"],
        ["12.02.2026", "18:00–22:00", "Kommunestyremøte"],
        ["13.02.2026", "09:00", "Frokostmøte"],
    ]
    drafts = [r.drafts[0] for r in interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)]
    assert (drafts[0].start, drafts[0].end, drafts[0].all_day) == (
        datetime(2026, 2, 12, 18),
        datetime(2026, 2, 12, 22),
        False,
    )
    assert drafts[1].end == datetime(2026, 2, 13, 10)


def test_week_that_disagrees_with_the_date_is_a_warning() -> None:
    rows: list[list[Any]] = [["Dato", "Uke", "Tittel"], ["01.03.2026", "10", "Frist"]]
    (result,) = interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)
    assert result.ok and result.drafts
    assert result.problems[0].warning
    assert "stemmer ikke med datoen 01.03.2026 (uke 9)" in result.problems[0].text()


def test_values_are_checked_by_the_post_rules() -> None:
    rows: list[list[Any]] = [
        ["Tittel", "Dato", "Sluttdato", "Status", "Lenke", "Type"],
        ["x" * 201, "01.03.2026", "", "", "", ""],
        ["Baklengs", "05.03.2026", "01.03.2026", "", "", ""],
        ["Lenke", "05.03.2026", "", "", "www.kommune.no", ""],
        ["Status", "05.03.2026", "", "kanskje", "", "sjelden"],
        ["Neste år", "05.01.2027", "", "", "", ""],
    ]
    messages = _messages(interpret_rows(rows, 0, guess_mapping(rows[0]), 2026))
    assert messages == [
        "Rad 2, kolonne A (Tittel): Tittelen kan ha høyst 200 tegn (den har 201).",
        "Rad 3, kolonne C (Sluttdato): Slutt kan ikke være før start.",
        "Rad 4, kolonne E (Lenke): Lenken må begynne med https:// eller http://.",
        "Rad 5, kolonne D (Status): Ukjent status «kanskje». Gyldige: idé, planlagt, godkjent, publisert, avlyst.",
        "Rad 5, kolonne F (Type): Ukjent type «sjelden». Gyldige: proaktiv, fortløpende, reaktiv.",
        "Rad 6, kolonne B (Dato): Datoen 05.01.2027 ligger utenfor 2026. Velg riktig år for importen, eller rett datoen.",
    ]


def test_formula_cells_are_refused() -> None:
    rows: list[list[Any]] = [["Tittel", "Dato"], ["Frist", "=DATO(2026;3;1)"]]
    (result,) = interpret_rows(rows, 0, ["title", "start_date"], 2026, formulas={(1, 1)})
    assert not result.ok and not result.drafts
    assert (
        result.problems[0]
        .text()
        .startswith("Rad 2, kolonne B (Dato): Cellen inneholder en formel («=DATO(2026;3;1)»).")
    )


def test_the_same_post_twice_is_an_error() -> None:
    rows: list[list[Any]] = [
        ["UID", "Tittel", "Dato"],
        ["a@x", "Frist", "01.03.2026"],
        ["a@x", "Frist igjen", "02.03.2026"],
        ["", "Møte", "03.03.2026"],
        ["", "møte", "03.03.2026"],
    ]
    results = interpret_rows(rows, 0, guess_mapping(rows[0]), 2026)
    assert [r.ok for r in results] == [True, False, True, False]
    assert "UID-en «a@x» finnes også i rad 2" in _messages(results)[0]
    assert "finnes også i rad 4 (samme tittel og dato)" in _messages(results)[1]


def test_guess_year_and_cell_text() -> None:
    assert guess_year([["01.03.2027", datetime(2027, 5, 1)], ["01.01.2026"]], 2020) == 2027
    assert guess_year([["ingen datoer"]], 2020) == 2020
    assert cell_text(9.0) == "9" and cell_text(True) == "ja" and cell_text(None) == ""
    assert cell_text(date(2026, 3, 1)) == "01.03.2026"
