"""The read-only browser page: search as you type, one page per entry.

Server-rendered HTML (Jinja2, autoescaped) with one small script for
search as you type; it works without the script (the search form is a
plain GET).  Reading needs a signed-in user unless the server runs with
``--anonymous-read``; signing in takes a token (the same as the command
line's) and keeps it only in server memory behind an HttpOnly,
SameSite=Strict session cookie.  The sign-in and sign-out forms carry a
CSRF token (double submit: a cookie and a form field that must agree).
"""

from __future__ import annotations

import hmac
import os
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from termbase.errors import NotFoundError, TermbaseError
from termbase.model import Actor
from termbase.users import ANONYMOUS, AuthError

if TYPE_CHECKING:
    from termbase.server import Server

HERE = os.path.dirname(os.path.abspath(__file__))
CSRF_COOKIE = "tb_csrf"
#: Hits shown per query on the page.
PAGE_HITS = 30
#: Security headers on every page: no framing, no third-party script, no referrer.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

_env = Environment(
    loader=FileSystemLoader(os.path.join(HERE, "templates")),
    autoescape=select_autoescape(["html"]),
)


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def routes(server: Server) -> list[Route]:
    """The page routes, bound to *server*."""
    from termbase.server import SESSION_COOKIE, error_response

    async def reader(request: Request) -> Actor | Response:
        """The signed-in reader, or the answer that sends them to sign in."""
        try:
            return await run_in_threadpool(server.actor, request, cookie_ok=True)
        except AuthError:
            target = urllib.parse.quote(
                request.url.path + ("?" + request.url.query if request.url.query else "")
            )
            return RedirectResponse(f"/login?next={target}", status_code=303)
        except TermbaseError as exc:
            return error_response(exc)

    def search_hits(actor: Actor, query: str) -> list[Any]:
        if not query.strip():
            return []
        return list(server.facades.get(actor).search(query, limit=PAGE_HITS))

    async def home(request: Request) -> Response:
        actor = await reader(request)
        if isinstance(actor, Response):
            return actor
        query = request.query_params.get("q", "")
        hits = await run_in_threadpool(search_hits, actor, query)
        return _page(
            "search.html",
            actor=actor,
            query=query,
            hits=hits,
            csrf=_csrf(request),
            anonymous=actor.name == ANONYMOUS,
        )

    async def results(request: Request) -> Response:
        actor = await reader(request)
        if isinstance(actor, Response):
            return actor
        query = request.query_params.get("q", "")
        hits = await run_in_threadpool(search_hits, actor, query)
        return _page("results.html", query=query, hits=hits)

    async def entry(request: Request) -> Response:
        actor = await reader(request)
        if isinstance(actor, Response):
            return actor
        try:
            found = await run_in_threadpool(
                server.facades.get(actor).get, int(request.path_params["entry_id"])
            )
        except NotFoundError as exc:
            return _page("error.html", 404, message=str(exc), actor=actor)
        return _page(
            "entry.html",
            entry=found,
            actor=actor,
            csrf=_csrf(request),
            anonymous=actor.name == ANONYMOUS,
        )

    async def login(request: Request) -> Response:
        next_url = _local(request.query_params.get("next", "/"))
        if request.method == "GET":
            token = secrets.token_urlsafe(24)
            page = _page("login.html", csrf=token, next=next_url, message="")
            _set_cookie(request, page, CSRF_COOKIE, token)
            return page
        form = await _form(request)
        if not _csrf_ok(request, form):
            return _page(
                "login.html",
                403,
                csrf="",
                next=next_url,
                message="The sign-in form expired; reload the page and try again.",
            )
        client = request.client.host if request.client else "?"
        try:  # the token must name an active user before a session starts
            await run_in_threadpool(server.actor_for_token, form.get("token", "").strip(), client)
        except TermbaseError as exc:
            status = 429 if type(exc).__name__ == "TooManyAttempts" else 401
            token = secrets.token_urlsafe(24)
            page = _page("login.html", status, csrf=token, next=next_url, message=str(exc))
            _set_cookie(request, page, CSRF_COOKIE, token)
            return page
        session = server.start_session(form["token"].strip())
        answer = RedirectResponse(_local(form.get("next", "/")), status_code=303)
        _set_cookie(request, answer, SESSION_COOKIE, session)
        return answer

    async def logout(request: Request) -> Response:
        form = await _form(request)
        if not _csrf_ok(request, form):
            return _page(
                "error.html", 403, message="The form expired; reload the page.", actor=None
            )
        server.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        answer = RedirectResponse("/login", status_code=303)
        answer.delete_cookie(SESSION_COOKIE)
        return answer

    async def script(_request: Request) -> Response:
        return FileResponse(
            os.path.join(HERE, "static", "search.js"), headers=HEADERS, media_type="text/javascript"
        )

    async def style(_request: Request) -> Response:
        return FileResponse(
            os.path.join(HERE, "static", "page.css"), headers=HEADERS, media_type="text/css"
        )

    return [
        Route("/", home),
        Route("/results", results),
        Route("/entry/{entry_id:int}", entry),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/static/search.js", script),
        Route("/static/page.css", style),
    ]


def _csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE, "")


def _csrf_ok(request: Request, form: dict[str, str]) -> bool:
    cookie, field = request.cookies.get(CSRF_COOKIE, ""), form.get("csrf", "")
    return bool(cookie) and hmac.compare_digest(cookie, field)


def _set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=secure, path="/")


def _local(url: str) -> str:
    """*url* if it is a path on this site, else ``/`` (no open redirects)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


async def _form(request: Request) -> dict[str, str]:
    """A small urlencoded form (sign-in, sign-out); at most 8 KiB."""
    from termbase.server import _read_limited

    body = await _read_limited(request, 8192)
    pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)
