"""Users, roles and tokens of team mode (``termbase serve``).

Contract:

* Four roles, each allowed everything the one before it may do:
  ``viewer`` < ``translator`` < ``terminologist`` < ``admin``
  (:class:`termbase.model.Role`, which the facade's review rules use too).
* :func:`issue_token` makes a random token ``tb_<id>_<secret>`` and stores
  only its scrypt hash (hashlib, per-token salt); the token is returned
  once and can never be shown again.
* :func:`authenticate` turns a token into an :class:`Actor` or raises
  :class:`AuthError`; a revoked token, or one of a removed user, fails at
  once (the token row is read on every call; only the slow scrypt step is
  remembered, keyed by a SHA-256 of the token, so a busy server does not
  spend 20 ms per request on it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading

from termbase.errors import InvalidValueError, NotFoundError, TermbaseError
from termbase.model import Actor, Role
from termbase.store import Store
from termbase.store import users as sql

#: scrypt work factors (RFC 7914): about 16 MiB and 20 ms per hash on a laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
#: Random bytes in a token's secret part (256 bits).
TOKEN_BYTES = 32
#: Names people are known by in the history: letters, digits, . _ - @.
NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")

#: The name the server gives readers without a token (``serve --anonymous-read``).
ANONYMOUS = "anonymous"

_TOKEN = re.compile(r"^tb_(\d+)_([A-Za-z0-9_-]{20,})$")


def parse_role(value: str) -> Role:
    """The role called *value* (InvalidValueError naming the choices)."""
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidValueError(f"unknown role {value!r}; choose one of: {choices}") from None


class AuthError(TermbaseError):
    """A missing, malformed, unknown or revoked token (HTTP 401)."""


def _hash(secret: str, salt: bytes) -> str:
    digest = hashlib.scrypt(
        secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def _verify(secret: str, stored: str) -> bool:
    try:
        _kind, n, r, p, salt, digest = stored.split("$")
        again = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(again.hex(), digest)


# sha256(token) of tokens whose scrypt hash already verified, per token id
_verified: dict[int, bytes] = {}
_verified_lock = threading.Lock()


def add_user(store: Store, name: str, role: str, *, at: str, by: str) -> str:
    """Create user *name* with *role*; returns their first token (shown once)."""
    if not NAME_PATTERN.match(name) or name == ANONYMOUS:
        raise InvalidValueError(
            f"{name!r} is not a usable user name: use 1-64 letters, digits, '.', '_', '-' or '@'"
        )
    parsed = parse_role(role)
    if sql.find_user(store, name) is not None:
        raise InvalidValueError(
            f"there is already a user {name!r}; 'termbase user token {name}' gives them "
            "a new token, 'termbase user role' changes their role"
        )
    with store.transaction():
        user_id = sql.add_user(store, name, parsed.value, at, by)
        return _issue(store, user_id, at)


def issue_token(store: Store, name: str, *, at: str) -> str:
    """A new token for the existing user *name* (shown once)."""
    return _issue(store, _user(store, name).id, at)


def _issue(store: Store, user_id: int, at: str) -> str:
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    token_id = sql.add_token(store, user_id, _hash(secret, secrets.token_bytes(16)), at)
    return f"tb_{token_id}_{secret}"


def _user(store: Store, name: str) -> sql.UserRow:
    user = sql.find_user(store, name)
    if user is None:
        raise NotFoundError(f"no user {name!r}; 'termbase user list' shows who exists")
    return user


def set_role(store: Store, name: str, role: str) -> None:
    """Give user *name* another role."""
    sql.set_role(store, _user(store, name).id, parse_role(role).value)


def revoke(store: Store, name: str, *, at: str) -> int:
    """Revoke every token of user *name*; returns how many were active."""
    return sql.revoke_tokens(store, _user(store, name).id, at)


def list_users(store: Store) -> list[sql.UserRow]:
    """Every user with their role, active tokens and last use."""
    return sql.list_users(store)


def authenticate(store: Store, token: str, *, at: str = "") -> Actor:
    """The actor that *token* belongs to (AuthError when it is not a valid, active token)."""
    match = _TOKEN.match(token.strip())
    if not match:
        raise AuthError("this is not a termbase token (they look like tb_12_…)")
    token_id, secret = int(match.group(1)), match.group(2)
    row = sql.get_token(store, token_id)
    if row is None or row.revoked_at or not row.hash:
        raise AuthError("this token is unknown or was revoked; ask an admin for a new one")
    fingerprint = hashlib.sha256(token.encode()).digest()
    with _verified_lock:
        known = _verified.get(token_id)
    if known is None or not hmac.compare_digest(known, fingerprint):
        if not _verify(secret, row.hash):
            raise AuthError("this token is unknown or was revoked; ask an admin for a new one")
        with _verified_lock:
            _verified[token_id] = fingerprint
    if at:
        sql.touch_token(store, token_id, at)
    return Actor(row.user, Role(row.role))
