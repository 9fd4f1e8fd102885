"""Screens of the termbase app.

To add a screen: put it in this package, then give it a key in
``TermbaseApp.BINDINGS`` and a command in ``TermbaseApp.get_system_commands``
(tui/app.py); the app object passes the facade as ``self.app.tb``.
"""
