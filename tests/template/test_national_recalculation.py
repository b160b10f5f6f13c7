"""Issue 16's sheets computed by LibreOffice itself: National deadlines, EDS 2022, the marriage gap.

Each workbook is built from the template with settings or cells typed in, and all of them are
recalculated in one LibreOffice run. The National deadlines sheet must list, for any as-of date,
exactly what :func:`edi_workbook.deadlines.national` lists for the next 12 months, in the same
order, including across a year boundary, a leap day and the four-yearly PSED objectives; whose
dates are themselves pinned from the sources in tests/test_reporting_cycle.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from edi_workbook import reference
from edi_workbook.deadlines import national, national_deadlines, next_instance, span_end
from edi_workbook.eds import assess
from edi_workbook.template import dashboard as dash
from edi_workbook.template import eds as eds_sheet
from edi_workbook.template import formula_values, formulas
from edi_workbook.template import workbook as template
from edi_workbook.template.action_plan import FIRST_ROW
from edi_workbook.template.dashboard import CHAR_ROW
from edi_workbook.template.national import layout

if TYPE_CHECKING:
    from openpyxl import Workbook

REF = reference.load()
LETTER = formulas.column_letters()
AS_OFS = {
    "nov": dt.date(2026, 11, 28),  # the date: EDS in February, pay gap in March next year
    "gpg-passed": dt.date(2027, 3, 31),  # the day after the pay gap date: it moves to 2028
    "gpg-today": dt.date(2026, 3, 30),  # due today: listed, 0 days, Due soon
    "leap": dt.date(2028, 2, 29),  # the span ends 1 March 2029: EDS on 28 February 2029 is in
    "objectives": dt.date(2025, 6, 1),  # the four-yearly PSED objectives fall in (30 March 2026)
    "year-end": dt.date(2026, 12, 31),  # across 1 January
}


def _set(wb, name: str, value: object) -> None:
    (sheet, ref), *_ = wb.defined_names[name].destinations
    wb[sheet][ref.replace("$", "")] = value


def _actions(wb, rows: list[dict]) -> None:
    ws = wb["Action Plan"]
    for i, r in enumerate(rows):
        for key, value in r.items():
            ws[f"{LETTER[key]}{FIRST_ROW + i}"] = value


SCORES = {  # outcome -> score; the variants change them
    "full-22": dict.fromkeys((o.id for o in REF.eds_outcomes), 2),
    "incomplete": {o.id: 3 for o in REF.eds_outcomes[:-1]},
    "band-31": {**dict.fromkeys((o.id for o in REF.eds_outcomes), 3), "1A": 2, "2B": 2},  # 31
    "low-7": {**dict.fromkeys((o.id for o in REF.eds_outcomes), 0), "1A": 3, "1B": 3, "3C": 1},  # 7
    "low-8": {**dict.fromkeys((o.id for o in REF.eds_outcomes), 0), "1A": 3, "1B": 3, "3C": 2},  # 8
}


def _eds_workbook(scores: dict[str, int], excelling_from: int | None) -> Workbook:
    wb = template.build_workbook()
    _set(wb, "AsOfDate", AS_OFS["nov"])
    _actions(wb, [{"action_id": "A1", "action": "One"}, {"action_id": "B 2", "action": "Two"}])
    ws = wb["EDS 2022"]
    for i, o in enumerate(REF.eds_outcomes):
        r = eds_sheet.FIRST_ROW + i
        ws[f"D{r}"] = scores.get(o.id)
        ws[f"G{r}"] = {"1A": "A1; B2, C3", "2A": "a1"}.get(o.id)
    if excelling_from is not None:
        ws[f"B{eds_sheet.rows()['bands'] + len(REF.eds_bands)}"] = excelling_from
    return wb


_LEAVE = {"action_id": "M1", "action": "Leave policy"}
MARRIAGE_ROWS = {
    "marriage-b-only": [_LEAVE | {"psed_aim": "(b) Advance equality of opportunity",
                                  "characteristics": "Marriage and civil partnership; Sex"}],
    "marriage-a": [_LEAVE | {"psed_aim": "(a) Eliminate discrimination",
                             "characteristics": "Marriage and civil partnership"}],
}  # fmt: skip


def _workbook(key: str) -> Workbook:
    """The template with the inputs of variant ``key`` typed in."""
    if key in SCORES:
        return _eds_workbook(SCORES[key], 31 if key == "band-31" else None)
    wb = template.build_workbook()
    if key in AS_OFS:
        _set(wb, "AsOfDate", AS_OFS[key])
    else:
        _actions(wb, MARRIAGE_ROWS[key])
    return wb


VARIANTS = [*AS_OFS, *SCORES, *MARRIAGE_ROWS]


@pytest.fixture(scope="module")
def sheets(libreoffice, tmp_path_factory) -> dict[str, dict[str, list[list[object]]]]:
    tmp = tmp_path_factory.mktemp("national")
    paths = []
    for key in VARIANTS:
        paths.append(tmp / f"{key}.xlsx")
        _workbook(key).save(paths[-1])
    got = libreoffice.recalculated_many(paths, tmp)
    return dict(zip(VARIANTS, got, strict=True))


def _date(v: object) -> dt.date | None:
    return v.date() if isinstance(v, dt.datetime) else None


@pytest.mark.parametrize("key", list(AS_OFS))
def test_next_12_months_equal_python_in_order(sheets, key):
    as_of = AS_OFS[key]
    grid = sheets[key]["National deadlines"]
    at = layout()
    assert _date(grid[2][1]) == as_of
    assert _date(grid[2][3]) == span_end(as_of) - dt.timedelta(days=1)  # "Up to"
    rows = grid[at["next_first"] - 1 : at["next_last"]]
    expected = national(as_of)
    assert len(expected) >= 9
    got = [(_date(r[0]), r[1], r[4], r[5], r[6], _date(r[3])) for r in rows[: len(expected)]]
    want = [
        (
            i.date,
            i.obligation.title,
            "Yes" if i.obligation.verified else "Unverified",
            (i.date - as_of).days,
            "Due soon" if (i.date - as_of).days <= 30 else "Upcoming",
            i.opens,
        )
        for i in expected
    ]
    assert got == want
    assert all(v in (None, "") for r in rows[len(expected) :] for v in r[:9])  # the rest stay blank


@pytest.mark.parametrize("key", list(AS_OFS))
def test_cycle_next_dates_and_hia_days(sheets, key):
    as_of = AS_OFS[key]
    grid = sheets[key]["National deadlines"]
    at = layout()
    for o, row in zip(REF.obligations, grid[at["cycle_first"] - 1 : at["cycle_last"]], strict=True):
        nxt = next_instance(o, as_of)
        assert (_date(row[0]) if nxt else row[0]) == (nxt.date if nxt else "No fixed date"), o.id
    hia = grid[at["hia_first"] - 1 : at["hia_first"] - 1 + len(REF.national_deadlines)]
    statuses = {s.deadline.id: s for s in national_deadlines(as_of)}
    for row in hia:
        s = statuses[row[1].split("(")[1].split(")")[0]]
        assert (row[5], row[6]) == (s.days_remaining, s.status), row[1]


def test_leap_day_and_four_yearly_cases_are_really_exercised():
    assert dt.date(2029, 2, 28) in [i.date for i in national(AS_OFS["leap"])]
    assert "psed-equality-objectives" in [i.obligation.id for i in national(AS_OFS["objectives"])]
    assert "psed-equality-objectives" not in [i.obligation.id for i in national(AS_OFS["nov"])]
    assert [i.date for i in national(AS_OFS["gpg-passed"]) if i.obligation.id == "gender-pay-gap"] == [
        dt.date(2028, 3, 30)
    ]


@pytest.mark.parametrize("key", list(SCORES))
def test_eds_totals_and_rating_equal_python(sheets, key):
    grid = sheets[key]["EDS 2022"]
    at = eds_sheet.rows()
    bands = [(b.band, 31 if key == "band-31" and b.band == "Excelling" else b.lowest) for b in REF.eds_bands]
    a = assess(SCORES[key], bands=bands)
    domains = grid[at["totals"] : at["totals"] + len(a.domains)]
    assert [r[3] for r in domains] == [d.total for d in a.domains]
    assert [r[4] for r in domains] == [d.maximum for d in a.domains]
    assert grid[at["overall"] - 1][3] == a.total
    rating = grid[at["rating"] - 1][3]
    if a.rating is None:
        assert rating == f"Not rated: {a.scored} of 11 outcomes scored"
    else:
        assert rating == a.rating
    assert grid[3][1] == rating  # the summary cell at the top
    assert _date(grid[2][1]) == dt.date(2027, 2, 28)  # Publish by: the next 28 February


def test_eds_ratings_cover_each_band_and_the_edited_limit(sheets):
    got = {k: sheets[k]["EDS 2022"][eds_sheet.rows()["rating"] - 1][3] for k in SCORES}
    assert got == {
        "full-22": "Achieving",
        "incomplete": "Not rated: 10 of 11 outcomes scored",
        "band-31": "Excelling",  # 31 is Excelling only because the sheet's limit was changed
        "low-7": "Undeveloped",
        "low-8": "Developing",
    }


def test_eds_found_in_plan_counts_linked_ids(sheets):
    grid = sheets["full-22"]["EDS 2022"]
    first = eds_sheet.FIRST_ROW - 1
    found = {grid[first + i][1]: grid[first + i][7] for i in range(len(REF.eds_outcomes))}
    assert found["1A"] == 2  # A1 and B2 ("B 2" in the plan); C3 is not in the plan
    assert found["2A"] == 1  # a1: IDs match whatever the case
    assert found["1B"] in (None, "")


def test_marriage_gap_asks_for_aim_a_only(sheets):
    """Issue 16: aims (b) and (c) do not cover marriage and civil partnership (s.149(7))."""
    row = CHAR_ROW + REF.protected_characteristics.index("Marriage and civil partnership")
    b_only = sheets["marriage-b-only"]["Dashboard"][row]
    with_a = sheets["marriage-a"]["Dashboard"][row]
    assert b_only[0] == "Marriage and civil partnership"
    assert b_only[1] == "No aim (a) action names it; aims (b) and (c) do not cover it"
    assert b_only[2] == 1  # it is named, just not under the aim that covers it
    assert with_a[1] in (None, "")
    assert (b_only[4], with_a[4]) == ("(a) only", "(a) only")
    sex = CHAR_ROW + REF.protected_characteristics.index("Sex")
    assert sheets["marriage-b-only"]["Dashboard"][sex][1] in (None, "")  # named under (b): no gap


def _as_libreoffice_reads(v: Any) -> Any:
    """A cached result as openpyxl reads LibreOffice's: dates as date-times, "" as no value."""
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    return None if v == "" else v


