"""The ``dossier`` command line: argparse, exit codes, the result listing and JSON lines.

A front end of :mod:`index` like :mod:`tui`, and headless: nothing here imports Textual
(``tests/test_import_hygiene.py`` checks it); ``dossier`` without a subcommand imports
:mod:`tui` only when it opens the TUI.
"""
