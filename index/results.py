"""What a search answers: frozen result types, plain data with character offsets into
the article text (never markup), so any front end can show them its own way.
"""

from __future__ import annotations


class IndexMissing(Exception):
    """There is no usable index in the folder (not built yet, or another schema)."""
