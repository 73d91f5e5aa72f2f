"""``python -m newsaudit``: the same CLI as the ``newsaudit`` command."""

import sys

from .cli import main

sys.exit(main())
