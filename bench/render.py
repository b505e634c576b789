"""Benchmark: render an initiative page with 10, 50 and 200 cards.

    .venv/bin/python bench/render.py [--renders 20] [--sizes 10,50,200] [--history-days 30]

For each size it prints the SQL queries per render and the median milliseconds per render
of the full public response (middleware, Wagtail's page lookup, template, every card), in
both card orders; also the CPU time of this process, which a busy machine disturbs less. Each render is a fresh GET of the page URL, so the page comes from the
database every time and the lazy StreamField conversion and the batched look-ups (images
with renditions, sensor readings) really happen.

The database is a throwaway SQLite file in a temporary directory, unless DATABASE_URL is
set, e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctylab_bench``: that database
is migrated and the benchmark's content is rolled back at the end, so it leaves nothing.

Goals: the same number of queries for 10 and 200 cards, and the 200-card page under
100 ms (median).
"""

import argparse
import io
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO)]

CARD_TYPES = ("news", "map", "iot", "tender", "election")
HISTORY_DAYS = 30  # hourly readings per sensor: a card shows the latest 48 of them
QUERY_GOAL = "same number of queries for 10 and 200 cards"
TIME_GOAL_MS = 100


class Rollback(Exception):
    """Raised to undo the benchmark's content once it has been measured."""


