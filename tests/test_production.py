"""The production recipe runs: gunicorn, production settings, PostgreSQL, Redis, real SMTP.

The site is set up the way README "Production" says (migrate, collectstatic, demo content) in
a database of its own (the test database's name plus ``_production``, dropped afterwards),
started under gunicorn from an unrelated working directory with ``DEBUG`` off, and visited over
HTTP as a TLS-terminating reverse proxy would forward the requests (``X-Forwarded-Proto``).
Sign-up e-mail goes over SMTP to a local aiosmtpd catcher.

Runs on the PostgreSQL run of the suite (``DATABASE_URL=postgres://…``), needs Redis at
127.0.0.1:6379 (``CTYLAB_TEST_REDIS_URL``), and skips otherwise.
"""

import html
import http.client
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
REDIS_URL = os.environ.get("CTYLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"),
]

# Run through `manage.py shell` with the production settings: an image on the solar
# initiative's first news item, so the page shows a rendition made by the running server.
ADD_IMAGE = textwrap.dedent(
    """
    import io
    from PIL import Image as Picture
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image
    from initiatives.models import InitiativePage

    buffer = io.BytesIO()
    Picture.new("RGB", (800, 450), (250, 180, 0)).save(buffer, "PNG")
    image = Image.objects.create(title="Het dak", file=ImageFile(buffer, name="dak.png"))
    page = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    cards = [dict(card) for card in page.cards.raw_data]
    news = next(card for card in cards if card["type"] == "news")
    item = news["value"]["items"][0]
    (item["value"] if "value" in item else item)["image"] = image.pk  # ListBlock's two formats
    page.cards = cards
    page.save_revision().publish()
    """
)


class Mailbox:
    """aiosmtpd handler keeping every message it receives (a real SMTP conversation)."""

    def __init__(self):
        self.messages = []
        self.received = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.received:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            self.received.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, recipient, timeout=15):
        deadline = time.monotonic() + timeout
        with self.received:
            while True:
                for message in self.messages:
                    if recipient in message["To"]:
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no e-mail to {recipient} within {timeout} s")
                self.received.wait(remaining)


