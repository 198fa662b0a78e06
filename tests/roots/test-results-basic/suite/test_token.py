"""The pytest module tests/test_results_build.py runs with pytester; its report feeds the build."""

import pytest


@pytest.mark.test_case("TC-1")
def test_fresh_token_is_valid():
    assert 10 < 30


@pytest.mark.parametrize("age", [29, 61])
def test_expired_token_is_refused(age):
    assert age < 30, "<b>token</b> accepted after & 60 min"


@pytest.mark.verifies("REQ-3")
def test_audit_entry_written():
    assert True


@pytest.mark.verifies("REQ-404")
def test_names_an_unknown_requirement():
    assert True


def test_unmarked():
    assert True


@pytest.mark.skip(reason="needs a mail server")
def test_reset_mail_skipped():
    pass
