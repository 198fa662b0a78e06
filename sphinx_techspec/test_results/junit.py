"""Reading JUnit XML reports safely: pytest, JUnit 5 / Surefire, GoogleTest.

``junitparser`` reads each ``<testcase>``, from a tree parsed by the one reader of
foreign XML (:mod:`sphinx_techspec.foreign_xml`): a DTD is refused before anything
is declared, so an XML bomb (billion laughs) or an external entity never expands.
Every element knows its line, so a problem found later (an unknown ID) is located
in the XML file. Nothing here raises: a file that cannot be read gives
problems, each (message, line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml.etree import _Element as Element

from ..foreign_xml import ForeignXMLError, parse_xml

#: Outcomes from worst to best; the worst of several results wins.
OUTCOMES = ("failed", "error", "skipped", "passed")
#: Property names (and GoogleTest attribute names) that carry spec IDs.
VERIFIES_NAMES = ("verifies",)
TEST_CASE_NAMES = ("test_case", "test-case", "testcase")

#: A failure message as shown in a card: one line, this long at most.
MESSAGE_LIMIT = 200
#: The full failure text kept per result (a stack trace is rarely longer).
DETAILS_LIMIT = 10_000
#: A report larger than this is not read (a JUnit file of 200,000 tests is ~50 MB).
FILE_LIMIT = 64 * 1024 * 1024

_SPLIT = re.compile(r"[\s,]+")
_PARAMETERS = re.compile(r"\[.*\]$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class TestResult:
    """One ``<testcase>`` of one report: what ran, how it ended, which spec IDs it names."""

    __test__ = False  # not a pytest test class

    file: str  # the report, relative to conf.py (as shown)
    line: int  # of the <testcase> in the report
    suite: str
    classname: str
    name: str
    outcome: str  # one of OUTCOMES
    time: float | None = None
    message: str = ""  # one line, shortened
    details: str = ""  # the full text (stack trace), capped at DETAILS_LIMIT
    verifies: tuple[str, ...] = ()
    test_cases: tuple[str, ...] = ()
    source: str = ""  # the testcase's own file attribute (GoogleTest, xunit1)
    report: str = ""  # the report's absolute path (where warnings point)

    @property
    def junit_name(self) -> str:
        """``classname::name`` (what a ``:junit:`` pattern and an automatic item go by)."""
        return f"{self.classname}::{self.name}" if self.classname else self.name

    @property
    def base_name(self) -> str:
        """The name without pytest's parameters: ``test_expiry[0]`` → ``test_expiry``."""
        return _PARAMETERS.sub("", self.name) or self.name

    def names(self) -> list[str]:
        """Every name a ``:junit:`` pattern may use for this result.

        ``classname::name`` and ``classname.name``; for pytest's dotted classname
        the node ID (``tests/test_reset.py::TestX::test_y``, each split of the dots
        into path and classes); the ``file`` attribute with the name; each also
        without parameters.
        """
        found: dict[str, None] = {}
        for name in dict.fromkeys((self.name, self.base_name)):
            found[f"{self.classname}::{name}" if self.classname else name] = None
            if self.classname:
                found[f"{self.classname}.{name}"] = None
                parts = self.classname.split(".")
                for cut in range(1, len(parts) + 1):
                    path = "/".join(parts[:cut]) + ".py"
                    found["::".join([path, *parts[cut:], name])] = None
            if self.source:
                found[f"{self.source}::{name}"] = None
        return list(found)

    @property
    def location(self) -> str:
        """``/abs/reports/junit.xml:12``: where a warning about this result points."""
        return f"{self.report or self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Run:
    """One report file as read: its results, its suites and what went wrong reading it."""

    path: str  # absolute
    file: str  # relative to conf.py, as shown
    stamp: tuple[int, int]  # (mtime_ns, size): read again only when it changes
    results: tuple[TestResult, ...] = ()
    suites: tuple[str, ...] = ()
    timestamp: str = ""
    time: float | None = None
    #: (message, line) for each problem; a file with a problem may still hold results.
    problems: tuple[tuple[str, int], ...] = field(default=())

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)


def worst(outcomes: list[str]) -> str:
    """failed > error > skipped > passed."""
    return min(outcomes, key=OUTCOMES.index) if outcomes else ""


