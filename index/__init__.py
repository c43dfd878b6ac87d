"""dossier's index layer: reading articles, metadata, analysis, schema, building and querying.

This package never imports Textual; the TUI reaches the index only through
the names exported here and in :mod:`index.search`.
"""

__version__ = "0.1.0"
