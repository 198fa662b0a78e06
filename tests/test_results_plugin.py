"""The pytest plugin: registered markers, JUnit properties, usage errors, a light import."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

pytest_plugins = ("pytester",)


def properties(report_path) -> dict[str, list[tuple[str, str]]]:
    """testcase name → its (property name, value) pairs, as pytest's --junitxml wrote them."""
    root = ET.parse(report_path).getroot()
    return {
        case.get("name"): [(p.get("name"), p.get("value")) for p in case.iter("property")]
        for case in root.iter("testcase")
    }


def test_plugin_is_installed_through_its_entry_point(pytester):
    config = pytester.parseconfig()
    assert config.pluginmanager.has_plugin("sphinx_techspec")
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.verifies(*ids):*", "@pytest.mark.test_case(*ids):*"])


def test_markers_become_junit_properties(pytester):
    pytester.makepyfile(
        test_reset="""
        import pytest

        @pytest.mark.verifies("REQ-1", "REQ-2")
        @pytest.mark.test_case("TC-1")
        def test_both():
            pass

        @pytest.mark.verifies("REQ-3")
        class TestClass:
            @pytest.mark.verifies("REQ-4", "REQ-3")
            def test_in_class(self):
                assert False

        def test_plain():
            pass
        """
    )
    result = pytester.runpytest(
        "--junitxml=report.xml", "--strict-markers", "-W", "error::pytest.PytestWarning"
    )
    result.assert_outcomes(passed=2, failed=1)
    found = properties(pytester.path / "report.xml")
    assert found["test_both"] == [
        ("verifies", "REQ-1"),
        ("verifies", "REQ-2"),
        ("test_case", "TC-1"),
    ]
    # Closest marker first, duplicates once.
    assert found["test_in_class"] == [("verifies", "REQ-4"), ("verifies", "REQ-3")]
    assert found["test_plain"] == []


def test_properties_survive_the_xunit1_family_too(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.verifies("REQ-1")
        def test_one():
            pass
        """
    )
    pytester.runpytest("--junitxml=report.xml", "-o", "junit_family=xunit1")
    assert properties(pytester.path / "report.xml")["test_one"] == [("verifies", "REQ-1")]


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("verifies()", "names no ID"),
        ("verifies(1)", "needs string IDs, not int 1"),
        ("test_case(None)", "needs string IDs, not NoneType None"),
        ("verifies('REQ-1', '  ')", "has a blank ID"),
        ("verifies('REQ-1, REQ-2')", "has an ID with a comma or a space"),
        ("test_case(id='TC-1')", "takes no keyword arguments (got id)"),
    ],
)
def test_a_malformed_marker_is_a_usage_error_at_the_test(pytester, marker, problem):
    pytester.makepyfile(
        test_bad=f"""
        import pytest


        @pytest.mark.{marker}
        def test_it():
            pass
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    # The line of the decorated function's first decorator: the marker itself.
    result.stderr.fnmatch_lines([f"*test_bad.py:4: test_bad.py::test_it: @pytest.mark.*{problem}*"])


def test_the_plugin_does_not_import_sphinx():
    """It loads in every pytest session of every user: nothing but pytest."""
    code = (
        "import sys, sphinx_techspec_pytest; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', "
        "'sphinx_techspec', 'junitparser'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
