"""The progress monitor "Digitales Düsseldorf 2030" and the green-IT account.

Service modules report what they count with :func:`register_tally` (transactions per
month and channel) and :func:`register_share` (a share that holds right now), from their
``AppConfig.ready``, as they declare open data sets; the monitor never reads their tables
itself. See ``figures``.
"""

from .figures import Share, Tally, TallyRow, monthly, register_share, register_tally

__all__ = ["Share", "Tally", "TallyRow", "monthly", "register_share", "register_tally"]
