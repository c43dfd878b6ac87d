"""Screens of the dossier TUI."""
