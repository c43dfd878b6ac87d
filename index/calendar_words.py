"""Month and weekday names in German (incl. Austrian) and English.

Shared by publication-date and event-date extraction and by the analyzer
(which makes ``Jänner`` and ``Januar`` one term), so the three never disagree
about what a month is called.
"""

from __future__ import annotations

# Lower-case name -> month number. Includes Austrian forms (Jänner, Feber),
# common abbreviations with and without the dot handled by callers, and
# ASCII spellings of the umlaut forms (Maerz, Jaenner).
MONTHS: dict[str, int] = {
    # German
    "januar": 1, "jänner": 1, "jaenner": 1, "janner": 1, "jan": 1, "jän": 1,
    "februar": 2, "feber": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "marz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English (the ones not already spelled the same)
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6,
    "july": 7, "october": 10, "oct": 10, "december": 12, "dec": 12,
}

# Lower-case weekday name -> ISO weekday (Monday = 0, as datetime.weekday()).
WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonnabend": 5, "sonntag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}

# Regional month names that the analyzer folds onto the standard German name,
# so that a search for one finds the other (Austrian usage).
MONTH_SYNONYMS: dict[str, str] = {
    "jänner": "januar", "jaenner": "januar", "janner": "januar",
    "feber": "februar",
}

# Lower-case season name -> TIMEX3 season code (as in "1940-SU").
SEASONS: dict[str, str] = {
    "frühjahr": "SP", "frühling": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI",
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA",
}
