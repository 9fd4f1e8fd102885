"""``termbase serve``: the team server, a thin ASGI layer over the local facade.

Contract:

* Every JSON route comes from :data:`termbase.ops.OPS`; one handler parses
  the arguments the table declares, resolves the actor once from
  ``Authorization: Bearer`` (or the browser page's session cookie, for
  reads only), checks the op's least role in one place (:func:`permit`),
  and calls the facade in a worker thread with the actor's name as the
  history's user.  A client can never choose that name.
* No business rule lives here: the facade decides, the server maps its
  errors to HTTP (:func:`error_response`): 401 unknown token, 403 role too
  low (the role needed and the caller's), 404, 409 stale version (who
  changed the entry and when), 400 bad input, 413 too large, 429 too many
  failed sign-ins.  Nothing is written before the role check passes.
* Uploads are streamed to a server-made temporary directory (size-limited)
  and read by the same hardened readers as local imports; downloads are
  written there by the facade and streamed back.  No client-given path is
  ever opened or written.
* CORS is off (no cross-origin headers are sent); the session cookie is
  HttpOnly and SameSite=Strict, authenticates only reads, and sign-in and
  sign-out forms carry a CSRF token.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from termbase import wire
from termbase.api import Termbase
from termbase.errors import (
    ConflictError,
    ForbiddenError,
    InvalidValueError,
    NotFoundError,
    TermbaseError,
)
from termbase.model import Actor, Role
from termbase.ops import OPS, REQUIRED, Op
from termbase.rules import utcnow
from termbase.users import ANONYMOUS, AuthError, authenticate

#: Largest upload accepted (glossaries, TMX files): 64 MiB; `serve --max-upload-mb` changes it.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
#: Largest JSON request body (an entry with its evidence is a few KiB).
MAX_JSON_BYTES = 1024 * 1024
#: How long a browser sign-in lasts.
SESSION_HOURS = 12
#: Worker threads that run facade calls: SQLite work on a few cores gains nothing from
#: more, and each thread keeps its own warmed-up facade (anyio's default is 40).
WORKER_THREADS = 8
#: Failed sign-ins (bad tokens) allowed per client address per minute.
SIGNIN_ATTEMPTS_PER_MINUTE = 10


class TooLarge(TermbaseError):
    """A request body over the limit (HTTP 413)."""


class TooManyAttempts(TermbaseError):
    """Too many failed sign-ins from one address (HTTP 429)."""


@dataclass
class RateLimit:
    """At most *limit* events per *window* seconds per key (a sliding window)."""

    limit: int
    window: float = 60.0
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def exceeded(self, key: str) -> bool:
        """True when *key* has used up its events in the current window."""
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] > self.window:
                events.popleft()
            return len(events) >= self.limit

    def add(self, key: str) -> None:
        """Count one event for *key*."""
        with self._lock:
            self._events.setdefault(key, deque()).append(time.monotonic())


class Facades:
    """One facade per worker thread on the same database file (SQLite connections are per thread).

    Before each call the thread's facade takes the acting user and role (the
    facade's review rules decide with that role); its translation memory,
    which keeps the user it was opened for, is reopened when the user changes.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Termbase] = []
        self._lock = threading.Lock()

    def get(self, actor: Actor) -> Termbase:
        """This thread's facade acting as *actor*."""
        tb: Termbase | None = getattr(self._local, "tb", None)
        if tb is None:
            tb = Termbase(self.path, user=actor.name or ANONYMOUS, role=actor.role, seed=False)
            self._local.tb = tb
            with self._lock:
                self._all.append(tb)
        elif (tb.user, tb.role) != (actor.name or ANONYMOUS, actor.role):
            tb.user, tb.role = actor.name or ANONYMOUS, actor.role
            tb._tm = None  # reopened for this user on first use
        return tb

    def close(self) -> None:
        """Close every thread's facade."""
        with self._lock:
            for tb in self._all:
                tb.close()
            self._all.clear()


