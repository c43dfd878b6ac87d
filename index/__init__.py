"""dossier's index layer: reading articles, metadata, analysis, schema, building and querying.

This package never imports Textual or rich (an import-linter contract). The front ends
(tui/, cli/) reach Whoosh only through its modules: :func:`index.store.open_or_build`
opens an index (building it when there is none), :class:`index.search.Index` answers
queries with the frozen types of :mod:`index.results`. Nothing is re-exported here.
"""

__version__ = "0.1.0"
