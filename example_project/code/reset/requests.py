"""Reset requests and confirmations: what the account API does for the two endpoints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from reset.tokens import TokenStore

#: The one answer to every reset request, whether or not the address has an account.
ACCEPTED = "If an account uses this address, we sent it a reset link."


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    sessions: frozenset[str] = frozenset()


# @implements REQ-FUN-001, REQ-SEC-003
def request_reset(
    email: str,
    accounts: dict[str, Account],
    tokens: TokenStore,
    send: Callable[[str, str], None],
    now: datetime,
) -> str:
    """Mail a reset link when the address has an account; answer the same either way."""
    account = accounts.get(email.strip().lower())
    if account is not None:
        send(account.email, f"https://accounts.acme.example/reset/{tokens.issue(email, now)}")
    return ACCEPTED


# @implements REQ-FUN-002
def confirm_reset(
    token: str, password: str, accounts: dict[str, Account], tokens: TokenStore, now: datetime
) -> bool:
    """Set the new password from a valid link and end every other session."""
    email = tokens.redeem(token, now)  # @implements REQ-SEC-002 (single use, expiry)
    if email is None or email not in accounts:
        return False
    accounts[email] = Account(email, password, frozenset())
    return True
