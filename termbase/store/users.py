"""SQL of team mode: the ``users`` and ``tokens`` tables.

Contract:

* A user has a unique name and one role; a token belongs to one user and is
  stored only as the hash string the caller gives (:mod:`termbase.users`
  hashes; this module never sees a token in clear).
* Revoking sets ``revoked_at``; rows are never deleted, so ``user list``
  shows who had access and when it ended.
* Every write runs inside :meth:`termbase.store.Store.transaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from termbase.store import Store


@dataclass
class UserRow:
    """One user with the counts of their tokens."""

    id: int
    name: str
    role: str
    created_at: str
    created_by: str
    active_tokens: int = 0
    last_used_at: str = ""


@dataclass
class TokenRow:
    """One stored token (its hash) with the user it belongs to."""

    id: int
    user_id: int
    user: str
    role: str
    hash: str
    revoked_at: str


def add_user(store: Store, name: str, role: str, at: str, by: str) -> int:
    """Insert a user; returns the new id."""
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO users(name, role, created_at, created_by) VALUES (?,?,?,?)",
            (name, role, at, by),
        )
        return int(cur.lastrowid or 0)


def find_user(store: Store, name: str) -> UserRow | None:
    """The user called *name*, or None."""
    row = store.conn.execute(
        "SELECT id, name, role, created_at, created_by FROM users WHERE name=?", (name,)
    ).fetchone()
    return UserRow(*row) if row else None


def set_role(store: Store, user_id: int, role: str) -> None:
    """Give a user another role."""
    with store.transaction() as conn:
        conn.execute("UPDATE users SET role=? WHERE id=?", (role, user_id))


def add_token(store: Store, user_id: int, token_hash: str, at: str) -> int:
    """Store a token hash for *user_id*; returns the token id."""
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO tokens(user_id, hash, created_at) VALUES (?,?,?)",
            (user_id, token_hash, at),
        )
        return int(cur.lastrowid or 0)


def get_token(store: Store, token_id: int) -> TokenRow | None:
    """The token row *token_id* with its user's name and role, or None."""
    row = store.conn.execute(
        "SELECT t.id, t.user_id, u.name, u.role, t.hash, t.revoked_at "
        "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id=?",
        (token_id,),
    ).fetchone()
    return TokenRow(*row) if row else None


def revoke_tokens(store: Store, user_id: int, at: str) -> int:
    """Revoke every active token of *user_id*; returns how many."""
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE tokens SET revoked_at=? WHERE user_id=? AND revoked_at=''", (at, user_id)
        )
        return int(cur.rowcount)


def touch_token(store: Store, token_id: int, at: str) -> None:
    """Record when a token was last used (to the minute; cheap to call often)."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE tokens SET last_used_at=? WHERE id=? AND last_used_at < ?",
            (at, token_id, at[:16]),
        )


def list_users(store: Store) -> list[UserRow]:
    """Every user, by name, with their active token count and last use."""
    rows = store.conn.execute(
        "SELECT u.id, u.name, u.role, u.created_at, u.created_by, "
        "coalesce(sum(t.revoked_at = ''), 0), coalesce(max(t.last_used_at), '') "
        "FROM users u LEFT JOIN tokens t ON t.user_id = u.id GROUP BY u.id ORDER BY u.name"
    )
    return [UserRow(*r) for r in rows]
