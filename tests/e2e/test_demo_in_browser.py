"""End to end: the demo initiative in Debian's Chromium, checked by axe-core.

The Django site runs in pytest-django's live server on 127.0.0.1 (see conftest.py). The node
script check_page.mjs drives /usr/bin/chromium through playwright-core, maps *.localhost to
127.0.0.1, blocks every other host (the network is closed: map tiles never load and the map
card's list of places is what remains), runs axe-core and prints what it found as JSON.
"""

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from initiatives.demo import load_demo_content
from tests.browser import ROOT, skip_without_browser
from tests.conftest import ensure_wagtail_tree

SCRIPT = Path(__file__).with_name("check_page.mjs")
CARD_TYPES = {"news", "map", "iot", "tender", "election"}
BLOCKING_IMPACTS = {"serious", "critical"}
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
ACCENT = "rgb(0, 98, 58)"  # --accent in site.css: the header has it only when the CSS applied

# transaction=True: the live server's thread must see the demo content. Such a test ends by
# flushing the database (post_migrate then restores content types, permissions and the
# catalogue's rows, not Wagtail's tree root), so load_demo() first rebuilds what Wagtail's data
# migrations made. Not serialized_rollback: reloading the serialised rows collides with the
# rows that the catalogue's post_migrate sync re-creates after another test's flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))




def describe(violations):
    """axe's violations as readable lines: rule, impact, help and the failing nodes."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


@pytest.fixture
def check_page(tmp_path):
    """check_page(url, name): the report of check_page.mjs; screenshot in tmp_path/name.png."""
    node = shutil.which("node")

    def check(url, name):
        screenshot = tmp_path / f"{name}.png"
        try:
            run = subprocess.run(
                [node, str(SCRIPT), url, str(screenshot)],
                cwd=ROOT, capture_output=True, text=True, timeout=90,
            )
        except subprocess.TimeoutExpired as error:
            pytest.fail(f"check_page.mjs did not finish for {url}:\n{error.stderr or ''}")
        assert run.returncode == 0, f"check_page.mjs failed for {url}:\n{run.stderr}"
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"check_page.mjs printed no JSON:\n{run.stdout}\n{run.stderr}")
        (tmp_path / f"{name}.json").write_text(json.dumps(report, indent=2))
        print(f"{url}: screenshot {screenshot}")
        if report["violations"]:
            print("axe, all impacts:\n" + describe(report["violations"]))
        for result in report["incomplete"]:
            print(f"axe needs review: {result['id']} ({result['impact']}) on {result['nodes']}")
        return report

    return check


def load_demo():
    """The demo platform, on the tree root that Wagtail's migrations normally create."""
    ensure_wagtail_tree()
    load_demo_content("e2e-demo-password")


def assert_loaded(report):
    assert report["status"] == 200, f"{report['url']} answered {report['status']}"
    css = [s for s in report["stylesheets"] if (s["href"] or "").endswith("/ctylab/site.css")]
    assert css and css[0]["rules"], f"site.css did not load: {report['stylesheets']}"
    assert report["headerBackground"] == ACCENT, f"site.css not applied: {report['headerBackground']}"
    local_failures = [
        failure for failure in report["failedRequests"]
        if urlsplit(failure["url"]).path != "/favicon.ico"
    ]
    assert not local_failures, f"requests to the test server failed: {local_failures}"
    assert not report["consoleErrors"], f"errors in the browser console: {report['consoleErrors']}"


def assert_accessible(report):
    blocking = [v for v in report["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe {report['axeVersion']} found serious or critical violations on {report['url']}"
        f" (screenshot: {report['screenshot']}):\n" + describe(blocking)
    )


def test_demo_initiative_on_its_own_domain(live_server, check_page):
    load_demo()
    url = f"http://zonnedak.localhost:{live_server.thread.port}/"

    report = check_page(url, "zonnedak")

    assert_loaded(report)
    assert report["headings"][0] == "Zonnedak De Kroon", report["headings"]
    cards = report["cards"]
    assert sorted(card["type"] for card in cards) == sorted(CARD_TYPES), f"cards: {cards}"
    hidden = [card for card in cards if not (card["visible"] and card["width"] and card["height"])]
    assert not hidden, f"cards not visible: {hidden}"
    for card in cards:
        activity = card["activity"]
        assert activity and ISO_8601.match(activity), (
            f"{card['type']} card: data-activity={activity!r} is not an ISO 8601 time"
        )
        assert datetime.fromisoformat(activity).tzinfo is not None, activity
    assert_accessible(report)


def test_platform_home_page(live_server, check_page):
    load_demo()
    url = f"http://127.0.0.1:{live_server.thread.port}/"

    report = check_page(url, "platform-home")

    assert_loaded(report)
    assert "Zonnedak De Kroon" in report["headings"], report["headings"]
    assert_accessible(report)