@dataclass
class Settings:
    """How this server runs (from ``termbase serve`` options)."""

    db: str
    anonymous_read: bool = False
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    signin_per_minute: int = SIGNIN_ATTEMPTS_PER_MINUTE
    create: bool = True  # False: the file must exist (a --db typo is an error)


class Server:
    """The state one server process shares between requests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.facades = Facades(settings.db)
        self.failures = RateLimit(settings.signin_per_minute)
        # browser session id -> (token, when it ends); in memory only: a restart signs out
        self.sessions: dict[str, tuple[str, float]] = {}

    def session_token(self, session: str) -> str | None:
        """The token behind a browser session, None when unknown or expired."""
        token, ends = self.sessions.get(session, ("", 0.0))
        if time.monotonic() > ends:
            self.sessions.pop(session, None)
            return None
        return token

    def start_session(self, token: str) -> str:
        """A new browser session for *token*; returns its id (the cookie's value)."""
        session = secrets.token_urlsafe(32)
        self.sessions[session] = (token, time.monotonic() + SESSION_HOURS * 3600)
        return session

    # ---- who is asking
    def actor_for_token(self, token: str, client: str) -> Actor:
        """The actor a token names; failed attempts are counted per client address."""
        if self.failures.exceeded(client):
            raise TooManyAttempts("too many failed sign-ins from your address; wait a minute")
        tb = self.facades.get(Actor("", Role.VIEWER))
        try:
            return authenticate(tb.store, token, at=utcnow())
        except AuthError:
            self.failures.add(client)
            raise

    def actor(self, request: Request, *, cookie_ok: bool) -> Actor:
        """The actor of *request*: its bearer token, else (reads) the session, else anonymous."""
        client = request.client.host if request.client else "?"
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthError("use 'Authorization: Bearer <token>'")
            return self.actor_for_token(token.strip(), client)
        session = request.cookies.get(SESSION_COOKIE, "")
        remembered = self.session_token(session) if cookie_ok and session else None
        if remembered:
            try:
                return self.actor_for_token(remembered, client)
            except AuthError:
                self.sessions.pop(session, None)
                raise
        if self.settings.anonymous_read and cookie_ok:
            return Actor(ANONYMOUS, Role.VIEWER)
        raise AuthError(
            "sign in first: send 'Authorization: Bearer <token>' "
            "('termbase login URL' stores a token for the command line)"
        )


SESSION_COOKIE = "tb_session"


def permit(actor: Actor, op: Op, args: dict[str, Any]) -> None:
    """The server's one permission check: raise ForbiddenError unless *actor* may call *op* with *args*."""
    needed = op.needed(args)
    if not actor.role.at_least(needed):
        raise ForbiddenError(
            f"{op.doing} needs the {needed.value} role (you are {actor.role.value})",
            needed=needed.value,
            role=actor.role.value,
        )


# ------------------------------------------------------------------ arguments
def _convert(op: Op, name: str, kind: str, raw: Any) -> Any:
    try:
        if kind == "int":
            return int(raw)
        if kind == "bool":
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes")
        if kind == "list":
            return raw if isinstance(raw, list) else [x for x in str(raw).split(",") if x]
        if kind in wire.CODECS:
            value = wire.CODECS[kind].decode(raw)
            if kind == "entry" and op.name == "add":
                value.created_by = value.updated_by = ""  # the facade fills in the actor
            return value
        return raw if kind == "json" else str(raw)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise InvalidValueError(f"{name}: not a valid {kind} ({exc})") from None


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the request is larger than the server's limit of {limit // 1024} KiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the request is larger than the server's limit of {limit // 1024} KiB")
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_args(request: Request, op: Op) -> dict[str, Any]:
    """The facade arguments of *request* as *op* declares them (only those given)."""
    given: dict[str, Any] = dict(request.path_params)
    if op.method in ("GET", "DELETE") or op.transfer == "upload":
        given.update(request.query_params)
    else:
        body = await _read_limited(request, MAX_JSON_BYTES)
        try:
            data = json.loads(body or b"{}")
        except ValueError as exc:
            raise InvalidValueError(f"the request body is not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise InvalidValueError("the request body must be a JSON object")
        given.update(data)
    match = request.headers.get("if-match", "").strip().strip('"').removeprefix("W/").strip('"')
    if match:
        given["expected_version"] = match
    args: dict[str, Any] = {}
    for param in op.params:
        if param.name in given and given[param.name] is not None:
            args[param.name] = _convert(op, param.name, param.type, given[param.name])
        elif param.default is REQUIRED and not (op.transfer and param.name in ("path", "target")):
            raise InvalidValueError(f"{param.name} is required")
    return args


# ------------------------------------------------------------------- answers
def error_response(exc: Exception, paths: dict[str, str] | None = None) -> JSONResponse:
    """The HTTP answer for a library error: one mapping for every route.

    *paths* maps the server's temporary file names to the names the client
    gave, so a message points at the client's file, never at the server's disk.
    """
    status = 400
    message = _as_shown(str(exc), paths or {})
    body: dict[str, Any] = {"error": message, "type": type(exc).__name__}
    # what the error carries (who changed the entry, the role needed, the line …)
    body.update(
        (k, _as_shown(v, paths or {}))
        for k, v in vars(exc).items()
        if not k.startswith("_") and isinstance(v, (str, int, list, type(None)))
    )
    if isinstance(exc, AuthError):
        status = 401
    elif isinstance(exc, ForbiddenError):  # from permit(), or from the facade's own rules
        status = 403
    elif isinstance(exc, NotFoundError):
        status = 404
    elif isinstance(exc, ConflictError):
        status = 409
    elif isinstance(exc, TooLarge):
        status = 413
    elif isinstance(exc, TooManyAttempts):
        status = 429
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 429:
        headers = {"Retry-After": "60"}
    return JSONResponse(body, status_code=status, headers=headers)


def _call(tb: Termbase, op: Op, args: dict[str, Any]) -> Any:
    target: Any = tb
    for part in op.name.split("."):
        target = getattr(target, part)
    return target(**args)


def _safe_name(name: str, fallback: str) -> str:
    """A file name of the server's own making that keeps the client's extension."""
    base = os.path.basename(name.replace("\\", "/")) or fallback
    keep = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return keep[:120] or fallback


def _as_shown(value: Any, shown: dict[str, str]) -> Any:
    """*value* with the server's temporary file names replaced by the client's names."""
    if not shown:
        return value
    if isinstance(value, str):
        for server_path, client_name in shown.items():
            value = value.replace(server_path, client_name)
        return value
    if isinstance(value, list):
        return [_as_shown(v, shown) for v in value]
    if isinstance(value, dict):
        return {k: _as_shown(v, shown) for k, v in value.items()}
    return value


def make_handler(server: Server, op: Op) -> Callable[[Request], Any]:
    """The endpoint of one op."""
    file_param = "target" if op.name == "backup" else "path"

    def answer(request: Request, args: dict[str, Any] | Exception) -> Response:
        """Who asks, may they, the call and its JSON: one worker-thread hop per request."""
        try:
            actor = server.actor(request, cookie_ok=op.method == "GET")
            if isinstance(args, Exception):
                raise args  # bad arguments are reported to those who may send them
            permit(actor, op, args)
            result = _call(server.facades.get(actor), op, args)
            return JSONResponse({"result": wire.CODECS[op.result].encode(result)})
        except TermbaseError as exc:
            return error_response(exc)

    async def endpoint(request: Request) -> Response:
        if not op.transfer:
            try:
                args: dict[str, Any] | Exception = await parse_args(request, op)
            except TermbaseError as exc:
                args = exc
            return await run_in_threadpool(answer, request, args)
        workdir = ""
        shown: dict[str, str] = {}  # server temp path -> the client's file name
        try:
            actor = await run_in_threadpool(server.actor, request, cookie_ok=op.method == "GET")
            args = await parse_args(request, op)
            permit(actor, op, args)
            workdir = tempfile.mkdtemp(prefix="termbase-serve-")
            client_name = request.query_params.get("filename", "") or args.get(file_param, "")
            local = os.path.join(workdir, _safe_name(str(client_name), "upload"))
            args[file_param] = local
            shown[local] = str(client_name)
            if op.transfer == "upload":
                body = await _read_limited(request, server.settings.max_upload_bytes)
                with open(local, "wb") as fh:
                    fh.write(body)
            result = await run_in_threadpool(lambda: _call(server.facades.get(actor), op, args))
            if op.transfer == "download":
                cleanup = BackgroundTask(shutil.rmtree, workdir, True)
                workdir = ""  # removed after the download, not now
                return FileResponse(
                    args[file_param],
                    filename=os.path.basename(args[file_param]),
                    headers={"X-Termbase-Result": json.dumps(wire.plain(result))},
                    background=cleanup,
                )
            encoded = wire.CODECS[op.result].encode(result)
            return JSONResponse({"result": _as_shown(encoded, shown)})
        except TermbaseError as exc:
            return error_response(exc, shown)
        finally:
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)

    endpoint.__name__ = op.name.replace(".", "_")
    return endpoint


def openapi() -> dict[str, Any]:
    """An OpenAPI 3.1 document of the JSON API, generated from the ops table."""
    paths: dict[str, Any] = {}
    kinds = {
        "int": "integer",
        "bool": "boolean",
        "list": "array",
        "entry": "object",
        "term": "object",
        "json": "object",
        "str": "string",
    }
    for op in OPS:
        params, props = [], {}
        for p in op.params:
            schema = {"type": kinds.get(p.type, "object")}  # codecs: JSON objects
            where = "path" if p.name in op.path_params else "query"
            if where == "path" or op.method in ("GET", "DELETE") or op.transfer == "upload":
                params.append(
                    {
                        "name": p.name,
                        "in": where,
                        "schema": schema,
                        "required": p.default is REQUIRED,
                    }
                )
            else:
                props[p.name] = schema
        spec: dict[str, Any] = {
            "operationId": op.name,
            "summary": f"{op.doing} (least role: {op.role.value})",
            "parameters": params,
            "security": [{"bearer": []}],
            "responses": {
                "200": {"description": op.result},
                "401": {"description": "no token"},
                "403": {"description": "role too low"},
            },
        }
        if props:
            spec["requestBody"] = {
                "content": {"application/json": {"schema": {"type": "object", "properties": props}}}
            }
        if op.transfer == "upload":
            spec["requestBody"] = {"content": {"application/octet-stream": {}}}
        paths.setdefault(op.route, {})[op.method.lower()] = spec
    return {
        "openapi": "3.1.0",
        "info": {"title": "termbase", "version": "1"},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def create_app(settings: Settings) -> Starlette:
    """The ASGI application: the JSON API from the ops table plus the browser page."""
    from termbase.server import web

    # create (or migrate) the file before serving, so that no request waits for it
    Termbase(settings.db, seed=False, create=settings.create).close()
    server = Server(settings)

    async def whoami(request: Request) -> Response:
        try:
            actor = await run_in_threadpool(server.actor, request, cookie_ok=True)
        except TermbaseError as exc:
            return error_response(exc)
        return JSONResponse({"name": actor.name, "role": actor.role.value})

    async def openapi_doc(_request: Request) -> Response:
        return JSONResponse(openapi())

    routes = [Route("/api/whoami", whoami), Route("/api/openapi.json", openapi_doc)]
    routes += [Route(op.route, make_handler(server, op), methods=[op.method]) for op in OPS]
    routes += web.routes(server)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        server.facades.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    return app


def wait_ready(url: str, timeout: float = 15.0) -> None:
    """Block until the server at *url* answers (for tests and the benchmark)."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"{url}/api/openapi.json", timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


__all__ = ["Settings", "create_app", "permit", "wait_ready"]
