"""The package version (one place; ``newsaudit.__version__`` re-exports it)."""

__version__ = "0.1.0"
