"""The team server's JSON API over HTTP: roles, tokens, versions, limits.

Requests go through Starlette's TestClient (the real ASGI app, in process);
the live-server tests (CLI, browser, benchmark) use uvicorn on a port.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from termbase import Termbase, users
from termbase.model import Role
from termbase.ops import OPS
from termbase.server import Settings, create_app
from termbase.wire import CODECS

from .conftest import FIXED_TIME, make_entry
from .serverkit import ROLES, add_users

TBX = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One entry and a user per role, made once (token hashing is slow by design)."""
    db = tmp_path_factory.mktemp("team") / "template.sqlite"
    glossary = db.parent / "glossary.tbx"
    glossary.write_text(TBX_TEXT.replace("共同富裕", "双循环"), encoding="utf-8")
    with Termbase(db, user="seed", seed=False, clock=lambda: FIXED_TIME) as tb:
        first = tb.add(make_entry())  # 1: proposed, changed once (version 2)
        tb.set_status(first.id or 0, "new development dynamic", "deprecated")
        tb.approve(tb.add(other_entry("高水平安全", "high-level security")).id or 0)  # 2
        tb.delete(tb.add(other_entry("统筹发展和安全", "coordinate development")).id or 0)  # 3
        tb.add(other_entry("新质生产力", "new quality productive forces"))  # 4
        tb.import_file(glossary)  # import batch 1: entry 5
    with Termbase(db, user="li", role="translator", seed=False, clock=lambda: FIXED_TIME) as tb:
        tb.edit(2, note="a proposed note")  # pending change 1 on approved entry 2
    return db, add_users(db)


