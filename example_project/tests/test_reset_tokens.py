"""Tests of the reset tokens, marked with the spec items they verify (sphinx-techspec's plugin).

Regenerate the report the spec shows (from example_project/):

    python -m pytest tests --junitxml=reports/junit.xml

One test fails on purpose, so the spec shows a failure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from reset_tokens import LIFETIME, TokenStore, digest

NOW = datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture
def store() -> TokenStore:
    return TokenStore()


@pytest.mark.test_case("TC-003")
def test_expired_token_is_refused(store):
    token = store.issue("alice", NOW)
    assert store.redeem(token, NOW + timedelta(minutes=31)) is None


@pytest.mark.test_case("TC-003")
def test_reused_token_is_refused(store):
    token = store.issue("alice", NOW)
    assert store.redeem(token, NOW + timedelta(minutes=1)) == "alice"
    assert store.redeem(token, NOW + timedelta(minutes=2)) is None


@pytest.mark.test_case("TC-003")
def test_token_works_until_the_last_second(store):
    token = store.issue("alice", NOW)
    # Fails on purpose: the helper rounds the age up to 30 minutes and refuses it.
    assert store.redeem(token, NOW + LIFETIME - timedelta(seconds=1)) == "alice"


@pytest.mark.verifies("REQ-SEC-001")
def test_token_carries_128_bits(store):
    """No test-case item: the spec shows it as an automatic test item."""
    token = store.issue("alice", NOW)
    assert len(token.encode()) * 6 >= 128  # URL-safe base64: 6 bits a character


@pytest.mark.test_case("TC-004")
def test_tokens_do_not_collide(store):
    tokens = {store.issue("alice", NOW) for _ in range(10_000)}
    assert len(tokens) == 10_000


@pytest.mark.test_case("TC-004")
def test_store_holds_only_hashes(store):
    token = store.issue("alice", NOW)
    assert token not in store.issued
    assert digest(token) in store.issued


@pytest.mark.parametrize("minutes", [0, 10, 29])
def test_redeem_returns_the_account(store, minutes):
    """Matched to TC-002 by its :junit: option in testing.md (no marker)."""
    token = store.issue("bob", NOW)
    assert store.redeem(token, NOW + timedelta(minutes=minutes)) == "bob"
