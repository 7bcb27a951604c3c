"""Kita allocation: one round of 30,000 children over 450 daycares by the pure core, against the
same round solved by the ``matching`` package (``HospitalResident``) in the same run.

The round is a synthetic Düsseldorf (``kita_matching.synthetic_city``: 10 districts, 2–6 units
per daycare, places for 75–85 % of the children, five wishes skewed to popular daycares and
the home district, the published criteria, lottery tie-break, longer hours allowed). Timed:
``priority_order`` + ``allocate`` (median of --runs), and the package once – building its game
from the same priorities, then ``solve(optimal="resident")`` (a minute or two at
full size). And the round end to end as staff run it, in PostgreSQL (``kita_database``:
loaded into a database of its own, ``rathaus_bench_kita``; read, allocate, explain, check,
write the offers; median of --runs). All three must place every child alike
(``same_matching``).

    python bench/kita_allocation.py [--children 30000] [--kitas 450] [--runs 3]
        [--database-url postgres://…] [--skip-matching] [--json]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import kita_database
import kita_matching
from rathaus.kita.allocation import allocate, priority_order

TIE_BREAK = "lottery"
DATABASE = kita_database.DEFAULT_DATABASE
LOTTERY_SEED = "bench-kita-2027"
ALLOW_LONGER_HOURS = True

Row = tuple[str, dict[str, float], float | None]


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--kitas", type=int, default=450)
    parser.add_argument("--runs", type=int, default=3, help="runs of the core (median)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", common.DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/" + DATABASE
        ),
        help="a database of its own: the bench replaces its Kita year there",
    )
    parser.add_argument("--skip-matching", action="store_true", help="leave out the package")
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures")
    return parser.parse_args()


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def measure(args: argparse.Namespace) -> tuple[dict[str, object], list[Row]]:
    """The core, the round end to end in the database and the package on the same synthetic
    round: figures for the JSON object and rows for the table (ratio: p50 / p50 of the core)."""
    progress(f"Synthetische Runde: {args.children} Kinder, {args.kitas} Kitas …")
    children, capacities, criteria, names, start = kita_matching.synthetic_city(
        args.children, args.kitas
    )
    order_ms, allocate_ms, core_ms = [], [], []
    for run in range(1, args.runs + 1):
        progress(f"Kern, Lauf {run}/{args.runs} …")
        started = time.perf_counter()
        priorities = priority_order(
            children, criteria, names=names, tie_break=TIE_BREAK, seed=LOTTERY_SEED
        )
        ordered = time.perf_counter()
        result = allocate(
            children, capacities, priorities, start=start, allow_longer_hours=ALLOW_LONGER_HOURS
        )
        done = time.perf_counter()
        order_ms.append((ordered - started) * 1000)
        allocate_ms.append((done - ordered) * 1000)
        core_ms.append((done - started) * 1000)

    progress(f"Datenbank {args.database_url.rsplit('/', 1)[-1]}: Runde laden …")
    kita_database.setup(args.database_url)
    period = kita_database.load(children, capacities, criteria, LOTTERY_SEED)
    round_ms, same_in_database = [], True
    for run in range(1, args.runs + 1):
        progress(f"Runde in der Datenbank, Lauf {run}/{args.runs} …")
        seconds, placement = kita_database.run_round(period)
        round_ms.append(seconds * 1000)
        same_in_database &= placement == result.placement

    matching_s = build_s = solve_s = None
    same_as_package = True
    if not args.skip_matching:
        progress("matching.HospitalResident (bei 30.000 Kindern ein bis zwei Minuten) …")
        reference, build_s, solve_s = kita_matching.solve_with_matching(
            children, capacities, priorities, start=start, allow_longer_hours=ALLOW_LONGER_HOURS
        )
        same_as_package = reference == result.placement
        matching_s = build_s + solve_s
    same = same_in_database and same_as_package
    core_s = statistics.median(core_ms) / 1000
    placed = sum(unit is not None for unit in result.placement.values())
    print(
        f"\n{len(children)} Kinder, {args.kitas} Kitas, {len(capacities)} Einheiten, "
        f"{sum(capacities.values())} Plätze; vergeben: {placed}; gleiche Zuteilung in der "
        f"Datenbank: {'ja' if same_in_database else 'NEIN'}, wie matching: "
        f"{'–' if args.skip_matching else 'ja' if same_as_package else 'NEIN'}"
    )
    core = common.summary(core_ms)

    def row(name: str, ms: list[float], ratio: bool = True) -> Row:
        figures = common.summary(ms)
        return name, figures, figures["p50"] / core["p50"] if ratio else None

    rows = [
        row("priority_order + allocate (Kern, Bezug)", core_ms, ratio=False),
        row("  davon priority_order", order_ms),
        row("  davon allocate", allocate_ms),
        row("Runde Ende zu Ende in der Datenbank", round_ms),
    ]
    figures: dict[str, object] = {
        "allocation_s": round(statistics.median(round_ms) / 1000, 3),
        "core_s": round(core_s, 3),
        "same_matching": int(same),
        "children": len(children),
        "kitas": args.kitas,
    }
    if matching_s is not None:
        rows += [
            row("matching HospitalResident, gesamt", [matching_s * 1000]),
            row("  davon Spiel bauen", [build_s * 1000]),
            row("  davon solve(optimal='resident')", [solve_s * 1000]),
        ]
        figures.update(
            matching_pkg_s=round(matching_s, 2),
            matching_pkg_build_s=round(build_s, 2),
            matching_pkg_solve_s=round(solve_s, 2),
            speedup_vs_matching=round(matching_s / core_s, 1),
        )
    return figures, rows


def main() -> None:
    args = options()
    figures, rows = measure(args)
    common.print_table(
        f"Kita-Vergabe, {figures['children']} Kinder, {figures['kitas']} Kitas "
        "(ratio: p50 / p50 des Kerns)",
        rows,
    )
    print(
        f"\nallocation_s: {figures['allocation_s']} s, "
        f"speedup_vs_matching: {figures.get('speedup_vs_matching', '–')}x, "
        f"same_matching: {figures['same_matching']}"
    )
    if args.json:
        common.emit_json(figures)
    if not figures["same_matching"]:
        raise SystemExit("the placements differ (core, database round, matching package)")


if __name__ == "__main__":
    main()
