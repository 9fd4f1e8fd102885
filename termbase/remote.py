"""``RemoteTermbase``: the facade's interface, spoken to a team server over HTTP.

Contract:

* Its methods are generated from :data:`termbase.ops.OPS` and take the
  same arguments as the local :class:`termbase.api.Termbase` methods, so
  the command line and the app hold either one without knowing which.
  Values cross the wire through :mod:`termbase.wire`; arguments the server
  has no use for (``progress`` callbacks) are accepted and ignored.
* Every request goes through :meth:`RemoteTermbase._send`: one place for
  the token, the timeouts and the mapping of HTTP errors back to the
  library's exceptions (the server's ``error`` text and ``type``), so a
  command prints the same ``Error: …`` and exits with the same code as
  against a local file.  An unreachable server is a ``TermbaseError`` too.
* Files: an import uploads the local file (checked locally first, as a
  local import checks it); an export or backup is downloaded to a
  temporary name beside the target and renamed when complete.
* Tokens: ``$TERMBASE_TOKEN``, else the one ``termbase login`` stored for
  the server's URL in the user's config directory (a 0600 file).
"""

from __future__ import annotations

import inspect
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpx

from termbase import errors, wire
from termbase.api_files import FileServices
from termbase.ops import OPS, REQUIRED, Op
from termbase.users import AuthError

ENV_SERVER = "TERMBASE_SERVER"
ENV_TOKEN = "TERMBASE_TOKEN"
#: Seconds to wait for a connection, and for an answer (imports of big files take longer).
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 600.0
TOKENS_FILE = "tokens.json"


class ServerError(errors.TermbaseError):
    """The server could not be reached, or answered something unexpected."""


class LocalOnly(errors.TermbaseError, AttributeError):
    """A facade feature that works on a local database file only (not over HTTP)."""


#: Exception classes by the name the server sends in ``type``.
_ERRORS: dict[str, type[errors.TermbaseError]] = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.TermbaseError)
}
_ERRORS["AuthError"] = AuthError


