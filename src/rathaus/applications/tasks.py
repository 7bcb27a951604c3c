"""Background tasks of the applications module (imported so the worker finds the daily ones)."""

from .services.receipts import make_receipt
from .services.retention import retention_daily

__all__ = ["make_receipt", "retention_daily"]