class Client:
    """Talks to gunicorn as the reverse proxy would: plain HTTP, ``X-Forwarded-Proto: https``."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, host="localhost", body=None, headers=None, proxied=True):
        # Generous: the first page with an image makes its rendition, on a possibly busy machine.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        sent = {"Host": host, **(headers or {})}
        if proxied:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            body = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.content = response.read()
        response.text = response.content.decode("utf-8", "replace")
        response.set_cookies = response.headers.get_all("Set-Cookie") or []
        for cookie in response.set_cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, body=data, **kwargs)


def database_url(name):
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def admin_connection():
    import psycopg

    database = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=database.get("USER") or "postgres",
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
        autocommit=True,
    )


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    return client


def start_gunicorn(env, cwd):
    """gunicorn on a free port (bound to port 0); returns the process and its port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "2",
         "--timeout", "300", "--pythonpath", str(ROOT / "site"), "ctylab.wsgi"],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    log = []
    deadline = time.monotonic() + 60
    port = None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        log.append(line)
        if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line):
            port = int(match.group(1))
        if port and "Booting worker" in line:
            break
    if port is None:
        process.kill()
        raise AssertionError("gunicorn did not start:\n" + "".join(log) + process.stderr.read())
    # Keep draining the log so a chatty server never blocks on a full pipe.
    threading.Thread(target=lambda: [log.append(line) for line in process.stderr], daemon=True).start()
    process.log = log
    return process, port


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    from aiosmtpd.controller import Controller

    redis = redis_client()
    name = f"{settings.DATABASES['default']['NAME']}_production"
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    class AnyPortController(Controller):
        def _trigger_server(self):
            # Bound to port 0: learn the port the system chose before the first connection.
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    mailbox = Mailbox()
    smtp = AnyPortController(mailbox, hostname="127.0.0.1", port=0)
    smtp.start()
    smtp_port = smtp.port

    tmp = tmp_path_factory.mktemp("production")
    prefix = f"ctylab-production-test-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH"}}
    env.update(
        DJANGO_SETTINGS_MODULE="ctylab.settings.production",
        SECRET_KEY=f"production-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        DATABASE_URL=database_url(name),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        CTYLAB_PLATFORM_HOSTS="localhost",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        CTYLAB_VAR_DIR=str(tmp / "var"),
        ACCOUNTS_AVATAR_ROOT=str(tmp / "avatars"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        DEFAULT_FROM_EMAIL="Ctylab <noreply@ctylab.test>",
        LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    # From a directory that is not the repository: manage.py and wsgi.py find the code themselves.
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo_content", "--force"],
                    ["shell", "-c", ADD_IMAGE]):
        done = subprocess.run([*manage, *command], env=env, cwd=tmp, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"manage.py {command[0]} failed:\n{done.stderr[-3000:]}"

    # The application server gets its settings module from wsgi.py's default.
    del env["DJANGO_SETTINGS_MODULE"]
    server, port = start_gunicorn(env, cwd=tmp)
    try:
        yield {"client": Client(port), "mailbox": mailbox, "media": tmp / "media", "redis": redis,
               "prefix": prefix, "server": server}
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.stop()
        for key in redis.scan_iter(match=f"{prefix}:*"):
            redis.delete(key)
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def test_pages_are_served_with_debug_off(production):
    client = production["client"]
    home = client.get("/")
    assert home.status == 200
    assert "Zonnedak De Kroon" in home.text
    assert not home.set_cookies, "an anonymous visit sets no cookie, so a cache may keep it"
    # An initiative on its own domain.
    initiative = client.get("/", host="zonnedak.localhost")
    assert initiative.status == 200
    assert "<h1" in initiative.text and "Zonnedak De Kroon" in initiative.text
    # DEBUG is off: a missing page is the site's own 404, not Django's technical page.
    missing = client.get("/no-such-page/")
    assert missing.status == 404
    assert "URLconf" not in missing.text and "DEBUG = True" not in missing.text
    # Unknown hosts are refused; plain HTTP is sent to HTTPS.
    assert client.get("/", host="unknown.example").status == 400
    redirect = client.get("/", proxied=False)
    assert redirect.status == 301 and redirect.headers["Location"] == "https://localhost/"
    assert "max-age=31536000" in client.get("/").headers["Strict-Transport-Security"]


def test_static_files_come_hashed_compressed_and_cached_for_a_year(production):
    client = production["client"]
    stylesheet = re.search(r'href="(/static/ctylab/site\.[0-9a-f]{12}\.css)"', client.get("/").text)
    assert stylesheet, "the page links the stylesheet under its content-hashed name"
    response = client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/static/ctylab/no-such-file.css").status == 404


def test_uploaded_images_are_served_and_documents_are_not(production):
    client = production["client"]
    page = client.get("/", host="zonnedak.localhost")
    rendition = re.search(r'<img[^>]+src="(/media/images/dak[^"]+)"', page.text)
    assert rendition, "the news item shows its image as a rendition under /media/"
    response = client.get(html.unescape(rendition.group(1)))
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    # A second visit with the date it got is answered without the file.
    again = client.get(rendition.group(1), headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert again.status == 304

    # Documents sit under MEDIA_ROOT too but are served only through /documents/<id>/ (privacy).
    documents = production["media"] / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "minutes.txt").write_text("private minutes")
    assert client.get("/media/documents/minutes.txt").status == 404
    assert client.get("/media/../manage.py").status in {400, 404}
    assert client.get("/media/%2e%2e/manage.py").status in {400, 404}


def test_sign_up_sends_the_verification_mail_over_smtp(production):
    client = Client(production["client"].port)  # a visitor of their own (cookies)
    form = client.get("/accounts/signup/")
    assert form.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    address = f"ada-{uuid.uuid4().hex[:6]}@example.org"
    password = "a-long-and-unusual-passphrase-42"
    response = client.post(
        "/accounts/signup/",
        {"csrfmiddlewaretoken": token, "display_name": "Ada", "email": address,
         "password1": password, "password2": password},
        headers={"Referer": "https://localhost/accounts/signup/"},
    )
    assert response.status == 302, response.text[:2000]
    assert response.headers["Location"] == "/accounts/confirm-email/"

    message = production["mailbox"].wait_for(address)
    assert message["From"] == "Ctylab <noreply@ctylab.test>"
    assert message["Subject"].startswith("[Ctylab] ")
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https://localhost(/accounts/confirm-email/[^\s]+)", body)
    assert link, "the verification link uses https and the host the visitor signed up on"

    confirm = client.get(link.group(1))
    assert confirm.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text).group(1)
    done = client.post(link.group(1), {"csrfmiddlewaretoken": token},
                       headers={"Referer": f"https://localhost{link.group(1)}"})
    assert done.status == 302
    # Verified and signed in: the session cookie is Secure and HttpOnly.
    session = next(cookie for cookie in done.set_cookies if cookie.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session
    # Sign-up attempts are counted in Redis, shared by both workers.
    assert any(production["redis"].scan_iter(match=f"{production['prefix']}:*"))