def setup_django():
    """Settings, database and schema; returns the temporary directory to clean up, if any."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctylab.settings.test"
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="ctylab-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return scratch


# --- content ------------------------------------------------------------------------------


def make_png(colour, size=(1200, 800)):
    from PIL import Image as PILImage
    from PIL import ImageDraw

    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    for offset in range(0, size[0], 80):
        draw.line([(offset, 0), (size[0] - offset, size[1])], fill=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def make_images(count=4):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    Image = get_image_model()
    colours = [(200, 60, 40), (40, 140, 80), (50, 90, 190), (220, 170, 30)]
    return [
        Image.objects.create(
            title=f"Foto {number}",
            file=ImageFile(io.BytesIO(make_png(colours[number % len(colours)])), name=f"foto-{number}.png"),
        )
        for number in range(count)
    ]


def make_readings(series_count, now, history_days):
    """``series_count`` distinct (device, metric) series, each with hourly readings."""
    from blocks.models import Reading

    series = [(f"sensor-{number:03d}", ("vermogen", "temperatuur", "bodemvocht")[number % 3]) for number in range(series_count)]
    hours = history_days * 24
    start = (now - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    Reading.objects.bulk_create(
        (
            Reading(
                device=device,
                metric=metric,
                measured_at=start + timedelta(hours=hour),
                value=round(20 + 10 * math.sin((hour + number) / 7), 2),
            )
            for number, (device, metric) in enumerate(series)
            for hour in range(hours)
        ),
        batch_size=2000,
    )
    return series


def card_value(kind, number, now, images, series, link_page):
    """A realistic value for card ``number`` of type ``kind`` (see blocks/cards/*.py)."""
    if kind == "news":
        image = images[number % len(images)].pk if number % 2 == 0 else None
        return {
            "title": f"Nieuws {number}",
            "items": [
                {
                    "headline": f"Bericht {number}.{item}: de panelen liggen erop",
                    "date": (now - timedelta(days=number + 7 * item)).date().isoformat(),
                    # Rich text with an internal page link and an external one, as editors write
                    # it. (Storing currently drops the internal link; see the query budget test.)
                    "body": (
                        f'<p>Dankzij <b>86 leden</b> is het dak vol. Zie ook <a linktype="page" id="{link_page.pk}">'
                        f'{link_page.title}</a> en <a href="https://www.hieropgewekt.nl/">HIER opgewekt</a>.</p>'
                        "<ul><li>120 panelen</li><li>36 kWp</li></ul>"
                    ),
                    "image": image if item == 0 else None,
                    "link": "https://example.org/nieuws" if item == 1 else "",
                }
                for item in range(2)
            ],
        }
    if kind == "map":
        return {
            "title": f"Kaart {number}",
            "places": [
                {"label": "Buurthuis De Kroon", "description": "120 panelen, 36 kWp", "latitude": 52.0894, "longitude": 5.1101},
                {"label": "Basisschool De Regenboog", "description": "", "latitude": 52.0912, "longitude": 5.1149},
            ],
            "geojson": (
                '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Plangebied"}, '
                '"geometry": {"type": "Polygon", "coordinates": [[[5.4694, 51.4414], [5.4700, 51.4414], '
                '[5.4700, 51.4418], [5.4694, 51.4418], [5.4694, 51.4414]]]}}]}'
            ),
        }
    if kind == "iot":
        device, metric = series[number % len(series)]
        return {"title": f"Meting {number}", "device": device, "metric": metric, "unit": "kW"}
    if kind == "tender":
        return {
            "title": f"Offerte {number}",
            "request": "Installateur voor 200 panelen op de sporthal",
            "description": "Inclusief omvormers, montage en vijf jaar onderhoud.",
            "budget_min": "40000",
            "budget_max": "65000",
            "deadline": (now + timedelta(days=3 + number)).replace(microsecond=0).isoformat(),
            "status": "open",
            "contact_name": "Femke de Vries",
            "contact_email": "daken@zonnedak.example",
        }
    closed = number % 2 == 0
    return {
        "title": f"Besluit {number}",
        "question": "Hoe verdelen we de opbrengst?",
        "description": "Eén lid, één stem.",
        "options": [
            {"label": "Terug naar de leden", "votes": 41 if closed else None},
            {"label": "Naar het buurtfonds", "votes": 33 if closed else None},
        ],
        "opens_at": (now - timedelta(days=30)).replace(microsecond=0).isoformat(),
        "closes_at": (now + timedelta(days=-2 if closed else 10)).replace(microsecond=0).isoformat(),
    }


def make_cards(count, now, images, series, link_page):
    """``count`` cards, the five types in turn; every IoT card shows its own series."""
    return [
        {
            "type": CARD_TYPES[number % len(CARD_TYPES)],
            "value": card_value(CARD_TYPES[number % len(CARD_TYPES)], number // len(CARD_TYPES), now, images, series, link_page),
            "id": str(uuid.uuid4()),
        }
        for number in range(count)
    ]


def make_pages(sizes, history_days=HISTORY_DAYS):
    from django.utils import timezone
    from wagtail.models import Page, Site

    from initiatives.models import HomePage, InitiativePage

    now = timezone.now()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"bench-{uuid.uuid4().hex[:8]}"))
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.root_page = "testserver", 80, home
    site.save()
    images = make_images()
    series = make_readings(math.ceil(max(sizes) / len(CARD_TYPES)), now, history_days)
    neighbour = home.add_child(instance=InitiativePage(title="Buurtfonds", slug="buurtfonds", summary="Het fonds.", municipality="Utrecht"))
    neighbour.save_revision().publish()
    pages = {}
    for size in sizes:
        page = InitiativePage(
            title=f"Zonnedak met {size} kaarten",
            slug=f"zonnedak-{size}",
            summary="Een energiecoöperatie van buren.",
            municipality="Utrecht",
            cards=make_cards(size, now, images, series, neighbour),
        )
        home.add_child(instance=page)
        page.ambitions.add("duurzame energie", "samen investeren")
        page.save_revision().publish()
        pages[size] = page
    return pages


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Result:
    cards: int
    order: str
    queries: set  # distinct counts seen over the renders: one, if the page is deterministic
    wall_ms: list
    cpu_ms: list


def render(client, url, expected_cards):
    """One full GET of the page: (queries, wall-clock ms, CPU ms of this process)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)  # the test Client renders the TemplateResponse
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    shown = response.content.count(b"data-card-type=")
    if shown != expected_cards:
        raise SystemExit(f"GET {url} showed {shown} cards, expected {expected_cards}")
    return len(queries), wall * 1000, cpu * 1000


def measure(pages, renders):
    from django.test import Client

    from initiatives.models import CardOrder, InitiativePage

    client = Client()
    results = []
    for order in (CardOrder.ACTIVITY, CardOrder.MANUAL):
        for size, page in pages.items():
            InitiativePage.objects.filter(pk=page.pk).update(card_order=order)
            render(client, page.url, size)  # warm-up: renditions, site root paths, templates
            result = Result(size, order, set(), [], [])
            for _ in range(renders):
                count, wall, cpu = render(client, page.url, size)
                result.queries.add(count)
                result.wall_ms.append(wall)
                result.cpu_ms.append(cpu)
            results.append(result)
    return results


def report(results, renders, history_days):
    from django.db import connection

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Initiative page render on {connection.vendor}: {renders} renders per row after a warm-up")
    print(f"(sensors with {history_days} days of hourly readings; {os.cpu_count()} CPUs, load average {load})")
    print(f"Goals: {QUERY_GOAL}; {max(r.cards for r in results)}-card page under {TIME_GOAL_MS} ms (median).")
    print()
    print(f"{'cards':>5}  {'order':<8}  {'queries':>7}  {'median ms':>9}  {'min ms':>6}  {'median CPU ms':>13}")
    for r in results:
        queries = "/".join(str(count) for count in sorted(r.queries))
        print(
            f"{r.cards:>5}  {r.order:<8}  {queries:>7}  {statistics.median(r.wall_ms):>9.1f}  "
            f"{min(r.wall_ms):>6.1f}  {statistics.median(r.cpu_ms):>13.1f}"
        )
    print()
    for order in dict.fromkeys(r.order for r in results):
        rows = [r for r in results if r.order == order]
        counts = set().union(*(r.queries for r in rows))
        largest = max(rows, key=lambda r: r.cards)
        median = statistics.median(largest.wall_ms)
        print(
            f"{order}: queries {'constant' if len(counts) == 1 else 'GROW with the cards'} "
            f"({'/'.join(map(str, sorted(counts)))}); {largest.cards} cards {median:.1f} ms, "
            f"{'within' if median < TIME_GOAL_MS else 'OVER'} the {TIME_GOAL_MS} ms goal"
        )
    print("(CPU ms counts this process only: with PostgreSQL the server's work is not in it.)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=20, help="renders per row (default 20)")
    parser.add_argument("--sizes", default="10,50,200", help="card counts (default 10,50,200)")
    parser.add_argument(
        "--history-days", type=int, default=HISTORY_DAYS,
        help=f"days of hourly readings per sensor (default {HISTORY_DAYS})",
    )
    options = parser.parse_args()
    sizes = sorted({int(size) for size in options.sizes.split(",")})

    scratch = setup_django()
    from django.conf import settings
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            pages = make_pages(sizes, options.history_days)
            # On a real site the content is committed before anyone asks for it; this
            # transaction never commits (it is rolled back below), so what the commit would
            # do to each process's Sites table (ctylab.sites) is done here.
            from ctylab import sites

            sites.committed()
            results = measure(pages, options.renders)
            report(results, options.renders, options.history_days)
            raise Rollback
    except Rollback:
        pass
    finally:
        connection.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        # The test settings give every process a media directory of its own; ours is done.
        if Path(settings.MEDIA_ROOT).name.startswith("ctylab-test-media-"):
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
