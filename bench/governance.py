"""Benchmark: ballots per second with concurrent voters, and the gas of anchoring a decision.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctylab_bench \\
        .venv/bin/python bench/governance.py [--voters 500] [--threads 32] [--rounds 2]
                                             [--gas-sizes 10,10000]

1. ``--voters`` members each cast ``--rounds`` ballots (a vote, then changes) through
   ``governance.services.cast_ballot``, from ``--threads`` threads with their own database
   connections; it prints ballots per second and checks that exactly one ballot per member
   was stored.
2. For each of ``--gas-sizes`` it closes a proposal with that many ballots and deploys its
   decision contract on the configured chain (the in-process EVM unless GOVERNANCE_CHAIN
   says otherwise), printing the gas used. Goal: the same order of gas for 10 and 10,000
   ballots — one transaction per decision holding only the Merkle root of the receipts.

Without DATABASE_URL the database is a throwaway SQLite file (SQLite serialises writers, so
its ballots per second say little). On PostgreSQL the benchmark's rows are deleted at the
end; it needs a database of its own, as the concurrent part cannot run inside a rollback.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO)]

GAS_GOAL = "same order of gas for 10 and 10,000 ballots"
DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"
UNUSABLE = "!bench"  # an unusable password hash: bench users cannot log in


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctylab.settings.test")
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="ctylab-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return scratch


def make_initiative(tag):
    from wagtail.models import Page

    from initiatives.models import InitiativePage

    root = Page.get_first_root_node()
    page = InitiativePage(
        title=f"Bench {tag}", slug=f"bench-governance-{tag}", summary="Bench", municipality="Bench"
    )
    root.add_child(instance=page)
    return page


def make_members(initiative, count, tag):
    from django.contrib.auth import get_user_model

    from governance.models import Membership, Role

    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-{tag}-{i}", password=UNUSABLE) for i in range(count)]
    )
    Membership.objects.bulk_create(
        [Membership(initiative=initiative, user=user, role=Role.PARTICIPANT) for user in users]
    )
    return users


def open_proposal(initiative, frontrunner, title, now):
    from governance import services
    from governance.models import ProposalKind

    proposal = services.propose(
        initiative,
        frontrunner,
        title=title,
        kind=ProposalKind.OPTIONS,
        options=["Oak", "Lime", "Birch"],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
        now=now,
    )
    return services.open_proposal(proposal, frontrunner, now=now)


def measure_ballots(initiative, frontrunner, voters, threads, rounds):
    from django.db import connection, connections
    from django.utils import timezone

    from governance import services
    from governance.models import Ballot

    proposal = open_proposal(initiative, frontrunner, "Concurrent ballots", timezone.now())
    jobs = [(voter, (n + r) % 3) for r in range(rounds) for n, voter in enumerate(voters)]

    def vote_all(chunk):
        # One connection per thread, kept for all its ballots, as a web worker would.
        timings = []
        try:
            for voter, choice in chunk:
                started = time.perf_counter()
                services.cast_ballot(proposal, voter, choice)
                timings.append(time.perf_counter() - started)
        finally:
            connections.close_all()
        return timings

    # Round-robin chunks: a voter's ballots of different rounds run in different threads.
    chunks = [jobs[i::threads] for i in range(threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = [t for timings in pool.map(vote_all, chunks) for t in timings]
    elapsed = time.perf_counter() - started
    stored = Ballot.objects.filter(proposal=proposal).count()
    print(f"Database: {connection.vendor}; {len(voters)} voters x {rounds} ballots, {threads} threads")
    print(f"  {len(jobs)} ballots in {elapsed:.2f} s = {len(jobs) / elapsed:.0f} ballots/s")
    latencies.sort()
    print(
        f"  latency per ballot: median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms"
    )
    print(
        f"  ballots stored: {stored} (expected {len(voters)}) -> {'OK' if stored == len(voters) else 'WRONG'}"
    )
    return stored == len(voters)


def measure_gas(initiative, frontrunner, voters_needed, sizes, tag):
    """Close a proposal with ``size`` ballots and deploy its decision; returns gas per size."""
    from django.test import override_settings
    from django.utils import timezone

    from governance import merkle, services
    from governance.backends import get_backend
    from governance.models import Ballot
    from governance.services.ballots import new_receipt_code, receipt_lookup

    voters = make_members(initiative, max(sizes), f"{tag}-gas")
    gas = {}
    for size in sizes:
        earlier = timezone.now() - timedelta(hours=2)
        proposal = open_proposal(initiative, frontrunner, f"Gas for {size} ballots", earlier)
        ballots = []
        for n, voter in enumerate(voters[:size]):
            code = new_receipt_code()
            choice = n % 3
            ballots.append(
                Ballot(
                    proposal=proposal,
                    voter=voter,
                    choice=choice,
                    receipt_lookup=receipt_lookup(code),
                    leaf=merkle.ballot_leaf(proposal.uuid, code, choice),
                )
            )
        Ballot.objects.bulk_create(ballots, batch_size=2000)
        started = time.perf_counter()
        # Queue the anchoring task without running it, to time closing and deploying apart.
        with override_settings(TASKS={"default": {"BACKEND": DUMMY_TASKS}}):
            decision = services.close_proposal(proposal, now=timezone.now())
        closing = time.perf_counter() - started
        started = time.perf_counter()
        deployment = services.anchor(decision.deployment.pk)
        anchoring = time.perf_counter() - started
        if deployment.status != "confirmed":
            print(f"  {size} ballots: deployment {deployment.status}: {deployment.last_error}")
            continue
        gas[size] = deployment.gas_used
        print(
            f"  {size:>6} ballots: gas {deployment.gas_used:,} "
            f"(closing with tally and Merkle root {closing * 1000:.0f} ms, "
            f"signing + sending + receipt {anchoring * 1000:.0f} ms, "
            f"chain {deployment.chain_id})"
        )
    backend = get_backend()
    print(f"  chain backend: {type(backend).__name__}")
    return gas


def cleanup(initiative, tag):
    from django.contrib.auth import get_user_model

    from governance.models import Ballot, Decision, Deployment, LogEntry, Membership, Proposal

    proposals = Proposal.objects.filter(initiative=initiative)
    Deployment.objects.filter(decision__proposal__in=proposals).delete()
    Decision.objects.filter(proposal__in=proposals).delete()
    Ballot.objects.filter(proposal__in=proposals).delete()
    proposals.delete()
    LogEntry.objects.filter(initiative=initiative).delete()
    Membership.objects.filter(initiative=initiative).delete()
    get_user_model().objects.filter(username__startswith=f"bench-{tag}-").delete()
    initiative.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="ballots per voter (default 2)")
    parser.add_argument("--gas-sizes", default="10,10000")
    options = parser.parse_args()
    sizes = sorted({int(size) for size in options.gas_sizes.split(",")})

    scratch = setup_django()
    from django.contrib.auth import get_user_model

    from governance import services
    from governance.models import Role

    tag = uuid.uuid4().hex[:8]
    initiative = make_initiative(tag)
    try:
        frontrunner = get_user_model().objects.create_user(username=f"bench-{tag}-frontrunner")
        services.join(initiative, frontrunner, Role.FRONTRUNNER)
        voters = make_members(initiative, options.voters, tag)
        ok = measure_ballots(initiative, frontrunner, voters, options.threads, options.rounds)
        print("Gas of one decision deployment:")
        gas = measure_gas(initiative, frontrunner, max(sizes), sizes, tag)
        if len(gas) >= 2:
            low, high = gas[min(gas)], gas[max(gas)]
            ratio = high / low
            print(
                f"  {max(gas)} vs {min(gas)} ballots: x{ratio:.3f} -> "
                f"{'OK' if ratio < 2 else 'NOT MET'} ({GAS_GOAL})"
            )
        if not ok:
            sys.exit(1)
    finally:
        cleanup(initiative, tag)
        from django.db import connection

        connection.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
