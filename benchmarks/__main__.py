"""``python -m benchmarks`` (what ``make bench`` runs)."""

from .core import main

raise SystemExit(main())
