"""The ``rathaus`` command.

``rathaus demo [--scale N]``, ``rathaus serve``, ``rathaus worker``, ``rathaus check``,
``rathaus ledger …`` and ``rathaus openapi`` are ours; every other word is passed to
Django's management commands (``rathaus migrate``, ``rathaus createsuperuser`` …).
``rathaus verify`` runs without Django and without a database: anyone can check a
Bescheid against the transparency log with it. ``rathaus serve`` starts gunicorn without
loading Django first (its workers do).
"""

import os
import sys

# Our name for the deployment self-check; Django's own `check` stays reachable inside it.
ALIASES = {"check": "selfcheck"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "verify":
        from rathaus.ledger.verifier import main as verify

        sys.exit(verify(args[1:]))
    if args and args[0] == "serve":
        from rathaus.core.serving import main as serve

        serve(args[1:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["rathaus", *args])


if __name__ == "__main__":
    main()
