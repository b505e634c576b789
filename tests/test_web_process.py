"""The web process keeps Python's default recursion limit and never loads web3.

web3 pulls in py_ecc, which raises the recursion limit of the whole process to 100,000; in a
process with that limit, deeply nested input overflows the C stack (a segfault, no response)
instead of raising RecursionError. Only the chain backends, used by the task worker and
commands, import web3. This test loads the WSGI application in a fresh interpreter, as a
server does, then everything a request can reach (the URL tree, every Wagtail hook, every
module of the project except the chain backends) and the system checks (``runserver`` runs
them in the serving process), and reads the limit and ``sys.modules``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Modules that exist to talk to the chain: the worker's and the commands' side.
CHAIN_MODULES = ("governance.backends.eth_tester", "governance.backends.jsonrpc")

PROBE = r"""
import importlib, json, pkgutil, sys
default_limit = sys.getrecursionlimit()
sys.path[:0] = [%(root)r]
import runpy
application = runpy.run_path(%(wsgi)r)["application"]
from django.core.management import call_command
from django.urls import get_resolver
from wagtail import hooks

def walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            walk(pattern.url_patterns)

walk(get_resolver().url_patterns)
hooks.search_for_hooks()
call_command("check", verbosity=0)
after_loading = sys.getrecursionlimit()
skipped = set(%(chain)r)
raised = []
for package in ("accounts", "blocks", "catalogue", "ctylab", "governance", "initiatives", "search"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if info.name in skipped or ".migrations" in info.name or ".settings." in info.name:
            continue
        before = sys.getrecursionlimit()
        importlib.import_module(info.name)
        if sys.getrecursionlimit() != before:
            raised.append(info.name)
print(json.dumps({
    "default": default_limit,
    "after_loading": after_loading,
    "limit": sys.getrecursionlimit(),
    "raising": raised,
    "chain_modules": sorted(name for name in ("web3", "eth_account", "py_ecc", "eth") if name in sys.modules),
}))
"""


def test_loading_the_web_process_keeps_the_recursion_limit_and_leaves_web3_out():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctylab.settings.production",
        "SECRET_KEY": "test-only-" + "x" * 50,
    }
    code = PROBE % {"root": str(ROOT), "wsgi": str(ROOT / "site" / "ctylab" / "wsgi.py"), "chain": CHAIN_MODULES}
    result = subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["after_loading"] == report["default"] == 1000
    assert report["raising"] == []
    assert report["limit"] == 1000
    assert report["chain_modules"] == []
