"""Working days: the bank holidays come from the ``holidays`` package, cached on disk per release."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import holidays
import pytest

from edi_workbook import workdays


def _clear() -> None:
    workdays._calendar.cache_clear()
    workdays._known.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(workdays.CACHE_ENV, str(tmp_path))
    _clear()
    yield tmp_path
    _clear()


def _package(years: range) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).items())


def test_cached_days_are_the_packages_days(cache: Path):
    years = range(2019, 2031)
    first = workdays.bank_holidays(years)
    assert first == _package(years)
    assert len(list(cache.glob("bank-holidays-ENG-*.json"))) == 1
    _clear()  # a new process: the days now come from the file
    assert workdays.bank_holidays(years) == first


def test_cache_grows_with_new_years_and_keeps_old_ones(cache: Path):
    workdays.bank_holidays([2025])
    _clear()
    assert workdays.bank_holidays([2024, 2025, 2026]) == _package(range(2024, 2027))
    _clear()
    assert set(workdays._known()) == {2024, 2025, 2026}


def test_an_upgraded_holidays_package_replaces_the_old_cache_file(cache: Path):
    stale = cache / "bank-holidays-ENG-0ld0ld.json"  # left by an earlier release, untouched for 60 days
    recent = cache / "bank-holidays-ENG-0ther0.json"  # another installation's, in use this week
    other = cache / "bank-holidays-SCT-0ld0ld.json"  # another nation's file is not ours to remove
    for path, days in ((stale, 60), (recent, 3), (other, 60)):
        path.write_text('{"years": {}}', encoding="utf-8")
        when = time.time() - days * 86_400
        os.utime(path, (when, when))
    workdays.bank_holidays([2025])
    assert not stale.exists()
    assert recent.exists()
    assert other.exists()
    assert len(list(cache.glob("bank-holidays-ENG-*.json"))) == 2


def test_a_damaged_cache_is_rebuilt(cache: Path):
    workdays.bank_holidays([2025])
    (path,) = cache.glob("*.json")
    path.write_text('{"years": {"2025": ["not a mapping"', encoding="utf-8")
    _clear()
    assert workdays.bank_holidays([2025]) == _package(range(2025, 2026))
    _clear()
    assert workdays._known()[2025] == _package(range(2025, 2026))


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(workdays.CACHE_ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    _clear()
    try:
        assert workdays.is_working_day(dt.date(2025, 12, 25)) is False
        assert list(tmp_path.rglob("*.json")) == []
    finally:
        _clear()


def test_unwritable_cache_folder_still_gives_the_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(workdays.CACHE_ENV, str(blocker / "cache"))  # a folder inside a file
    _clear()
    try:
        assert workdays.bank_holidays([2026]) == _package(range(2026, 2027))
    finally:
        _clear()


def test_warm_cache_does_not_import_holidays(cache: Path):
    code = (
        "import sys, datetime as dt; from edi_workbook import workdays; "
        "n = workdays.working_days_between(dt.date(2025, 12, 22), dt.date(2026, 1, 5)); "
        "print(n, 'holidays' in sys.modules)"
    )
    env = {**os.environ, workdays.CACHE_ENV: str(cache)}
    run = [sys.executable, "-c", code]
    cold = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
    warm = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert (cold, warm) == (["7", "True"], ["7", "False"])  # 22-24, 29-31 Dec, 2 Jan
