"""Benchmark: the database search backend on PostgreSQL with 100,000 card documents.

    .venv/bin/python bench/search.py [--initiatives 2000] [--cards 50] [--queries 200]

It creates its own throwaway PostgreSQL database (``ctylab_bench_search_<pid>`` on
``BENCH_POSTGRES``, default ``postgres://postgres@127.0.0.1:5432``), migrates it, generates
initiatives with mixed cards (news, map, sensor, tender, election) whose text is drawn from a
Dutch/English vocabulary with a Zipf distribution, and drops the database at the end.

It prints:

- indexing time: a full rebuild of the index from the published pages, from empty;
- p50/p95 latency of text, text+facets and text+geo searches (the whole ``search.services``
  call: matching, ranking, counting, facet counts, highlights), with the median result count;
- peak memory of a full rebuild: Python allocations (tracemalloc) in this process, and the
  peak resident size of ``manage.py rebuild_search_index --force`` run as a child process.

Goals: p95 under 50 ms for each query type; the rebuild streams, peak under 500 MB. It also
prints, without a goal, browsing: the search page with no words (every document, with facets).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO)]

P95_GOAL_MS = 50
MEMORY_GOAL_MB = 500
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# Words residents use about their neighbourhood, Dutch and English, most common first.
COMMON_WORDS = """
buurt straat park bewoners samen zon energie groen tuin bomen school plein speeltuin
gemeente project plan nieuws vergadering avond bijeenkomst fiets fietsenstalling parkeren
zonnepanelen dak wijk buurthuis vrijwilligers kinderen jongeren ouderen koffie markt feest
water regen afval container compost moestuin bloemen bankje verlichting lantaarnpaal
veiligheid verkeer snelheid drempel stoep trottoir speelveld voetbal basketbal jeu boules
subsidie begroting offerte aanbesteding aannemer bestrating klinkers grind zand hek poort
stemming verkiezing voorstel keuze optie uitslag leden coöperatie vereniging stichting
neighbourhood street residents together solar energy green garden trees playground square
meeting evening community bicycle parking roof volunteers children youth coffee market
party water rain waste compost flowers bench lighting safety traffic speed pavement
budget quote tender contractor paving gravel fence vote election proposal choice result
members cooperative association sensor meter power temperature air quality noise reading
""".split()
CARD_MIX = ["news"] * 3 + ["map"] * 2 + ["iot"] * 1 + ["tender"] * 2 + ["election"] * 2
MUNICIPALITIES = [f"Gemeente {n:03d}" for n in range(1, 301)]
AMBITIONS = [
    "energie", "groen", "ontmoeting", "veiligheid", "mobiliteit", "zorg", "cultuur", "sport",
    "wonen", "water", "afval", "voedsel", "onderwijs", "kunst", "natuur", "klimaat",
]


# The most frequent words of running text, which nobody searches for.
FUNCTION_WORDS = """
de het een van en in op te dat is voor met niet aan er zijn om ook als maar bij nog uit
door naar wordt we ze je hij zij dit die wat wel al kan moet worden heeft hebben
the of and to a in is for on that with as was at by it be this from are or an we our
""".split()


class Vocabulary:
    """Running text: function words, then the residents' words, then rarer (invented) ones;
    the word of rank r is drawn with weight 1/(r+1), as in natural text (Zipf)."""

    def __init__(self, rng, size=20000):
        syllables = ["ka", "ro", "me", "ti", "lan", "ver", "sto", "bel", "win", "dor", "pe", "su", "gra", "ne"]
        invented = set()
        known = set(FUNCTION_WORDS) | set(COMMON_WORDS)
        target = size - len(known)
        while len(invented) < target:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if word not in known:
                invented.add(word)
        self.words = list(dict.fromkeys(FUNCTION_WORDS + COMMON_WORDS)) + sorted(invented)
        weights = [1.0 / (rank + 1) for rank in range(len(self.words))]
        total = sum(weights)
        cumulative, running = [], 0.0
        for weight in weights:
            running += weight / total
            cumulative.append(running)
        self.cumulative = cumulative
        self.rng = rng

    def words_(self, count):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, low, high):
        return " ".join(self.words_(self.rng.randint(low, high)))


def setup_django(database_url, migrate=True):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctylab.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in memory
    # Wagtail's own admin index is not what is measured; keep it out of the generation.
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
    }
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def create_database(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def card_value(kind, rng, vocabulary, now):
    title = vocabulary.text(1, 4).capitalize()
    if kind == "news":
        return {
            "title": title,
            "items": [
                {
                    "headline": vocabulary.text(3, 8).capitalize(),
                    "date": (date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat(),
                    "body": f"<p>{vocabulary.text(15, 60)}</p>",
                    "image": None,
                    "link": "",
                }
                for _ in range(rng.randint(1, 3))
            ],
        }
    if kind == "map":
        return {
            "title": title,
            "places": [
                {
                    "label": vocabulary.text(1, 3).capitalize(),
                    "description": vocabulary.text(5, 20),
                    "latitude": round(rng.uniform(50.8, 53.4), 5),
                    "longitude": round(rng.uniform(3.5, 7.1), 5),
                }
                for _ in range(rng.randint(1, 3))
            ],
            "geojson": "",
        }
    if kind == "iot":
        return {"title": title, "device": f"sensor-{rng.randint(1, 500)}", "metric": rng.choice(
            ["power", "temperature", "fijnstof", "geluid"]), "unit": "kW"}
    if kind == "tender":
        return {
            "title": title,
            "request": vocabulary.text(4, 10).capitalize(),
            "description": vocabulary.text(20, 80),
            "budget_min": "1000",
            "budget_max": "9000",
            "deadline": (now + timedelta(days=rng.randint(-60, 60))).isoformat(),
            "status": rng.choice(["open", "open", "closed", "awarded"]),
            "contact_name": "Bench Contact",
            "contact_email": "bench@example.org",
        }
    opens = now + timedelta(days=rng.randint(-30, 30))
    return {
        "title": title,
        "question": vocabulary.text(5, 12).capitalize() + "?",
        "description": vocabulary.text(10, 50),
        "options": [{"label": vocabulary.text(1, 3), "votes": None} for _ in range(3)],
        "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(days=rng.randint(1, 20))).isoformat(),
    }


class MutedSignals:
    """Model signals off while content is generated: other apps' per-initiative set-up (groups,
    collections), Wagtail's reference index and the search receivers are not what is measured,
    and the index is built afterwards by the rebuild that is timed."""

    def __enter__(self):
        from django.db.models import signals

        self.saved = []
        for signal in (signals.pre_save, signals.post_save, signals.m2m_changed):
            self.saved.append((signal, signal.receivers))
            signal.receivers = []
            signal.sender_receivers_cache.clear()

    def __exit__(self, *exc):
        for signal, receivers in self.saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def generate(initiatives, cards_per_initiative, rng, vocabulary):
    from django.utils import timezone
    from wagtail.models import Page, Site

    from initiatives.models import HomePage, InitiativePage

    now = timezone.now()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Ctylab", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    started = time.perf_counter()
    for number in range(initiatives):
        page = InitiativePage(
            title=f"{vocabulary.text(2, 4).capitalize()} {number}",
            slug=f"initiative-{number}",
            summary=vocabulary.text(15, 60),
            municipality=rng.choice(MUNICIPALITIES),
            latitude=Decimal(f"{rng.uniform(50.8, 53.4):.6f}"),
            longitude=Decimal(f"{rng.uniform(3.5, 7.1):.6f}"),
            live=True,
            cards=[
                {"type": kind, "value": card_value(kind, rng, vocabulary, now), "id": str(uuid.uuid4())}
                for kind in (rng.choice(CARD_MIX) for _ in range(cards_per_initiative))
            ],
        )
        page.ambitions.add(*rng.sample(AMBITIONS, rng.randint(1, 3)))
        home.add_child(instance=page)
        home.refresh_from_db(fields=["numchild", "path", "depth"])
        if (number + 1) % 200 == 0:
            print(f"  generated {number + 1}/{initiatives} initiatives "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    return home


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(label, queries, run, goal=True):
    from search import services

    for query in queries[:10]:
        services.search(query)  # warm caches
    timings, totals = [], []
    for query in queries:
        started = time.perf_counter()
        results = run(query)
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    verdict = ("ok" if p95 < P95_GOAL_MS else "OVER GOAL") if goal else "(no goal)"
    print(
        f"  {label:<12} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
        f"(median {statistics.median(totals):.0f} hits, max {max(totals)})   {verdict}"
    )
    return p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=50, help="cards per initiative")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument("--keep", action="store_true", help="keep the database (debugging)")
    parser.add_argument(
        "--reuse", metavar="NAME", help="measure queries on a database kept by --keep, and stop"
    )
    args = parser.parse_args()

    if args.reuse:
        setup_django(f"{SERVER}/{args.reuse}", migrate=False)
        measure_queries(args)
        return
    name = f"ctylab_bench_search_{os.getpid()}"
    create_database(name)
    database_url = f"{SERVER}/{name}"
    print(f"Database {name} ({'kept' if args.keep else 'dropped at the end'})")
    try:
        setup_django(database_url)
        run(args, database_url)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(name)


def run(args, database_url):
    from django.db import connection

    from search import services
    from search.models import SearchDocument

    rng = random.Random(args.seed)
    vocabulary = Vocabulary(rng)
    print(f"Generating {args.initiatives} initiatives x {args.cards} cards …", flush=True)
    started = time.perf_counter()
    with MutedSignals():
        generate(args.initiatives, args.cards, rng, vocabulary)
    print(f"  done in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    report = services.rebuild()
    indexing = time.perf_counter() - started
    cards = SearchDocument.objects.exclude(kind="initiative").count()
    total = SearchDocument.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ctylab_search_searchdocument")
        cursor.execute("VACUUM ANALYZE ctylab_search_indexedambition")
    print(
        f"Indexing (full rebuild from empty): {indexing:.1f} s for {report['pages']} initiatives, "
        f"{cards} card documents ({total} documents, {total / indexing:.0f}/s)"
    )

    results = measure_queries(args)
    measure_rebuild(database_url)
    if max(results) >= P95_GOAL_MS:
        print("At least one latency goal was missed.")


def measure_queries(args):
    from search import services
    from search.models import SearchDocument
    from search.query import Near, Query
    from search.text import parse

    query_rng = random.Random(args.seed + 1)
    places = list(SearchDocument.objects.filter(kind="initiative").values_list("latitude", "longitude"))

    def text_terms():
        words = query_rng.choices(COMMON_WORDS, k=query_rng.choice([1, 1, 2]))
        return parse(" ".join(words)).terms

    text_queries = [Query(terms=text_terms(), with_facets=False) for _ in range(args.queries)]
    facet_queries = [
        Query(
            terms=text_terms(),
            kinds=(query_rng.choice(["news", "tender", "election", "map", "iot", "initiative"]),),
            ambitions=tuple(query_rng.sample(AMBITIONS, 1)) if query_rng.random() < 0.5 else (),
        )
        for _ in range(args.queries)
    ]
    geo_queries = [
        Query(terms=text_terms(), near=Near(*query_rng.choice(places), query_rng.choice([5, 10, 25])))
        for _ in range(args.queries)
    ]
    print(f"Query latency, database backend on PostgreSQL ({args.queries} queries each, goal p95 < {P95_GOAL_MS} ms):")
    results = [
        measure("text", text_queries, services.search),
        measure("text+facets", facet_queries, services.search),
        measure("text+geo", geo_queries, services.search),
    ]
    # The search page without words: every document, with facet counts. Outside the goal,
    # which is for searches; shown because a visitor meets it first.
    browse_queries = [Query(page=query_rng.randint(1, 50)) for _ in range(max(args.queries // 10, 10))]
    measure("browse", browse_queries, services.search, goal=False)
    return results


def measure_rebuild(database_url):
    from search import services
    from search.models import SearchDocument

    SearchDocument.objects.all().delete()
    tracemalloc.start()
    started = time.perf_counter()
    services.rebuild()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Rebuild peak memory (Python allocations, tracemalloc): {peak / 2**20:.1f} MB "
          f"(rebuild took {seconds:.1f} s under tracing)")

    # A separate process, as an operator runs it. Its peak is read from /proc (VmHWM) by the
    # process itself: getrusage() on children would count the parent's memory too, which a
    # forked child shares until it runs the new program. Production settings: DEBUG off.
    child_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ctylab.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
    }
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", CHILD], env=child_env, check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    peak_mb = int(finished.stdout.split()[-1]) / 1024
    verdict = "ok" if peak_mb < MEMORY_GOAL_MB else "OVER GOAL"
    print(
        "Rebuild peak resident memory (manage.py rebuild_search_index --force, whole process): "
        f"{peak_mb:.0f} MB in {seconds:.1f} s   {verdict}"
    )


CHILD = f"""
import sys
sys.path[:0] = [{str(REPO / "site")!r}, {str(REPO)!r}]
import django
django.setup()
from django.core.management import call_command
call_command("rebuild_search_index", "--force", "--no-progress")
print([line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")][0])
"""

if __name__ == "__main__":
    main()
