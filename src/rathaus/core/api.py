"""What every module's JSON API shares: the error bodies and the time-of-day type.

Modules declare the errors that are theirs (``404``, ``429``) with :class:`ErrorOut`;
``rathaus.api`` documents the ones every operation can give (``422`` for bad
parameters, ``503`` when the database is busy), so a new module cannot forget them.
"""

from datetime import time
from typing import Annotated

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

__all__ = ["ErrorOut", "ParameterError", "TimeOfDay", "ValidationErrorOut"]


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in English.")


class ParameterError(Schema):
    parameter: str = Field(description="The parameter's name, or 'request'.")
    message: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="Always 'Invalid request parameters.'")
    errors: list[ParameterError]


# A local wall-clock time such as "08:00:00". JSON Schema's `format: time` would demand
# an offset ("08:00:00+01:00"), which opening hours do not have: they hold in Düsseldorf.
TimeOfDay = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M:%S"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "Local time in Düsseldorf (Europe/Berlin), HH:MM:SS.",
            "examples": ["08:00:00"],
        }
    ),
]
