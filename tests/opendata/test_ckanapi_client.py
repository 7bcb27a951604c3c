"""The real ``ckanapi`` command-line client against the live server: what harvesters and
scripts use must work unchanged."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from rathaus.opendata.services import releases

from .conftest import COLUMNS, make_dataset, visit_rows

BIN = Path(sys.executable).parent


def ckanapi(*args: str) -> str:
    # ``dump`` starts its workers as ``ckanapi`` from the PATH.
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(BIN / "ckanapi"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ckanapi_searches_and_dumps_the_catalogue(live_server, transactional_db, tmp_path):
    for number in range(3):
        dataset = make_dataset(
            slug=f"test-besuche-{number}",
            title=f"Besuche der Zweigstelle {number} (Test)",
            keywords=["Bibliothek", f"Zweigstelle {number}"],
        )
        releases.create_release(dataset, COLUMNS, visit_rows(), at=datetime(2026, 4, 2, tzinfo=UTC))
    found = json.loads(
        ckanapi(
            "action",
            "package_search",
            "-r",
            live_server.url,
            "q=Zweigstelle",
            'fq=tags:"Zweigstelle 1"',
            'facet.field:["tags","organization"]',
        )
    )
    assert found["count"] == 1
    assert found["results"][0]["name"] == "test-besuche-1"
    assert found["facets"]["tags"] == {"Bibliothek": 1, "Zweigstelle 1": 1}
    dump = tmp_path / "datasets.jsonl"
    ckanapi("dump", "datasets", "--all", "-r", live_server.url, "-O", str(dump), "-q")
    lines = [json.loads(line) for line in dump.read_text().splitlines()]
    names = sorted(p["name"] for p in lines)
    listed = json.loads(ckanapi("action", "package_list", "-r", live_server.url))
    assert names == sorted(listed) and len(names) == len(set(names))
    assert {f"test-besuche-{n}" for n in range(3)} <= set(names)
    assert all(p["resources"][0]["format"] == "CSV" for p in lines)
    ours = next(p for p in lines if p["name"] == "test-besuche-0")
    csv_id = ours["resources"][0]["id"]
    rows = json.loads(
        ckanapi(
            "action",
            "datastore_search",
            "-r",
            live_server.url,
            f"resource_id={csv_id}",
            'filters:{"stadtbezirk": "Bilk"}',
        )
    )
    assert rows["total"] == 3 and {r["stadtbezirk"] for r in rows["records"]} == {"Bilk"}