@pytest.fixture
def team(
    template: tuple[Path, dict[str, str]], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setattr("termbase.rules.utcnow", lambda: FIXED_TIME)
    shutil.copyfile(template[0], db_path)
    client = TestClient(create_app(Settings(db=str(db_path))))
    return {"client": client, "tokens": template[1], "db": db_path}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def fingerprint(db: Path) -> tuple[Any, ...]:
    """Everything a write would change: row counts, versions, history, TM."""
    conn = sqlite3.connect(db)
    try:
        q = conn.execute
        return (
            q("SELECT count(*), coalesce(sum(version), 0) FROM entries").fetchone(),
            q("SELECT count(*) FROM terms").fetchone(),
            q("SELECT count(*), coalesce(max(id), 0) FROM history").fetchone(),
            q("SELECT count(*) FROM segments").fetchone(),
            q("SELECT group_concat(review) FROM entries").fetchone(),
        )
    finally:
        conn.close()


TBX_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="c1"><langSec xml:lang="zh-CN"><termSec><term>共同富裕</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>common prosperity</term></termSec></langSec></conceptEntry>
</body></text></tbx>
"""

TMX_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" segtype="sentence"
 adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/>
<body><tu><tuv xml:lang="zh-CN"><seg>推动高质量发展</seg></tuv>
<tuv xml:lang="en"><seg>promote high-quality development</seg></tuv></tu></body></tmx>
"""


def other_entry(zh: str, en: str) -> Any:
    from termbase import Entry, Term, TermStatus

    from .conftest import PAPER_SOURCE

    # the rendering cites a source: approving needs one (issue 18)
    return Entry(
        terms=[
            Term(zh, "zh-CN", TermStatus.PREFERRED),
            Term(en, "en", TermStatus.PREFERRED, source=PAPER_SOURCE),
        ]
    )


def new_entry() -> dict[str, Any]:
    entry = make_entry()
    entry.terms[0].text = "共同富裕"
    entry.terms[1].text = "common prosperity"
    entry.terms = entry.terms[:2]
    return CODECS["entry"].encode(entry)


def current(db: Path) -> dict[str, Any]:
    with Termbase(db, seed=False) as tb:
        return CODECS["entry"].encode(tb.get(1))


#: One valid request per op: (path with parameters filled, query, JSON body, raw body).
SAMPLES: dict[str, Any] = {
    "search": lambda db: ("/api/search", {"query": "新发展"}, None, None),
    "get": lambda db: ("/api/entries/1", {}, None, None),
    "history": lambda db: ("/api/history", {"ref": "1"}, None, None),
    "stats": lambda db: ("/api/stats", {}, None, None),
    "subjects": lambda db: ("/api/subjects", {}, None, None),
    "review_queue": lambda db: ("/api/review-queue", {}, None, None),
    "entries": lambda db: ("/api/entries", {"review": "all"}, None, None),
    "export_file": lambda db: ("/api/export", {"path": "out.tbx", "review": "all"}, None, None),
    "add": lambda db: ("/api/entries", {}, {"entry": new_entry()}, None),
    "add_term": lambda db: (
        "/api/entries/1/terms",
        {},
        {"term": {"text": "new pattern of development"}},
        None,
    ),
    "approve": lambda db: ("/api/entries/1/approve", {}, {"comment": "fine"}, None),
    "reject": lambda db: ("/api/entries/1/reject", {}, {"reason": "no"}, None),
    "set_status": lambda db: (
        "/api/entries/1/status",
        {},
        {"term": "NDP", "status": "deprecated"},
        None,
    ),
    "update": lambda db: ("/api/entries", {}, {"entry": current(db), "comment": "edit"}, None),
    "delete": lambda db: ("/api/entries/1", {}, None, None),
    "import_file": lambda db: ("/api/import", {"filename": "g.tbx"}, None, TBX_TEXT.encode()),
    "backup": lambda db: ("/api/backup", {"target": "b.sqlite"}, None, None),
    "doctor": lambda db: ("/api/doctor", {}, None, None),
    "tm.match": lambda db: ("/api/tm/match", {"text": "推动高质量发展"}, None, None),
    "tm.concordance": lambda db: ("/api/tm/search", {"query": "发展"}, None, None),
    "tm.stats": lambda db: ("/api/tm/stats", {}, None, None),
    "tm.count": lambda db: ("/api/tm/count", {}, None, None),
    "list_entries": lambda db: ("/api/list", {"review": "all"}, None, None),
    "pending": lambda db: ("/api/pending", {}, None, None),
    "change_diff": lambda db: ("/api/changes/1/diff", {}, None, None),
    "review_items": lambda db: ("/api/review-items", {}, None, None),
    "select": lambda db: ("/api/select", {}, {"ids": [1]}, None),
    "duplicates_of": lambda db: ("/api/duplicates-of", {}, {"entry": new_entry()}, None),
    "likely_duplicates": lambda db: ("/api/likely-duplicates", {}, None, None),
    "imports": lambda db: ("/api/imports", {}, None, None),
    "edit": lambda db: ("/api/entries/1/edit", {}, {"note": "a note"}, None),
    "edit_term": lambda db: (
        "/api/entries/1/edit-term",
        {},
        {"term": "NDP", "note": "abbr."},
        None,
    ),
    "delete_term": lambda db: ("/api/entries/1/delete-term", {}, {"term": "NDP"}, None),
    "accept_change": lambda db: ("/api/changes/1/accept", {}, {}, None),
    "reject_change": lambda db: ("/api/changes/1/reject", {}, {"reason": "no"}, None),
    "approve_many": lambda db: ("/api/approve-many", {}, {"ids": [1, 4]}, None),
    "reject_many": lambda db: ("/api/reject-many", {}, {"ids": [1], "reason": "no"}, None),
    "undelete": lambda db: ("/api/entries/3/undelete", {}, {}, None),
    "revert": lambda db: ("/api/entries/1/revert", {}, {}, None),
    "merge": lambda db: ("/api/merge", {}, {"keep": "1", "other": "4"}, None),
    "revert_import": lambda db: ("/api/imports/1/revert", {}, {}, None),
    "tm.indexing_to_announce": lambda db: ("/api/tm/indexing", {}, None, None),
    "recognize": lambda db: ("/api/recognize", {}, {"units": ["构建新发展格局"]}, None),
    "recognizer_info": lambda db: ("/api/recognizer", {}, None, None),
    "check": lambda db: (
        "/api/check",
        {},
        {
            "segments": [
                {"source": "构建新发展格局。", "target": "Build a new development pattern."}
            ]
        },
        None,
    ),
    "score": lambda db: (
        "/api/score",
        {},
        {"hyp": ["a new pattern"], "ref": ["a new pattern"]},
        None,
    ),
    "extract": lambda db: (
        "/api/extract",
        {},
        {"text": "共同富裕。共同富裕。", "min_freq": 1},
        None,
    ),
    "add_candidates": lambda db: (
        "/api/candidates",
        {},
        {
            "candidates": [
                {
                    "text": "共同富裕",
                    "lang": "zh-CN",
                    "frequency": 2,
                    "score": 1.0,
                    "contexts": ["推动共同富裕。"],
                }
            ],
            "document": "doc.txt",
        },
        None,
    ),
    "tm.import_file": lambda db: ("/api/tm/import", {"filename": "m.tmx"}, None, TMX_TEXT.encode()),
    "tm.export_file": lambda db: ("/api/tm/export", {"path": "m.tmx"}, None, None),
}


def test_every_op_takes_every_argument_of_its_facade_method() -> None:
    """A new argument of a facade method must get a Param in the ops table too."""
    import inspect

    from termbase.tm import TranslationMemory

    skip = {"self", "actor", "progress"}
    withheld = {"update": {"action"}}  # the history's action name is the facade's, not a client's
    for op in OPS:
        owner = TranslationMemory if op.name.startswith("tm.") else Termbase
        method = getattr(owner, op.name.split(".")[-1])
        wanted = {
            name
            for name, p in inspect.signature(method).parameters.items()
            if name not in skip and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        } - withheld.get(op.name, set())
        assert wanted <= {p.name for p in op.params}, op.name


def test_every_op_has_a_sample() -> None:
    assert set(SAMPLES) == {op.name for op in OPS}


def test_every_facade_method_is_offered_or_says_why_not() -> None:
    """A new public facade method must get a line in the ops table (or in LOCAL_ONLY)."""
    from termbase.ops import CLIENT_SIDE, LOCAL_ONLY
    from termbase.remote import RemoteTermbase
    from termbase.tm import TranslationMemory

    public = {n for n in dir(Termbase) if not n.startswith("_") and n != "tm"}
    public |= {f"tm.{n}" for n in dir(TranslationMemory) if not n.startswith("_")}
    offered = {op.name for op in OPS} | set(LOCAL_ONLY) | set(CLIENT_SIDE)
    assert sorted(public - offered) == []
    assert sorted(set(LOCAL_ONLY) - public) == []  # nothing stale listed
    assert all(callable(getattr(RemoteTermbase, n)) for n in CLIENT_SIDE)


def send(client: TestClient, op_name: str, token: str | None, db: Path) -> Any:
    op = next(o for o in OPS if o.name == op_name)
    path, query, body, raw = SAMPLES[op_name](db)
    headers = auth(token) if token else {}
    return client.request(op.method, path, params=query, json=body, content=raw, headers=headers)


#: Where the sample asks more than the op's least role.
EXPECTED_NEEDED = {
    "export_file": Role.TRANSLATOR,  # a viewer exports (and lists) approved entries only
    "entries": Role.TRANSLATOR,
    "list_entries": Role.TRANSLATOR,
    "delete": Role.TERMINOLOGIST,  # the facade's rule: somebody else's entry
}


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(team: dict[str, Any], op: Any, role: str) -> None:
    """Every action × every role: allowed, or 403 naming the role needed with nothing written."""
    client, db = team["client"], team["db"]
    before = fingerprint(db)
    answer = send(client, op.name, team["tokens"][role], db)
    by_table = not Role(role).at_least(op.role)
    needed = op.role if by_table else EXPECTED_NEEDED.get(op.name, op.role)
    if Role(role).at_least(needed):
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 403, answer.text
        body = answer.json()
        assert body["needed"] == needed.value and body["role"] == role
        reason = f"needs the {needed.value} role (you are {role})"
        if by_table:
            assert body["error"] == f"{op.doing} {reason}"
        else:  # the facade's own rule, in its own words
            assert body["error"].endswith(reason)
        assert fingerprint(db) == before


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_no_token_or_a_bad_one_is_401_and_writes_nothing(team: dict[str, Any], op: Any) -> None:
    client, db = team["client"], team["db"]
    before = fingerprint(db)
    assert send(client, op.name, None, db).status_code == 401
    bad = send(client, op.name, team["tokens"]["admin"][:-3] + "abc", db)
    assert bad.status_code == 401
    assert bad.json()["error"] == "this token is unknown or was revoked; ask an admin for a new one"
    assert fingerprint(db) == before


def test_viewer_exports_approved_entries(team: dict[str, Any]) -> None:
    client, tokens = team["client"], team["tokens"]
    answer = client.get(
        "/api/export",
        params={"path": "x.tbx", "review": "approved"},
        headers=auth(tokens["viewer"]),
    )
    assert answer.status_code == 200
    assert answer.headers["x-termbase-result"] == "1"  # entry 2, the one approved
    assert b"<tbx" in answer.content


def test_translator_cannot_add_an_approved_entry(team: dict[str, Any]) -> None:
    entry = new_entry()
    entry["review"] = "approved"
    answer = team["client"].post(
        "/api/entries", json={"entry": entry}, headers=auth(team["tokens"]["translator"])
    )
    assert answer.status_code == 403
    assert answer.json()["error"] == (
        "adding entries needs the terminologist role (you are translator)"
    )


def test_history_names_the_token_user_whatever_the_client_says(team: dict[str, Any]) -> None:
    client, tokens = team["client"], team["tokens"]
    entry = new_entry()
    entry["created_by"] = entry["updated_by"] = "mallory"
    added = client.post(
        "/api/entries",
        json={"entry": entry, "actor": "mallory", "user": "mallory"},
        headers={**auth(tokens["translator"]), "X-User": "mallory"},
    ).json()["result"]
    assert added["created_by"] == "translator"
    client.post(
        f"/api/entries/{added['id']}/approve",
        json={"comment": "ok", "user": "mallory"},
        headers=auth(tokens["terminologist"]),
    )
    records = client.get(
        "/api/history", params={"ref": added["id"]}, headers=auth(tokens["viewer"])
    ).json()["result"]
    assert [(r["action"], r["actor"]) for r in records] == [
        ("approve", "terminologist"),
        ("add", "translator"),
    ]


def test_stale_version_is_409_naming_who_and_when(team: dict[str, Any]) -> None:
    client, tokens = team["client"], team["tokens"]
    headers = auth(tokens["terminologist"])
    fresh = client.get("/api/entries/1", headers=headers).json()["result"]
    version = fresh["version"]
    first = client.post(
        "/api/entries/1/status",
        json={"term": "NDP", "status": "deprecated", "expected_version": version},
        headers=headers,
    )
    assert first.status_code == 200
    before = fingerprint(team["db"])
    stale = client.post(
        "/api/entries/1/approve", headers={**headers, "If-Match": f'"{version}"'}, json={}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert (body["changed_by"], body["changed_at"], body["current_version"]) == (
        "terminologist",
        FIXED_TIME,
        version + 1,
    )
    assert body["error"].startswith(f"entry 1 was changed by terminologist at {FIXED_TIME}")
    assert fingerprint(team["db"]) == before


def test_revoked_token_is_refused_at_once(team: dict[str, Any]) -> None:
    client, tokens, db = team["client"], team["tokens"], team["db"]
    assert client.get("/api/stats", headers=auth(tokens["translator"])).status_code == 200
    with Termbase(db, seed=False) as tb:
        assert users.revoke(tb.store, "translator", at=FIXED_TIME) == 1
    answer = client.get("/api/stats", headers=auth(tokens["translator"]))
    assert answer.status_code == 401
    assert (
        answer.json()["error"] == "this token is unknown or was revoked; ask an admin for a new one"
    )


def test_role_change_takes_effect_on_the_next_request(team: dict[str, Any]) -> None:
    client, tokens, db = team["client"], team["tokens"], team["db"]
    with Termbase(db, seed=False) as tb:
        users.set_role(tb.store, "translator", "terminologist")
    answer = client.post("/api/entries/1/approve", json={}, headers=auth(tokens["translator"]))
    assert answer.status_code == 200
    assert answer.json()["result"]["reviewer"] == "translator"


def test_tokens_are_stored_hashed(team: dict[str, Any]) -> None:
    conn = sqlite3.connect(team["db"])
    hashes = [r[0] for r in conn.execute("SELECT hash FROM tokens")]
    conn.close()
    secrets = [t.split("_", 2)[2] for t in team["tokens"].values()]
    assert all(h.startswith("scrypt$") for h in hashes)
    assert not any(s in h for s in secrets for h in hashes)


def test_failed_sign_ins_are_rate_limited(db_path: Path) -> None:
    add_users(db_path)
    client = TestClient(create_app(Settings(db=str(db_path), signin_per_minute=3)))
    codes = [
        client.get("/api/stats", headers=auth(f"tb_1_{'x' * 40}")).status_code for _ in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_upload_over_the_limit_is_413_and_nothing_is_stored(team: dict[str, Any]) -> None:
    client = TestClient(create_app(Settings(db=str(team["db"]), max_upload_bytes=1000)))
    before = fingerprint(team["db"])
    big = TBX_TEXT.encode() + b"<!--" + b"x" * 2000 + b"-->"
    answer = client.post(
        "/api/import",
        params={"filename": "g.tbx"},
        content=big,
        headers=auth(team["tokens"]["admin"]),
    )
    assert answer.status_code == 413
    assert fingerprint(team["db"]) == before


def test_upload_names_cannot_choose_a_path(team: dict[str, Any], tmp_path: Path) -> None:
    client, admin = team["client"], auth(team["tokens"]["admin"])
    target = tmp_path / "evil.tbx"
    answer = client.post(
        "/api/import",
        params={"filename": str(target), "path": str(target)},
        content=TBX_TEXT.encode(),
        headers=admin,
    )
    assert answer.status_code == 200
    assert not target.exists()
    assert answer.json()["result"]["origin"] == "evil.tbx"
    back = client.get("/api/backup", params={"target": str(tmp_path / "b.sqlite")}, headers=admin)
    assert back.status_code == 200 and back.content.startswith(b"SQLite format 3")
    assert not (tmp_path / "b.sqlite").exists()


def test_hostile_upload_is_refused_by_the_hardened_reader(team: dict[str, Any]) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;">]><tbx><text><body>&b;</body></text></tbx>'
    )
    before = fingerprint(team["db"])
    answer = team["client"].post(
        "/api/import",
        params={"filename": "bomb.tbx"},
        content=bomb.encode(),
        headers=auth(team["tokens"]["admin"]),
    )
    assert answer.status_code == 400
    assert answer.json()["type"] == "UnsafeFileError"
    assert "/tmp" not in answer.json()["error"] and "termbase-serve" not in answer.json()["error"]
    assert fingerprint(team["db"]) == before


def test_no_cors_headers(team: dict[str, Any]) -> None:
    answer = team["client"].get(
        "/api/stats",
        headers={**auth(team["tokens"]["viewer"]), "Origin": "https://evil.example"},
    )
    assert answer.status_code == 200
    assert not any(h.lower().startswith("access-control-") for h in answer.headers)
    preflight = team["client"].options(
        "/api/entries/1/approve",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_session_cookie_cannot_write(team: dict[str, Any]) -> None:
    """A browser session authenticates reads only: cross-site writes have nothing to ride on."""
    client = team["client"]
    page = client.get("/login")
    csrf = client.cookies["tb_csrf"]
    assert f'value="{csrf}"' in page.text
    signed = client.post(
        "/login",
        data={"token": team["tokens"]["admin"], "csrf": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert "httponly" in signed.headers["set-cookie"].lower()
    assert "samesite=strict" in signed.headers["set-cookie"].lower()
    assert client.get("/api/stats").status_code == 200
    before = fingerprint(team["db"])
    assert client.post("/api/entries/1/approve", json={}).status_code == 401
    assert fingerprint(team["db"]) == before


def test_sign_in_without_the_csrf_token_is_refused(team: dict[str, Any]) -> None:
    client = team["client"]
    client.get("/login")
    answer = client.post("/login", data={"token": team["tokens"]["admin"], "csrf": "forged"})
    assert answer.status_code == 403
    assert "tb_session" not in client.cookies


def test_anonymous_read_only_when_turned_on(db_path: Path) -> None:
    with Termbase(db_path, seed=False) as tb:
        tb.add(make_entry())
    closed = TestClient(create_app(Settings(db=str(db_path))))
    assert closed.get("/", follow_redirects=False).status_code == 303
    assert closed.get("/api/entries/1").status_code == 401
    opened = TestClient(create_app(Settings(db=str(db_path), anonymous_read=True)))
    assert "新发展格局" in opened.get("/entry/1").text
    assert opened.get("/api/entries/1").json()["result"]["id"] == 1
    assert opened.post("/api/entries/1/approve", json={}).status_code == 401


def test_openapi_describes_every_op(team: dict[str, Any]) -> None:
    doc = team["client"].get("/api/openapi.json").json()
    operations = {
        spec["operationId"] for methods in doc["paths"].values() for spec in methods.values()
    }
    assert operations == {op.name for op in OPS}
    assert json.dumps(doc)  # plain JSON


def test_bad_arguments_are_400_with_a_clear_message(team: dict[str, Any]) -> None:
    client, headers = team["client"], auth(team["tokens"]["viewer"])
    answer = client.get("/api/search", params={"query": "x", "limit": "many"}, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("limit: not a valid int")
    missing = client.get("/api/search", headers=headers)
    assert missing.json()["error"] == "query is required"
    unknown = client.get("/api/search", params={"query": "x", "status": "nope"}, headers=headers)
    assert unknown.status_code == 400 and "choose one of" in unknown.json()["error"]
