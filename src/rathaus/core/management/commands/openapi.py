import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rathaus.api import api

DEFAULT_PATH = Path(settings.BASE_DIR).parent.parent / "docs" / "openapi.json"


def render() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI description of /api/v1/ to docs/openapi.json, or check it is current."

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--write", action="store_true")
        group.add_argument("--check", action="store_true")
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH)

    def handle(self, *, write: bool, check: bool, path: Path, **options) -> None:
        try:
            from openapi_spec_validator import validate
        except ImportError as error:
            raise CommandError("Needs the dev extra: pip install -e '.[dev]'") from error

        text = render()
        validate(json.loads(text))
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"OpenAPI written to {path}")
            return
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            raise CommandError(
                f"{path} is not current with the code. Run `make openapi` and commit the result."
            )
        self.stdout.write("OpenAPI description is current and valid.")
