"""Open data: the city's catalogue, published automatically and anonymised.

Modules declare data sets with :func:`register_pipeline` (see ``pipelines``); the worker
builds releases from them, protects every small count (``disclosure``) and records each
release's hash in the transparency log. Importing this package stays free of Django models.
"""

from .pipelines import Column, Pipeline, completed_months, register_pipeline

__all__ = ["Column", "Pipeline", "completed_months", "register_pipeline"]
