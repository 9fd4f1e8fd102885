"""Widgets of the termbase app."""
