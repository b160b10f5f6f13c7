"""The board report: self-contained, escaped, accessible, deterministic, and the figures add up."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edi_workbook.batch import analyse_plan
from edi_workbook.report import render as report_mod
from edi_workbook.report.data import ReportData
from tests.batch.support import AS_OF, make_inbox, tricky_plan


class _Page(HTMLParser):
    """Collects what the checks need: tags, attributes, headings, captions, visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self.captions: list[str] = []
        self._open: list[str] = []
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "caption"):
            self._open.append(tag)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[-1]:
            self._open.pop()
            text = "".join(self._text).strip()
            (self.captions.append(text) if tag == "caption" else self.headings.append((tag, text)))

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportData]:
    folder = tmp_path_factory.mktemp("report")
    make_inbox(folder, files=5, actions=10)
    out = folder / "board.html"
    data = report_mod.report([folder / "plans", tricky_plan()], out, as_of=AS_OF, jobs=2)
    return out, data


def test_report_is_self_contained(many):
    out, _ = many
    html = out.read_text(encoding="utf-8")
    page = _parse(html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed"}
    sources = [a.get("src") or "" for t, a in page.tags if t == "img"]
    assert sources
    assert all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "@import" not in html
    for s in sources:  # the charts draw their text as paths: no font to fetch
        assert b"@font-face" not in base64.b64decode(s.split(",", 1)[1])


def test_text_from_plans_is_escaped(many):
    out, _ = many
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "St Mary&#39;s &lt;Hospital&gt; &amp; Co" in html


def test_report_is_accessible(many):
    out, _ = many
    page = _parse(out.read_text(encoding="utf-8"))
    html_tag = next(a for t, a in page.tags if t == "html")
    assert html_tag.get("lang") == "en-GB"
    assert [level for level, _ in page.headings].count("h1") == 1
    h2 = [text for level, text in page.headings if level == "h2"]
    assert h2 == [
        "Headline figures",
        "RAG status by High Impact Action",
        "Coverage of the High Impact Actions",
        "Overdue actions",
        "Upcoming deadlines",
        "National deadlines in the next 90 days",
        "Top validation problems",
        "Plans",
    ]
    tables = sum(1 for t, _ in page.tags if t == "table")
    assert tables == len(page.captions)
    assert all(page.captions)
    imgs = [a for t, a in page.tags if t == "img"]
    assert all(len(a.get("alt") or "") > 40 for a in imgs)
    badges = [a.get("class") for t, a in page.tags if t == "span" and "rag" in (a.get("class") or "")]
    assert badges  # each badge prints its RAG word, checked below


def test_rag_badges_print_the_word(many):
    out, _ = many
    html = out.read_text(encoding="utf-8")
    for m in re.finditer(r'<span class="rag rag-(\w+)">([^<]*)</span>', html):
        assert m.group(2).lower() == m.group(1)


def test_figures_add_up(many):
    out, data = many
    t = data.totals
    html = out.read_text(encoding="utf-8")
    assert t.files == 5 + 1 + 2 + 1  # generated, the csv in a sub-folder, two unreadable, the plan in memory
    assert t.unreadable == 2
    overdue = data.overdue
    assert len(overdue) == min(25, t.overdue)
    assert [a.days_to_due for a in overdue] == sorted(a.days_to_due for a in overdue)
    assert all(a.days_to_due < 0 for a in overdue)
    assert all(0 <= a.days_to_due <= 90 for a in data.upcoming)
    counts = [data.upcoming_counts[h] for h in (30, 60, 90)]
    assert counts == sorted(counts)
    assert f"<dd>{t.actions}</dd>" in html
    assert "corrupt.xlsx" in html


def test_national_deadlines_of_the_next_90_days_are_listed_with_their_status(many):
    """Issue 16: the reporting year's instances and the HIA milestones due within 90 days."""
    out, _ = many
    html = out.read_text(encoding="utf-8")
    from edi_workbook import reference
    from edi_workbook.deadlines import entries

    section = html[html.index('<section id="national"') : html.index('<section id="problems"')]
    due = entries(AS_OF, within_days=90)
    assert section.count("<tr><td") == len(due) > 0
    assert "WDES data submitted to NHS England" in section  # 31 May 2025, 61 days on
    assert "Due soon, today" in section  # 31 March 2025: 1b, 3b-disability, the snapshot
    assert "Passed" not in section  # no wall of passed milestones any more
    assert section.count('<span class="tag">unverified</span>') == sum(not e.verified for e in due) > 0
    passed = sum(d.date < AS_OF for d in reference.load().national_deadlines)
    assert (
        f"{passed} of the {len(reference.load().national_deadlines)} dated HIA milestones have passed"
        in section
    )


def test_render_is_deterministic():
    data = [ReportData(as_of=AS_OF), ReportData(as_of=AS_OF)]
    for d in data:
        d.add(analyse_plan(tricky_plan(), as_of=AS_OF))
    assert report_mod.render(data[0]) == report_mod.render(data[1])


def test_one_plan_report_is_titled_by_its_organisation(tmp_path):
    out = tmp_path / "one.html"
    data = report_mod.report(tricky_plan(), out, as_of=AS_OF)
    page = _parse(out.read_text(encoding="utf-8"))
    assert page.headings[0] == ("h1", "St Mary's <Hospital> & Co: EDI action plan report")
    assert data.totals.actions == 2
    assert [a.action_id for a in data.overdue] == ["T1"]


def test_many_plans_keep_bounded_lists():
    data = ReportData(as_of=AS_OF)
    r = analyse_plan(tricky_plan(), as_of=AS_OF)
    for i in range(300):
        data.add(dataclasses.replace(r, file=f"p{i}.xlsx", organisation=f"Org {i}"))
    assert len(data.overdue) == 25
    assert data.totals.overdue == 300
    html = report_mod.render(data)
    assert "100 more plans are in the batch workbook" in html
    assert "The first 40 of 300 plans are drawn" in html
