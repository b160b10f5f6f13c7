"""The parsed data files are kept in the user's cache folder (issue 18: start-up of ``validate``)."""

from __future__ import annotations

import os
import pickle
import time

import yaml

from edi_workbook import reference


def _fresh(name: str) -> object:
    from importlib import resources

    text = resources.files("edi_workbook").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


def test_a_data_file_is_parsed_once_then_read_from_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(reference.CACHE_ENV, str(tmp_path))
    first = reference.data_file("reference.yaml")
    (cached,) = tmp_path.glob("reference-*.pickle")
    assert first == _fresh("reference.yaml")
    marked = {**first, "version": "read from the cache"}
    cached.write_bytes(pickle.dumps(marked))
    assert reference.data_file("reference.yaml")["version"] == "read from the cache"


def test_a_damaged_cache_file_is_ignored_and_written_again(monkeypatch, tmp_path):
    monkeypatch.setenv(reference.CACHE_ENV, str(tmp_path))
    reference.data_file("vocabulary.yaml")
    (cached,) = tmp_path.glob("vocabulary-*.pickle")
    cached.write_bytes(b"\x80\x05not a pickle")
    assert reference.data_file("vocabulary.yaml") == _fresh("vocabulary.yaml")
    assert pickle.loads(cached.read_bytes()) == _fresh("vocabulary.yaml")


def test_an_earlier_versions_cache_file_is_removed(monkeypatch, tmp_path):
    monkeypatch.setenv(reference.CACHE_ENV, str(tmp_path))
    stale = tmp_path / "headers-000000000000000000000000.pickle"  # untouched for 31 days
    recent = tmp_path / "headers-111111111111111111111111.pickle"  # another installation's, in use
    for path, age in ((stale, reference.STALE_AFTER + 86_400), (recent, 3600)):
        path.write_bytes(pickle.dumps({"old": True}))
        os.utime(path, (time.time() - age, time.time() - age))
    assert reference.data_file("headers.yaml") == _fresh("headers.yaml")
    assert not stale.exists()
    assert recent.exists()
    assert len(list(tmp_path.glob("headers-*.pickle"))) == 2


def test_no_cache_is_kept_when_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(reference.CACHE_ENV, "off")
    monkeypatch.chdir(tmp_path)
    assert reference.cache_folder() is None
    assert reference.data_file("reference.yaml") == _fresh("reference.yaml")
    assert list(tmp_path.iterdir()) == []


def test_a_cache_folder_that_cannot_be_made_is_no_error(monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(reference.CACHE_ENV, str(blocker / "cache"))
    assert reference.data_file("reference.yaml") == _fresh("reference.yaml")