def read_run(path: Path, file: str) -> Run:
    """Everything one report says; problems instead of exceptions."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stat.st_size > FILE_LIMIT:
            return Run(str(path), file, stamp, problems=((_too_big(stat.st_size), 1),))
        data = path.read_bytes()
    except OSError as exc:
        return Run(str(path), file, (0, 0), problems=((f"cannot be read: {_os_error(exc)}", 1),))
    try:
        return _read(path, file, stamp, data)
    except Exception as exc:  # whatever the file holds, the build goes on
        return Run(str(path), file, stamp, problems=(_describe(exc),))


def _too_big(size: int) -> str:
    return f"is {size // (1024 * 1024)} MB, larger than {FILE_LIMIT // (1024 * 1024)} MB; not read"


def _os_error(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _describe(exc: Exception) -> tuple[str, int]:
    """A problem from a parse error: what was refused or malformed, and where."""
    if isinstance(exc, ForeignXMLError):
        return f"{exc.message}; not read", exc.line
    return f"cannot be read ({type(exc).__name__}: {_short(str(exc), 120)})", 1


def _read(path: Path, file: str, stamp: tuple[int, int], data: bytes) -> Run:
    """The suites are walked here (junitparser's root handling differs between releases);
    each ``<testcase>`` is read by junitparser (:func:`_result`)."""
    root = parse_xml(data)
    if root.tag not in ("testsuites", "testsuite"):
        return Run(
            str(path),
            file,
            stamp,
            problems=(
                (
                    f"is not a JUnit XML report (root element <{_short(root.tag, 40)}>, "
                    "expected <testsuites> or <testsuite>); not read",
                    1,
                ),
            ),
        )
    top = [root] if root.tag == "testsuite" else [e for e in root if e.tag == "testsuite"]
    results: list[TestResult] = []
    problems: list[tuple[str, int]] = []
    suites: dict[str, None] = {}
    times: list[float] = []

    def walk(suite: Element, depth: int = 0) -> None:
        if depth > 50:
            problems.append(("nests <testsuite> more than 50 deep; the rest is not read", 1))
            return
        name = suite.get("name") or ""
        suites[name] = None
        suite_time = _number(suite.get("time"))
        if depth == 0 and suite_time is not None:
            times.append(suite_time)
        for element in suite:
            if element.tag == "testcase":
                line = element.sourceline or 1
                try:
                    results.append(_result(element, file, str(path), line, name))
                except Exception as exc:  # one odd testcase does not lose the others
                    problems.append((f"a <testcase> cannot be read ({type(exc).__name__})", line))
            elif element.tag == "testsuite":
                walk(element, depth + 1)

    for suite in top:
        walk(suite)
    timestamp = root.get("timestamp") or next(
        (s.get("timestamp") for s in top if s.get("timestamp")), ""
    )
    total_time = _number(root.get("time")) if root.tag == "testsuites" else None
    if total_time is None and times:
        total_time = round(sum(times), 3)
    if not results and not problems:
        problems.append(("holds no <testcase>", 1))
    return Run(
        str(path),
        file,
        stamp,
        tuple(results),
        tuple(suites),
        timestamp or "",
        total_time,
        tuple(problems),
    )


def _result(element: Element, file: str, report: str, line: int, suite: str) -> TestResult:
    from junitparser import TestCase

    case = TestCase.fromelem(element)
    outcome, message, details = _outcome(element)
    verifies: list[str] = []
    test_cases: list[str] = []
    for name, value in _properties(element):
        if name in VERIFIES_NAMES:
            verifies.extend(_ids(value))
        elif name in TEST_CASE_NAMES:
            test_cases.extend(_ids(value))
    return TestResult(
        file=file,
        line=line,
        suite=suite,
        classname=case.classname or "",
        name=case.name or "(unnamed)",
        outcome=outcome,
        time=_number(element.get("time")),
        message=message,
        details=details,
        verifies=tuple(dict.fromkeys(verifies)),
        test_cases=tuple(dict.fromkeys(test_cases)),
        source=element.get("file") or "",
        report=report,
    )


def _properties(element: Element) -> list[tuple[str, str]]:
    """``<properties><property name= value=/>`` of the testcase, then GoogleTest's attributes."""
    found = [
        (prop.get("name") or "", prop.get("value") or prop.text or "")
        for properties in element.findall("properties")
        for prop in properties.findall("property")
    ]
    for name in (*VERIFIES_NAMES, *TEST_CASE_NAMES):
        if element.get(name):
            found.append((name, element.get(name) or ""))
    return found


def _ids(value: str) -> list[str]:
    return [part for part in _SPLIT.split(value) if part]


def _outcome(element: Element) -> tuple[str, str, str]:
    """(outcome, message, full text) from junitparser's results and GoogleTest's attributes."""
    from junitparser import Error, Failure, Skipped, TestCase

    entries = TestCase.fromelem(element).result
    for kind, outcome in ((Failure, "failed"), (Error, "error"), (Skipped, "skipped")):
        found = [e for e in entries if isinstance(e, kind)]
        if found:  # GoogleTest writes one <failure> per failed assertion: keep them all
            message, details = _texts(found[0].message or "", found[0].text or "")
            for entry in found[1:]:
                details = _capped(f"{details}\n\n{(entry.text or entry.message or '').strip()}")
            return outcome, message, details
    # GoogleTest: a disabled or skipped test is status="notrun" or result="skipped".
    if element.get("status") == "notrun" or element.get("result") in ("skipped", "suppressed"):
        return "skipped", "", ""
    flaky = [c for c in element if c.tag in ("flakyFailure", "flakyError")]
    if flaky:
        return "passed", f"passed after {len(flaky)} failed attempt(s) (flaky)", ""
    return "passed", "", ""


def _texts(message: str, text: str) -> tuple[str, str]:
    text = text.strip("\n")
    summary = message or next((line for line in text.splitlines() if line.strip()), "")
    return _short(" ".join(summary.split()), MESSAGE_LIMIT), _capped(text or message)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _capped(text: str) -> str:
    if len(text) <= DETAILS_LIMIT:
        return text
    return text[:DETAILS_LIMIT] + f"\n… ({len(text) - DETAILS_LIMIT} more characters)"


def _number(value: str | None) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None
