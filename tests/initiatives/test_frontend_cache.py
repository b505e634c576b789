"""A real Varnish in front of the site (site/ctylab/deploy/varnish.vcl) keeps anonymous pages
and loses exactly the ones that changed when an editor publishes, moves or re-domains.

Varnish (Debian's ``varnish``) listens on a free port of 127.0.0.1 and forwards to the site
served from a thread of this test process; Wagtail purges through ``WAGTAILFRONTENDCACHE``.
Skipped where ``varnishd`` is not installed.
"""

import datetime
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Site

from blocks.importers import import_readings
from initiatives.models import InitiativeDomain

VCL = Path(__file__).resolve().parents[2] / "site" / "ctylab" / "deploy" / "varnish.vcl"

pytestmark = pytest.mark.skipif(not shutil.which("varnishd"), reason="needs Varnish (Debian package varnish)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site_server(transactional_db):
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture
def varnish(site_server, settings):
    # Varnish reads the VCL and runs its worker as its own users: not in pytest's private tmp_path.
    workdir = Path(tempfile.mkdtemp(prefix="ctylab-varnish-"))
    workdir.chmod(0o755)
    vcl = workdir / "ctylab.vcl"
    backend_port = site_server.thread.port
    vcl.write_text(re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text(), count=1))
    vcl.chmod(0o644)
    port = free_port()
    process = subprocess.Popen(
        ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-T", "none", "-f", str(vcl), "-n", str(workdir / "varnish"),
         "-s", "malloc,32m", "-t", "120"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("varnishd did not start:\n" + process.stdout.read())
            time.sleep(0.2)
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                    "LOCATION": f"http://127.0.0.1:{port}"}
    }
    yield port
    process.terminate()
    process.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)


class Visitor:
    def __init__(self, port, cookie=None, language=None):
        self.port, self.cookie, self.language = port, cookie, language

    def get(self, path, host="testserver"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.language:
            headers["Accept-Language"] = self.language
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        connection.close()
        return response


def republish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_anonymous_pages_are_kept_until_published(varnish, make_initiative, home):
    page = make_initiative(title="Zonnedak De Kroon", slug="zonnedak")
    visitor = Visitor(varnish)
    first = visitor.get("/zonnedak/")
    assert first.status == 200 and first.headers["X-Cache"] == "MISS"
    again = visitor.get("/zonnedak/")
    assert again.headers["X-Cache"] == "HIT" and "Zonnedak De Kroon" in again.text
    assert visitor.get("/").status == 200 and visitor.get("/").headers["X-Cache"] == "HIT"
    dutch = Visitor(varnish, language="nl-NL,nl;q=0.9,en;q=0.8")
    assert '<html lang="nl">' in dutch.get("/zonnedak/").text
    assert dutch.get("/zonnedak/").headers["X-Cache"] == "HIT"

    republish(page, title="Zonnedak De Kroon (ronde twee)")
    # The page in both languages, and the home page that lists it, are fetched anew.
    for reader in (visitor, dutch):
        fresh = reader.get("/zonnedak/")
        assert fresh.headers["X-Cache"] == "MISS" and "ronde twee" in fresh.text
    listing = visitor.get("/")
    assert listing.headers["X-Cache"] == "MISS" and "ronde twee" in listing.text

    # Unpublished: gone from the cache too.
    page.unpublish()
    assert visitor.get("/zonnedak/").status == 404


def test_signed_in_visitors_are_never_served_from_the_cache(varnish, make_initiative, home):
    make_initiative(title="Zonnedak", slug="zonnedak")
    member = Visitor(varnish, cookie="sessionid=abc123; django_language=en")
    assert member.get("/zonnedak/").headers["X-Cache"] == "MISS"
    assert member.get("/zonnedak/").headers["X-Cache"] == "MISS"
    # A cookie other than the language is ignored: the anonymous copy is shared.
    anonymous = Visitor(varnish, cookie="csrftoken=xyz; _ga=1")
    anonymous.get("/zonnedak/")
    assert Visitor(varnish).get("/zonnedak/").headers["X-Cache"] == "HIT"


def test_a_slug_change_and_a_move_purge_the_old_addresses(varnish, make_initiative, home):
    parent = make_initiative(title="Wijkfonds", slug="wijkfonds")
    page = make_initiative(title="Zonnedak", slug="zonnedak")
    visitor = Visitor(varnish)
    for path in ("/zonnedak/", "/wijkfonds/"):
        visitor.get(path)
        assert visitor.get(path).headers["X-Cache"] == "HIT"

    republish(page, slug="zonnedak-kroon")
    # Not the cached old page: Wagtail's redirect to the new address.
    old = visitor.get("/zonnedak/")
    assert old.status == 301 and old.headers["Location"].endswith("/zonnedak-kroon/")
    assert visitor.get("/zonnedak-kroon/").status == 200

    visitor.get("/zonnedak-kroon/")
    page.refresh_from_db()
    page.move(parent, pos="last-child")
    moved = visitor.get("/zonnedak-kroon/")
    assert moved.status == 301 and moved.headers["Location"].endswith("/wijkfonds/zonnedak-kroon/")
    assert visitor.get("/wijkfonds/zonnedak-kroon/").status == 200
    assert visitor.get("/wijkfonds/").headers["X-Cache"] == "MISS"  # it lists the newcomer


def test_a_changed_domain_purges_the_old_one(varnish, make_initiative, home):
    page = make_initiative(title="Zonnedak", slug="zonnedak")
    domain = InitiativeDomain.objects.create(hostname="zonnedak.example", initiative=page)
    visitor = Visitor(varnish)
    assert visitor.get("/", host="zonnedak.example").status == 200
    assert visitor.get("/", host="zonnedak.example").headers["X-Cache"] == "HIT"

    site = Site.objects.get(pk=domain.site_id)
    site.hostname = "zonnedak-kroon.example"
    site.save()
    # The old domain is no longer the site's: not answered from the cache.
    assert visitor.get("/", host="zonnedak.example").status == 400


def test_changes_without_an_edit_purge_and_the_language_cookie_is_one_variant(varnish, make_initiative, home):
    sensor = {"type": "iot", "value": {"title": "Yield", "device": "roof-1", "metric": "power", "unit": "kW"},
              "id": "sensor-1"}
    make_initiative(title="Zonnedak", slug="zonnedak", cards=[sensor])
    moment = timezone.now().replace(microsecond=0)
    import_readings(["device,metric,measured_at,value", f"roof-1,power,{moment.isoformat()},12.5"])
    visitor = Visitor(varnish)
    first = visitor.get("/zonnedak/")
    assert "12.5" in first.text and first.headers["Vary"] == "Accept-Language"
    assert "s-maxage=" in first.headers["Cache-Control"]  # a live card: kept a short while
    assert visitor.get("/zonnedak/").headers["X-Cache"] == "HIT"

    # New readings, through the import: announced, and Varnish purged.
    import_readings(["device,metric,measured_at,value",
                     f"roof-1,power,{(moment + datetime.timedelta(seconds=1)).isoformat()},17.25"])
    fresh = visitor.get("/zonnedak/")
    assert fresh.headers["X-Cache"] == "MISS" and "17.25" in fresh.text

    # The language cookie picks the Dutch copy, shared with Accept-Language: nl.
    by_cookie = Visitor(varnish, cookie="django_language=nl; _ga=1").get("/zonnedak/")
    assert '<html lang="nl">' in by_cookie.text
    by_header = Visitor(varnish, language="nl").get("/zonnedak/")
    assert by_header.headers["X-Cache"] == "HIT" and '<html lang="nl">' in by_header.text
