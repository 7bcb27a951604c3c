"""The residents and caseworkers of the applications tests, for the fault tests of uploads."""

from tests.applications.conftest import (  # noqa: F401 (fixtures)
    caseworker,
    caseworker_client,
    dach_service,
    resident_client,
    submitted,
)
