"""Views of the open-data portal (``portal``) and of the data stewards (``steward``)."""
