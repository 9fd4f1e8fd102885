"""A team server killed with SIGKILL during an import and reviews loses nothing it confirmed.

``termbase serve`` runs as its own process; a reviewer saves edits (each
adds a marker to an entry's note, with the version as precondition) and an
admin uploads a glossary of 20,000 entries; the server is killed with
SIGKILL while both are under way.  Afterwards the database passes
``doctor``, every edit the server answered 200 to is in the note, and the
import is all or nothing (all of it if the client was told it finished).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from termbase import Termbase
from termbase.errors import ConflictError, TermbaseError
from termbase.remote import RemoteTermbase
from termbase.server import wait_ready

from .conftest import make_entry
from .serverkit import free_port, make_user

#: Entries in the uploaded glossary: enough that the import is still running when killed.
GLOSSARY_ROWS = 20000


def _glossary(path: Path) -> None:
    rng = random.Random(5)
    han = "发展安全国家经济社会治理体系能力现代化创新改革开放共同富裕高质量"
    rows = {"".join(rng.choice(han) for _ in range(8)) for _ in range(GLOSSARY_ROWS * 2)}
    chosen = sorted(rows)[:GLOSSARY_ROWS]
    path.write_text(
        "zh,en\n" + "".join(f"{zh},bulk rendering {i}\n" for i, zh in enumerate(chosen)),
        encoding="utf-8",
    )


def test_sigkill_during_import_and_review_loses_nothing_confirmed(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite"
    with Termbase(db, user="seed", seed=False) as tb:
        tb.add(make_entry())
    reviewer_token = make_user(db, "terry", "terminologist")
    admin_token = make_user(db, "ada", "admin")
    glossary = tmp_path / "bulk.csv"
    _glossary(glossary)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "termbase"),
            "--db",
            str(db),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    confirmed: list[str] = []
    imported: list[object] = []
    stop = threading.Event()

    def review() -> None:
        with RemoteTermbase(url, reviewer_token) as remote:
            n = 0
            while not stop.is_set():
                try:
                    entry = remote.get(1)
                    marker = f"m{n}"
                    remote.edit(1, note=f"{entry.note} {marker}".strip(),
                                expected_version=entry.version)  # fmt: skip
                except ConflictError:
                    continue
                except TermbaseError:
                    return  # the server is gone
                confirmed.append(marker)
                n += 1

    def import_() -> None:
        # suppressed: killed before it answered
        with RemoteTermbase(url, admin_token) as remote, contextlib.suppress(TermbaseError):
            imported.append(remote.import_file(str(glossary)))

    try:
        wait_ready(url)
        threads = [threading.Thread(target=review), threading.Thread(target=import_)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while len(confirmed) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert len(confirmed) >= 3, "the reviewer never got an answer before the kill"
    with Termbase(db, seed=False) as tb:
        assert tb.doctor() == []
        kept = set(tb.get(1).note.split())
        assert [m for m in confirmed if m not in kept] == []  # nothing confirmed is lost
        bulk = sum(1 for e in tb.entries(review="all") if e.en.startswith("bulk rendering"))
    print(f"confirmed {len(confirmed)}, import answered: {bool(imported)}, bulk rows: {bulk}")
    assert bulk in (0, GLOSSARY_ROWS)  # one transaction: all or nothing
    if imported:
        assert bulk == GLOSSARY_ROWS
