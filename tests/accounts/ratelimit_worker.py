"""One web process of the rate-limit test: signs in several times and reports the answers.

Run as ``python ratelimit_worker.py EMAIL PASSWORD ATTEMPTS START_AT``; it waits until the
epoch time START_AT so that two workers hit the site at the same moment, then prints one
JSON list: for each attempt "ok", "refused" (wrong password) or "limited".
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.accounts.ratelimit_settings")


def main(email, password, attempts, start_at):
    import django

    django.setup()
    from django.test import Client

    client = Client(REMOTE_ADDR="192.0.2.10")
    time.sleep(max(0.0, start_at - time.time()))
    results = []
    for _attempt in range(attempts):
        response = client.post("/accounts/login/", {"login": email, "password": password})
        if response.status_code == 302:
            results.append("ok")
            client.post("/accounts/logout/")
        elif response.status_code == 429 or b"Too many failed login attempts" in response.content:
            results.append("limited")
        else:
            results.append("refused")
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
