"""Secrets that people receive once (links, codes) and we keep only as digests."""

import hashlib
import hmac
import secrets

# Codes people type: no 0/O, 1/I/L, so a letter read aloud on the phone is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_token() -> str:
    """A link token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_code(groups: int = 3, size: int = 4) -> str:
    """A code to type, e.g. ``K7Q4-M2XP-9DHT`` (12 characters: about 59 bits)."""
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


def normalise_code(code: str) -> str:
    """What a person typed, as it was issued: upper case, no spaces, dashes in place."""
    plain = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def salted_digest(value: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def matches(value: str, salt: str, expected: str) -> bool:
    return hmac.compare_digest(salted_digest(value, salt), expected)
