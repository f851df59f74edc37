"""Token keys: random, shown once, stored as SHA-256.

A key has 256 random bits, so a fast hash is enough (nothing to brute-force);
a slow password hash would cost every request tens of milliseconds.
"""

import hashlib
import secrets

PREFIX = "jy_"


def new_key():
    return PREFIX + secrets.token_urlsafe(32)


def digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue(token):
    """Give the unsaved token a fresh key; returns the key, which is never stored."""
    key = new_key()
    token.prefix = key[: len(PREFIX) + 6]
    token.key_hash = digest(key)
    return key
