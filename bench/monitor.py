"""The progress monitor and the resource meter: what the meter costs every request, and the
monitor page computed afresh and from the cache, on the demo city (PostgreSQL by default).

In process (Django's test client, the full middleware chain): the same requests with and
without ``ResourceMeterMiddleware`` – the difference is what the green-IT account's
measurement costs every request – and one flush of a day's routes. Through a real server:
``/digitalmonitor/`` after the cache was emptied (every module's cases counted) and from
the cache, against ``/healthz`` as the baseline; in process, computing the figures afresh
(what a view costs every five minutes).

    python bench/monitor.py [--scale 1] [--rounds 5] [--json] [--skip-load]
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

PATHS = ["/healthz", "/leistungen/personalausweis-beantragen/", "/algorithmen/"]
METER = "rathaus.monitor.metering.ResourceMeterMiddleware"


def in_process(args) -> dict[str, list[float]]:
    os.environ.update(common.environment(args.database_url))
    os.environ["RESOURCE_FLUSH_SECONDS"] = "off"  # the flush is timed on its own
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    from rathaus.monitor import metering

    without = [name for name in settings.MIDDLEWARE if name != METER]
    clients = {}
    for label, middleware in (("without meter", without), ("with meter", settings.MIDDLEWARE)):
        with override_settings(MIDDLEWARE=middleware, ALLOWED_HOSTS=["*"]):
            clients[label] = Client()
            for path in PATHS:  # loads this middleware chain; warms templates, connections
                clients[label].get(path)
    # Alternating request by request, so that both see the same state of the machine.
    times: dict[str, list[float]] = {label: [] for label in clients}
    with override_settings(ALLOWED_HOSTS=["*"]):
        for path in PATHS * (40 * args.rounds):
            for label, client in clients.items():
                times[label].append(common.timed(lambda c=client, p=path: c.get(p)))
    for n in range(200):  # a day of a busy installation has a few hundred request types
        metering.add(f"bench:route-{n}", 0.01, 0.002)
    times["flush of 200 request types"] = [common.timed(metering.flush)]
    from rathaus.monitor import services

    # What a view of the page costs when its figures are not cached: every module counted.
    times["figures"] = [common.timed(lambda: services.figures(13)) for _ in range(args.rounds)]
    return times


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=1)
    if not args.skip_load:
        print("Loading the demo city …", flush=True)
        common.prepare_database(args.database_url, args.scale)
    print("Measuring the meter in process …", flush=True)
    local = in_process(args)
    print("Measuring the monitor page through a server …", flush=True)
    with common.server(args.database_url, extra_env={"REDIS_URL": ""}) as base:
        baseline = [common.timed(lambda: common.fetch(base + "/healthz")) for _ in range(50)]
        warm = [common.timed(lambda: common.fetch(base + "/digitalmonitor/")) for _ in range(50)]
    plain, metered = local["without meter"], local["with meter"]
    base_figures = common.summary(baseline)
    common.print_table(
        "Resource meter, in process (full middleware chain, test client)",
        [
            ("requests without the meter (baseline)", common.summary(plain), None),
            (
                "requests with the meter",
                common.summary(metered),
                common.summary(metered)["p50"] / common.summary(plain)["p50"],
            ),
            (
                "one flush of 200 request types",
                common.summary(local["flush of 200 request types"]),
                None,
            ),
        ],
    )
    common.print_table(
        f"Progress monitor through a server (scale {args.scale})",
        [
            ("/healthz (baseline)", base_figures, None),
            (
                "figures computed afresh (in process)",
                common.summary(local["figures"]),
                common.summary(local["figures"])["p50"] / base_figures["p50"],
            ),
            (
                "/digitalmonitor/ from the cache",
                common.summary(warm),
                common.summary(warm)["p50"] / base_figures["p50"],
            ),
        ],
    )
    if args.json:
        common.emit_json(
            {
                "meter_overhead_ms_p50": common.summary(metered)["p50"]
                - common.summary(plain)["p50"],
                "meter_ratio_p50": common.summary(metered)["p50"] / common.summary(plain)["p50"],
                "flush_200_routes_ms": local["flush of 200 request types"][0],
                "figures_fresh_p50_ms": common.summary(local["figures"])["p50"],
                "monitor_cached_p95_ms": common.summary(warm)["p95"],
            }
        )


if __name__ == "__main__":
    main()
