"""The termbase terminal app (Textual). Build it with :func:`tui.app.make_app`."""
