"""Regenerate the README screenshots of the terminal app on the seed glossary.

    python scripts/screenshots.py

Writes docs/screenshots/search.svg and docs/screenshots/entry.svg (Textual
saves SVG itself).  Run it whenever the UI changes.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from termbase import Termbase  # noqa: E402
from tui.app import make_app  # noqa: E402

OUT = REPO / "docs" / "screenshots"
SIZE = (100, 32)


async def shoot() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the path shown in the title bar is then just the file name
        tb = Termbase("termbase.sqlite", user="translator", seed=True)
        app = make_app(tb)
        async with app.run_test(size=SIZE) as pilot:
            for widget in app.screen.query("Input"):
                widget.cursor_blink = False  # type: ignore[attr-defined]
            await pilot.press(*"发展格局")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot(str(OUT / "search.svg"))
            await pilot.press("enter", "enter")
            await pilot.pause()
            await pilot.press("down")
            await pilot.pause()
            app.save_screenshot(str(OUT / "entry.svg"))
        tb.close()
    print(f"wrote {OUT / 'search.svg'} and {OUT / 'entry.svg'}")


if __name__ == "__main__":
    asyncio.run(shoot())
