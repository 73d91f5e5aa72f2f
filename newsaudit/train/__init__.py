"""Training recipes and the cross-validations that fit models: torch and scikit-learn are imported inside
the functions that use them, never at import time."""
