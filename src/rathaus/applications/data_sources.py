"""An account's applications in the data export; deletion keeps cases a law requires."""


def register_all() -> None:
    from .services import privacy

    privacy.register_source()
