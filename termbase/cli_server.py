"""Team-mode commands: ``serve``, ``user …`` and ``login``.

``serve`` and ``user`` work on the local database file (run them on the
server machine); ``login`` talks to a server and stores the token for the
other commands.  The server's libraries (starlette, uvicorn) are imported
only inside ``serve``, so no other command pays for them.
"""

from __future__ import annotations

import click

from termbase.cli_common import echo_json, pass_state

#: Where ``uvicorn`` listens unless told otherwise: this machine only.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, help="Port to listen on.")
@click.option(
    "--anonymous-read",
    is_flag=True,
    help="Let anyone read the browser page and the read API without a token.",
)
@click.option(
    "--max-upload-mb", default=64, show_default=True, help="Largest upload accepted (imports)."
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Reverse proxies whose X-Forwarded-For/-Proto headers are trusted.",
)
@pass_state
def serve(
    state: object,
    host: str,
    port: int,
    anonymous_read: bool,
    max_upload_mb: int,
    forwarded_allow_ips: str,
) -> None:
    """Serve this termbase to a team: JSON API, browser page, roles and tokens.

    Create users first with 'termbase user add NAME --role ROLE'.  Put a
    reverse proxy with TLS in front when people connect from other machines
    (README: nginx, Caddy, systemd).

    \b
    Example:
      termbase --db team.sqlite serve --port 8000
    """
    import uvicorn

    from termbase.api import default_db_path
    from termbase.server import Settings, create_app

    db = getattr(state, "db", None) or default_db_path()
    app = create_app(
        Settings(
            db=db,
            anonymous_read=anonymous_read,
            max_upload_bytes=max_upload_mb << 20,
            create=getattr(state, "create", True),
        )
    )
    click.echo(f"Serving {db} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
    )


@click.group()
def user() -> None:
    """People who may use the team server, their roles and tokens.

    Roles: viewer (search, read, export approved) < translator (+ propose)
    < terminologist (+ approve, reject, set status, edit) < admin (+ import,
    backup, users).  Run on the server machine, against its database.

    \b
    Examples:
      termbase --db team.sqlite user add li.wei --role translator
      termbase --db team.sqlite user revoke li.wei
    """


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "translator", "terminologist", "admin"]),
    required=True,
    help="What the user may do.",
)
@pass_state
def user_add(state: object, name: str, role: str) -> None:
    """Create a user and print their token (shown this once only).

    \b
    Example:
      termbase user add zhang.min --role terminologist
    """
    from termbase import users
    from termbase.rules import utcnow

    tb = state.open()  # type: ignore[attr-defined]
    token = users.add_user(tb.store, name, role, at=utcnow(), by=tb.user)
    click.echo(f"Created {name} ({role}). Their token, shown this once only:", err=True)
    click.echo(token)


@user.command("token")
@click.argument("name")
@pass_state
def user_token(state: object, name: str) -> None:
    """Give an existing user one more token (printed once).

    \b
    Example:
      termbase user token zhang.min
    """
    from termbase import users
    from termbase.rules import utcnow

    token = users.issue_token(state.open().store, name, at=utcnow())  # type: ignore[attr-defined]
    click.echo(f"New token for {name}, shown this once only:", err=True)
    click.echo(token)


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "translator", "terminologist", "admin"]))
@pass_state
def user_role(state: object, name: str, role: str) -> None:
    """Change a user's role (takes effect on their next request).

    \b
    Example:
      termbase user role li.wei terminologist
    """
    from termbase import users

    users.set_role(state.open().store, name, role)  # type: ignore[attr-defined]
    click.echo(f"{name} is now {role}.")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def user_list(state: object, as_json: bool) -> None:
    """Every user with their role, active tokens and last use (tokens are never shown).

    \b
    Example:
      termbase user list
    """
    from dataclasses import asdict

    from termbase import users
    from termbase.textfmt import table

    rows = users.list_users(state.open().store)  # type: ignore[attr-defined]
    if as_json:
        echo_json([asdict(r) for r in rows])
        return
    if not rows:
        click.echo("No users yet; add one with 'termbase user add NAME --role ROLE'.")
        return
    click.echo(
        table(
            ["user", "role", "active tokens", "last used", "created"],
            [
                [r.name, r.role, str(r.active_tokens), r.last_used_at or "never", r.created_at]
                for r in rows
            ],
        )
    )


@user.command("revoke")
@click.argument("name")
@pass_state
def user_revoke(state: object, name: str) -> None:
    """Revoke every token of a user (their next request is refused).

    \b
    Example:
      termbase user revoke li.wei
    """
    from termbase import users
    from termbase.rules import utcnow

    count = users.revoke(state.open().store, name, at=utcnow())  # type: ignore[attr-defined]
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {name}.")


@click.command()
@click.argument("url")
@click.option("--token", help="The token (default: asked for, not echoed).")
def login(url: str, token: str | None) -> None:
    """Sign in to a team server and remember the token for this user account.

    The token is stored in your config directory (file mode 0600); later
    commands use it with --server URL or TERMBASE_SERVER.  TERMBASE_TOKEN
    overrides it (scripts and CI).

    \b
    Example:
      termbase login https://terms.example.org
    """
    from termbase import remote

    secret = token or click.prompt("Token", hide_input=True)
    who = remote.whoami(url, secret)
    path = remote.save_token(url, secret)
    click.echo(f"Signed in to {remote.normal_url(url)} as {who['name']} ({who['role']}).")
    click.echo(f"Token stored in {path}.", err=True)
