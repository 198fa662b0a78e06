"""Reproducible exports: the same sources give the same techspec.json and needs.json bytes.

Built from the example project (test results, a baseline, a lock, flows, design
items, MyST and RST pages): two fresh builds in different directories, a parallel
build and a rebuild give byte-identical files, and no time of the build (the clock,
whatever ``SOURCE_DATE_EPOCH`` says) is in them: the only times they carry are the
test durations the JUnit reports hold.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from hardening_projects import build

EXAMPLE = Path(__file__).parent.parent / "example_project"
EXPORTS = ("techspec.json", "needs.json")


def exports_of(srcdir: Path, parallel: int = 0, fresh: bool = True) -> dict[str, bytes]:
    built = build(srcdir, parallel=parallel, fresh=fresh)
    return {name: (built.outdir / name).read_bytes() for name in EXPORTS}


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict[str, bytes]:
    srcdir = tmp_path_factory.mktemp("serial") / "example"
    shutil.copytree(EXAMPLE, srcdir, ignore=shutil.ignore_patterns("_build"))
    return exports_of(srcdir)


def test_two_fresh_builds_in_other_directories_and_in_parallel_are_identical(
    tmp_path, serial, monkeypatch
):
    srcdir = tmp_path / "elsewhere" / "example"
    shutil.copytree(EXAMPLE, srcdir, ignore=shutil.ignore_patterns("_build"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert exports_of(srcdir, parallel=2) == serial
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    # A rebuild with nothing changed, and one after a page was touched, write the same bytes.
    assert exports_of(srcdir, fresh=False) == serial
    (srcdir / "overview.rst").touch()
    assert exports_of(srcdir, fresh=False) == serial


def test_the_exports_hold_no_time_of_the_build(serial):
    today = datetime.datetime.now(datetime.UTC)
    dates = {
        moment.strftime("%Y-%m-%d")
        for moment in (today, today.astimezone(), today - datetime.timedelta(days=1))
    }
    for name, data in serial.items():
        text = data.decode("utf-8")
        assert not any(date in text for date in dates), name
    # The times they carry are the test durations of the JUnit reports, as written there.
    items = json.loads(serial["techspec.json"])["items"]
    times = {r["time"] for item in items.values() for r in item.get("results", [])}
    assert times and all(isinstance(t, float) for t in times)
