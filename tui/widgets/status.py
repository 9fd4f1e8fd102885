"""The message line of a screen: where errors and notices are said in place.

A toast is drawn over the lower right of the screen, which is where the
results and an entry's evidence are; so each screen that shows content has
one :class:`StatusLine` in its layout and the app says things there
(:meth:`tui.app.TermbaseApp.tell`).  A toast is left for screens without one.
"""

from __future__ import annotations

from textual.widgets import Static

#: What an error message starts with, as on the command line.
ERROR_PREFIX = "Error: "


class StatusLine(Static):
    """One or two lines of message; red for an error."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False, classes="" if text else "empty")
        self.is_error = False

    def say(self, message: str, error: bool = False) -> None:
        """Show *message* (an error is prefixed ``Error:`` and shown red)."""
        if error and message and not message.startswith(ERROR_PREFIX):
            message = ERROR_PREFIX + message
        self.is_error = error and bool(message)
        self.update(message)
        self.set_class(self.is_error, "error")
        self.set_class(not message, "empty")

    def clear(self) -> None:
        self.say("")
