"""Tests of the reset service; each says in a comment which requirement it verifies."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from reset.requests import ACCEPTED, Account, confirm_reset, request_reset
from reset.tokens import TokenStore, token_hash

NOW = datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture
def accounts() -> dict[str, Account]:
    return {"alice@example.com": Account("alice@example.com", "old", frozenset({"laptop"}))}


# @verifies REQ-FUN-001
def test_known_address_gets_a_link(accounts):
    sent: list[tuple[str, str]] = []
    request_reset("alice@example.com", accounts, TokenStore(), lambda *m: sent.append(m), NOW)
    assert [to for to, _link in sent] == ["alice@example.com"]


# @verifies REQ-SEC-003
def test_unknown_address_gets_the_same_answer(accounts):
    sent: list[tuple[str, str]] = []
    tokens = TokenStore()
    known = request_reset("alice@example.com", accounts, tokens, lambda *m: sent.append(m), NOW)
    unknown = request_reset("bob@example.com", accounts, tokens, lambda *m: sent.append(m), NOW)
    assert known == unknown == ACCEPTED
    assert len(sent) == 1


# @verifies REQ-FUN-002, REQ-SEC-002
def test_link_sets_the_password_once(accounts):
    tokens = TokenStore()
    token = tokens.issue("alice@example.com", NOW)
    assert confirm_reset(token, "new", accounts, tokens, NOW + timedelta(minutes=5))
    assert accounts["alice@example.com"].password == "new"
    assert accounts["alice@example.com"].sessions == frozenset()
    assert not confirm_reset(token, "again", accounts, tokens, NOW + timedelta(minutes=6))


# @verifies REQ-SEC-002
def test_link_expires_after_30_minutes(accounts):
    tokens = TokenStore()
    token = tokens.issue("alice@example.com", NOW)
    assert not confirm_reset(token, "new", accounts, tokens, NOW + timedelta(minutes=30))


class TestTokens:
    # @verifies REQ-SEC-001
    def test_store_keeps_only_hashes(self):
        tokens = TokenStore()
        token = tokens.issue("alice@example.com", NOW)
        assert list(tokens.issued) == [token_hash(token)]
        assert len(token) >= 22  # 16 random bytes, URL-safe base64
