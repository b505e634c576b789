"""Benchmark: what the card catalogue costs an initiative page (10, 50 and 200 cards).

    .venv/bin/python bench/catalogue.py [--renders 20] [--sizes 10,50,200]

Uses the pages of ``bench/render.py`` (all five card types mixed), gives every card a contract
(goals, resources, compensation), switches ``tender`` off (existing ones keep showing) and
``map`` off with "hide", then renders each page with the catalogue and, for comparison, with
no card policy at all. For each it prints the SQL queries per render, how many of them are the
catalogue's, and the median milliseconds per render.

Goal: the catalogue costs one query per render whatever the number of cards.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import render  # noqa: E402  (bench/render.py: settings, database and the benchmark pages)

CONTRACT = [
    {"type": "participants_goal", "value": {"label": "Members", "target": 120}},
    {"type": "amount_goal", "value": {"label": "Invested", "target": "60000", "unit": "€"}},
    {"type": "deadline_goal", "value": {"label": "Panels on the roof", "date": "2030-06-01", "days_after_adding": None}},
    {"type": "resource", "value": {"what": "Volunteers for the installation day", "amount": "12"}},
    {"type": "compensation", "value": {"what": "A share of the yield", "details": "By investment."}},
]


def add_contracts(pages):
    from catalogue.models import CardContract, CardTypeEntry
    from catalogue.services import sync_card_types

    sync_card_types()
    entries = {entry.name: entry for entry in CardTypeEntry.objects.all()}
    CardTypeEntry.objects.filter(name="tender").update(enabled=False, when_disabled="keep")
    CardTypeEntry.objects.filter(name="map").update(enabled=False, when_disabled="hide")
    for page in pages.values():
        CardContract.objects.bulk_create(
            CardContract(page=page, block_id=child.id, card_type=entries[child.block_type], terms=CONTRACT)
            for child in page.cards
        )


def measure_page(client, page, renders):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, catalogue_counts, times = set(), set(), []
    client.get(page.url)  # warm-up
    for _ in range(renders):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(page.url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {page.url} answered {response.status_code}")
        counts.add(len(queries))
        catalogue_counts.add(sum("catalogue_" in query["sql"] for query in queries))
    return counts, catalogue_counts, statistics.median(times), response.content.count(b"data-contract-for=")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--sizes", default="10,50,200")
    options = parser.parse_args()
    sizes = sorted({int(size) for size in options.sizes.split(",")})

    scratch = render.setup_django()
    from unittest import mock

    from django.db import connection, transaction
    from django.test import Client

    from blocks.registry import CardPolicy, registry

    print(f"Catalogue cost per initiative page render on {connection.vendor} ({options.renders} renders per row)")
    print("Every card has a contract; tender is switched off (kept), map is switched off (hidden).\n")
    print(f"{'cards':>5}  {'policy':<10}  {'queries':>7}  {'catalogue':>9}  {'contracts':>9}  {'median ms':>9}")
    try:
        with transaction.atomic():
            pages = render.make_pages(sizes)
            add_contracts(pages)
            client = Client()
            for size, page in pages.items():
                for label in ("catalogue", "none"):
                    # The baseline is a site without the catalogue: the registry's default
                    # policy in place of the hooks' combined one. Everything else is real.
                    patch = (
                        mock.patch.object(registry, "policy", lambda page=None: CardPolicy())
                        if label == "none"
                        else contextlib.nullcontext()
                    )
                    with patch:
                        counts, catalogue, median, contracts = measure_page(client, page, options.renders)
                    print(
                        f"{size:>5}  {label:<10}  {'/'.join(map(str, sorted(counts))):>7}  "
                        f"{'/'.join(map(str, sorted(catalogue))):>9}  {contracts:>9}  {median:>9.1f}"
                    )
            raise render.Rollback
    except render.Rollback:
        pass
    finally:
        connection.close()
        if scratch:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
