"""Widgets of the dossier TUI, one per module."""