@pytest.mark.parametrize("key", VARIANTS)
def test_cached_results_equal_libreoffices_for_every_variant(sheets, key):
    """Issue 17's cached results for issue 16's sheets, on every variant above (as-of dates across a
    year end and a leap day, EDS scores in each band and an edited limit, the marriage gap under
    (a) or (b)): each equals LibreOffice's recalculation; with AsOfDate set, every formula of
    National deadlines and EDS 2022 has one."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    wb = _workbook(key)
    ours = formula_values(wb, dt.date.today() if key in MARRIAGE_ROWS else None)  # as LibreOffice's today
    if key in MARRIAGE_ROWS:
        row = CHAR_ROW + 1 + REF.protected_characteristics.index("Marriage and civil partnership")
        assert ours["Dashboard"][f"B{row}"] == ("" if key == "marriage-a" else dash.aim_only_gap("a"))
    for sheet in ("National deadlines", "EDS 2022", "Dashboard"):
        grid = sheets[key][sheet]
        differ = []
        for ref, v in ours[sheet].items():
            letter, row = coordinate_from_string(ref)
            theirs = grid[row - 1][column_index_from_string(letter) - 1]
            if _as_libreoffice_reads(v) != theirs:
                differ.append((ref, v, theirs))
        assert differ == [], sheet
        formulas_ = {c.coordinate for r in wb[sheet].iter_rows() for c in r if c.data_type == "f"}
        if key in AS_OFS or (sheet == "EDS 2022" and key in SCORES):
            assert set(ours[sheet]) == formulas_, sheet
