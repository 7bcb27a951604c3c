"""Service assistant latency and quality against a catalogue search, on the demo city at --scale 50.

Runs a real server (gunicorn, PostgreSQL by default) and asks the residents' questions of
tests/language/assistant_questions.json through ``/api/v1/assistent`` (no LLM). Baseline:
the catalogue search ``/api/v1/leistungen?q=`` with the same questions, through the same
server. Quality at scale: a copy of the expected service ("hundesteuer-anmelden-7") counts
as the expected service.

    python bench/assistant.py [--scale 50] [--json] [--skip-load]
"""

import json
import random
import re
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SEED = 20261127
COPY = re.compile(r"-\d+$")


def questions() -> list[dict]:
    path = common.ROOT / "tests" / "language" / "assistant_questions.json"
    return json.loads(path.read_text(encoding="utf-8"))


def quality(base: str, items: list[dict]) -> tuple[float, float]:
    """Share of questions whose expected service is first, and among the first three."""
    first = top3 = 0
    for item in items:
        answer = json.loads(
            common.fetch(f"{base}/api/v1/assistent?q={urllib.parse.quote(item['q'])}")
        )
        slugs = [COPY.sub("", s["slug"]) for s in answer["services"]]
        first += bool(slugs) and slugs[0] in item["expect"]
        top3 += any(slug in item["expect"] for slug in slugs[:3])
    return first / len(items), top3 / len(items)


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=50)
    if not args.skip_load:
        common.prepare_database(args.database_url, args.scale)
    items = questions()
    mix = [item["q"] for item in items] * args.rounds
    random.Random(SEED).shuffle(mix)
    unlimited = {"ASSISTANT_QUESTIONS_PER_IP_MINUTE": "1000000000"}

    with common.server(args.database_url, extra_env=unlimited) as base:
        for item in items[:10]:  # warm up both workers
            common.fetch(f"{base}/api/v1/assistent?q={urllib.parse.quote(item['q'])}")
        search = [
            common.timed(
                lambda q=q: common.fetch(f"{base}/api/v1/leistungen?q={urllib.parse.quote(q)}")
            )
            for q in mix
        ]
        answers = [
            common.timed(
                lambda q=q: common.fetch(f"{base}/api/v1/assistent?q={urllib.parse.quote(q)}")
            )
            for q in mix
        ]
        top1, top3 = quality(base, items)

    search_s, answer_s = common.summary(search), common.summary(answers)
    ratio = answer_s["p50"] / search_s["p50"]
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    common.print_table(
        f"Service-Assistent, Demo-Stadt x{args.scale}, {database}, {len(items)} Fragen "
        f"(Top 1: {top1:.1%}, Top 3: {top3:.1%})",
        [
            ("HTTP GET /api/v1/leistungen?q=… (baseline)", search_s, None),
            ("HTTP GET /api/v1/assistent?q=…", answer_s, ratio),
        ],
    )
    if args.json:
        common.emit_json(
            {
                "answer_p50_ms": round(answer_s["p50"], 2),
                "answer_p95_ms": round(answer_s["p95"], 2),
                "top1": round(top1, 4),
                "top3": round(top3, 4),
                "ratio_to_search": round(ratio, 2),
            }
        )


if __name__ == "__main__":
    main()
