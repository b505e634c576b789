"""Rate limits are counted in the shared cache: two processes together get no more tries.

Each worker is a separate Python process running the site (tests/accounts/ratelimit_worker.py)
on a copy of the test database, with Redis on 127.0.0.1:6379 as cache (its own key prefix,
removed afterwards). The failed-login limit is 5 per address per 5 minutes.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from .conftest import PASSWORD

REDIS_URL = os.environ.get("CTYLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER = Path(__file__).with_name("ratelimit_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL} (the CI machine runs one on 127.0.0.1:6379)")
    return client


@pytest.fixture
def share_database(tmp_path):
    """Call it once the test's rows are committed: a DATABASE_URL another process can open."""
    return lambda: _share(tmp_path)


def _share(tmp_path):
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = tmp_path / "db.sqlite3"
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    if connection.vendor == "postgresql":
        user = settings_dict.get("USER") or "postgres"
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"
    pytest.skip(f"no way to share a {connection.vendor} test database with a subprocess")


def run_workers(database_url, email, password, attempts, prefix, count=2, shared_cache=True):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CTYLAB_RATELIMIT_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "tests.accounts.ratelimit_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
    }
    if shared_cache:
        env["CTYLAB_RATELIMIT_REDIS_URL"] = REDIS_URL
    else:
        env.pop("CTYLAB_RATELIMIT_REDIS_URL", None)
    start_at = time.time() + 4  # both are up (Django set up) before either starts
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), email, password, str(attempts), str(start_at)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.mark.django_db(transaction=True)
def test_failed_login_limit_holds_across_two_processes(make_resident, share_database):
    redis = redis_client()
    prefix = f"ctylab-test-{uuid.uuid4().hex}"
    make_resident(email="target@example.org")
    database_url = share_database()
    try:
        first, second = run_workers(database_url, "target@example.org", "wrong-guess", 6, prefix)
        outcomes = first + second
        # Twelve wrong guesses in all, five of them tried: the limit is per address, shared.
        assert outcomes.count("refused") == 5, (first, second)
        assert outcomes.count("limited") == 7, (first, second)
        assert "limited" in first and "limited" in second
        # The limit is respected afterwards, even with the right password, in a new process.
        (after,) = run_workers(database_url, "target@example.org", PASSWORD, 1, prefix, count=1)
        assert after == ["limited"]
        # Each key lives in Redis under this test's prefix only.
        assert redis.keys(f"{prefix}:*")
    finally:
        keys = redis.keys(f"{prefix}:*")
        if keys:
            redis.delete(*keys)


@pytest.mark.django_db(transaction=True)
def test_without_a_shared_cache_each_process_counts_alone(make_resident, share_database):
    """The control: with per-process memory caches the same run gets ten tries, not five."""
    make_resident(email="alone@example.org")
    database_url = share_database()
    first, second = run_workers(database_url, "alone@example.org", "wrong-guess", 6, "unused", shared_cache=False)
    assert first.count("refused") == 5 and second.count("refused") == 5


def test_login_limit_in_one_process(client, make_resident):
    make_resident(email="quick@example.org")
    answers = []
    for _attempt in range(6):
        response = client.post(reverse("account_login"), {"login": "quick@example.org", "password": "nope"})
        answers.append(b"Too many failed login attempts" in response.content)
    assert answers == [False] * 5 + [True]
    # Nothing was stored by the refused attempts: still no session.
    assert "_auth_user_id" not in client.session
