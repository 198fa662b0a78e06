"""Reset tokens: random, stored only as a hash, valid for 30 minutes, usable once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LIFETIME = timedelta(minutes=30)


# @implements REQ-SEC-001
def token_hash(token: str) -> str:
    """What the store keeps instead of the token: a leaked table resets nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class TokenStore:
    """Issued tokens by hash, with their account and issue time.

    :implements: REQ-SEC-001, REQ-SEC-002
    """

    issued: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    # @implements REQ-SEC-001
    def issue(self, account: str, now: datetime) -> str:
        token = secrets.token_urlsafe(16)  # 16 bytes: 128 bits of randomness
        self.issued[token_hash(token)] = (account, now)
        return token

    def redeem(self, token: str, now: datetime) -> str | None:
        """The account the token resets, or None if it is unknown, used or expired."""
        # @implements REQ-SEC-002: a token is gone once redeemed, and dies at 30 minutes
        entry = self.issued.pop(token_hash(token), None)
        if entry is None:
            return None
        account, issued_at = entry
        return account if now - issued_at < LIFETIME else None
