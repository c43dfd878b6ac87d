"""``python -m cli``: the ``dossier`` command without the console script (the TUI starts
its background ``dossier index`` this way, with the same interpreter)."""

import sys

from cli.main import main

sys.exit(main())
