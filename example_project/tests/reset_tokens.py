"""A tiny stand-in for the reset service's token code, so the example has real tests.

Tokens are random (REQ-SEC-001), stored only as a hash, expire 30 minutes after they
are issued and work once (REQ-SEC-002).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LIFETIME = timedelta(minutes=30)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class TokenStore:
    """Issued tokens by hash: account and issue time; a redeemed token is gone."""

    issued: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def issue(self, account: str, now: datetime) -> str:
        token = secrets.token_urlsafe(16)  # 128 bits
        self.issued[digest(token)] = (account, now)
        return token

    def redeem(self, token: str, now: datetime) -> str | None:
        """The account the token resets, or None if it is unknown, used or expired."""
        entry = self.issued.pop(digest(token), None)
        if entry is None:
            return None
        account, issued_at = entry
        # A known bug, kept on purpose for the example: the age is rounded to whole
        # minutes, so a token is refused in the last half minute of its life.
        if round((now - issued_at) / timedelta(minutes=1)) >= LIFETIME / timedelta(minutes=1):
            return None
        return account
