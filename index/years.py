"""The plausible years of a date, published or mentioned.

Outside this window a "date" is a typo, a version number or an overflow waiting to
happen in a timeline. A module of its own so that the search side (timeline bounds)
shares the window with date and event extraction without importing them.
"""

MIN_YEAR = 1800
MAX_YEAR = 2199