def normal_url(url: str) -> str:
    """*url* with a scheme and without a trailing slash (``localhost:8000`` → ``http://…``)."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    return url.rstrip("/")


def tokens_path() -> str:
    """The file that ``termbase login`` writes (in the user's config directory)."""
    import platformdirs

    return os.path.join(platformdirs.user_config_dir("termbase", appauthor=False), TOKENS_FILE)


def _stored() -> dict[str, str]:
    try:
        with open(tokens_path(), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_token(url: str, token: str) -> str:
    """Remember *token* for *url* in a file only this user can read; returns its path."""
    path = tokens_path()
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    data = _stored()
    data[normal_url(url)] = token
    tmp = f"{path}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def token_for(url: str) -> str:
    """``$TERMBASE_TOKEN``, else the stored token for *url* (ServerError when there is none)."""
    token = os.environ.get(ENV_TOKEN) or _stored().get(normal_url(url))
    if not token:
        raise AuthError(
            f"no token for {normal_url(url)}: run 'termbase login {normal_url(url)}' "
            f"or set {ENV_TOKEN}"
        )
    return token


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=normal_url(url),
        headers={"Authorization": f"Bearer {token}", "User-Agent": "termbase"},
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        trust_env=False,  # never route a team server's traffic through an environment proxy
    )


def _raise_for(answer: httpx.Response) -> None:
    if answer.status_code < 400:
        return
    try:
        body = answer.json()
        message, kind = body["error"], body.get("type", "")
    except (ValueError, KeyError, TypeError):
        raise ServerError(
            f"the server answered {answer.status_code} {answer.reason_phrase} "
            f"to {answer.request.method} {answer.request.url.path}"
        ) from None
    cls = _ERRORS.get(kind, errors.TermbaseError)
    if issubclass(cls, errors.FormatError):  # its message is rebuilt from where + reason
        raise cls(
            body.get("reason", message),
            path=body.get("path", ""),
            line=body.get("line"),
            column=body.get("column"),
        )
    keywords = {
        name: body[name]
        for name, param in inspect.signature(cls.__init__).parameters.items()
        if param.kind is inspect.Parameter.KEYWORD_ONLY and name in body
    }
    raise cls(message, **keywords)


def whoami(url: str, token: str) -> dict[str, str]:
    """``{"name", "role"}`` of *token* on the server at *url*."""
    with _client(url, token) as client:
        return dict(_send(client, "GET", "/api/whoami"))


def _send(client: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
    try:
        answer = client.request(method, path, **kwargs)
    except httpx.TransportError as exc:
        raise ServerError(
            f"cannot reach the termbase server at {client.base_url} ({exc}); "
            "is 'termbase serve' running there?"
        ) from None
    _raise_for(answer)
    return answer.json()


class _Remote:
    """What RemoteTermbase and its ``tm`` part share: the client and the generic call."""

    _client: httpx.Client
    _prefix = ""

    def _call(self, op: Op, args: dict[str, Any]) -> Any:
        route = op.route
        for name in op.path_params:
            value = _encode(op, name, args.pop(name))
            route = route.replace("{" + name + "}", urllib.parse.quote(str(value), ""))
        if op.transfer == "upload":
            return self._upload(op, route, args)
        if op.transfer == "download":
            return self._download(op, route, args)
        if op.method in ("GET", "DELETE"):
            data = _send(self._client, op.method, route, params=_query(op, args))
        else:
            body = {k: _encode(op, k, v) for k, v in args.items()}
            data = _send(self._client, op.method, route, json=body)
        return wire.CODECS[op.result].decode(data["result"])

    def _upload(self, op: Op, route: str, args: dict[str, Any]) -> Any:
        from termbase.formats._io import check_readable_file

        given = os.fspath(args.pop("path"))
        local = check_readable_file(given)
        params = _query(op, args)
        params["filename"] = given  # the server names its copy after the base name only
        with open(local, "rb") as fh:
            data = _send(self._client, op.method, route, params=params, content=fh)
        return wire.CODECS[op.result].decode(data["result"])

    def _download(self, op: Op, route: str, args: dict[str, Any]) -> Any:
        from termbase.fileio import STDOUT, check_output

        key = "target" if "target" in args else "path"
        force = bool(args.get("force"))
        target = check_output(args[key], force=force)  # the local file: the local rules
        if key == "target":  # a backup: a whole database file, never over another file
            if target == STDOUT:
                raise errors.OutputError("a backup is a database file; give a file name, not -")
            if os.path.lexists(target) and not force:
                raise errors.OutputError(
                    f"{target}: already exists; choose a new name, or pass --force to replace it"
                )
        args[key] = target
        part = f"{target}.part"
        try:
            with self._client.stream(op.method, route, params=_query(op, args)) as answer:
                if answer.status_code >= 400:
                    answer.read()
                    _raise_for(answer)
                if target == STDOUT:
                    import sys

                    for chunk in answer.iter_bytes():
                        sys.stdout.buffer.write(chunk)
                    sys.stdout.buffer.flush()
                else:
                    with open(part, "wb") as fh:
                        for chunk in answer.iter_bytes():
                            fh.write(chunk)
                result = json.loads(answer.headers.get("x-termbase-result", "null"))
            if target != STDOUT:
                os.replace(part, target)
        except httpx.TransportError as exc:
            raise ServerError(
                f"the download from {self._client.base_url} broke off ({exc})"
            ) from None
        finally:
            if os.path.exists(part):
                os.unlink(part)
        return target if key == "target" else result


def _encode(op: Op, name: str, value: Any) -> Any:
    kind = next(p.type for p in op.params if p.name == name)
    if isinstance(value, Iterator) or (
        kind == "str" and isinstance(value, Iterable) and not isinstance(value, str)
    ):
        value = list(value)  # a stream (of texts, of entries) is sent whole
    if kind == "str" and isinstance(value, list):
        value = "\n".join(value)  # a document's lines are sent as its text
    if kind in wire.CODECS:
        return wire.CODECS[kind].encode(value)
    if kind == "int" and hasattr(value, "id"):
        return value.id  # a stored object (a PendingChange …) stands for its id
    return value


def _query(op: Op, args: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, value in args.items():
        value = _encode(op, name, value)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(value)
        out[name] = str(value)
    return out


def _method(op: Op) -> Callable[..., Any]:
    names = [p.name for p in op.params]
    required = [p.name for p in op.params if p.default is REQUIRED]

    def method(self: _Remote, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("progress", None)  # progress is shown by the server's own log, not here
        given = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{op.name}() got an unexpected argument {key!r}")
            given[key] = value
        missing = [n for n in required if n not in given]
        if missing:
            raise TypeError(f"{op.name}() missing argument(s): {', '.join(missing)}")
        # None and the facade's bare sentinels (KEEP) mean "not given": the server's default
        sent = {k: v for k, v in given.items() if v is not None and type(v) is not object}
        return self._call(op, sent)

    method.__name__ = op.name.split(".")[-1]
    method.__doc__ = f"{op.doing} on the server (least role: {op.role.value})."
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(
                p.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=inspect.Parameter.empty if p.default is REQUIRED else p.default,
            )
            for p in op.params
        ]
    )
    return method


class RemoteTM(_Remote):
    """The translation memory of a team server (``RemoteTermbase.tm``)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client


class RemoteTermbase(_Remote, FileServices):
    """A termbase on a team server, with the local facade's methods.

    Args:
        url: the server, e.g. ``https://terms.example.org``.
        token: the user's token (default: :func:`token_for`).
    """

    #: One client serves every thread (httpx's connection pool is thread-safe).
    shared_across_threads = True

    def __init__(self, url: str, token: str | None = None) -> None:
        self.url = normal_url(url)
        self.path = self.url  # where the data lives, as front ends show it
        self._client = _client(self.url, token or token_for(self.url))
        self.tm = RemoteTM(self._client)
        self._who: dict[str, str] | None = None

    def _whoami(self) -> dict[str, str]:
        if self._who is None:
            self._who = dict(_send(self._client, "GET", "/api/whoami"))
        return self._who

    @property
    def user(self) -> str:
        """The signed-in user's name (the server records it in the history)."""
        return self._whoami()["name"]

    @user.setter
    def user(self, _name: str) -> None:
        """Ignored: the server takes the name from the token, never from the client."""

    @property
    def role(self) -> str:
        """The signed-in user's role: viewer, translator, terminologist or admin."""
        return self._whoami()["role"]

    def may(self, action: str) -> bool:
        """True when the user's role allows the facade method *action*."""
        from termbase.model import Role
        from termbase.ops import BY_NAME

        return Role(self.role).at_least(BY_NAME[action].role)

    @staticmethod
    def format_names() -> list[str]:
        """The names ``import_file`` and ``export_file`` accept as ``format``."""
        from termbase import formats

        return formats.names()

    def close(self) -> None:
        """Close the connection."""
        self._client.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise LocalOnly(
            f"this works on a local database file only (it needs {name!r}), not against the "
            f"team server {self.url}; run it on the server machine with --db PATH"
        )

    def __enter__(self) -> RemoteTermbase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


for _op in OPS:
    setattr(RemoteTM if _op.name.startswith("tm.") else RemoteTermbase, _op.name.split(".")[-1],
            _method(_op))  # fmt: skip
