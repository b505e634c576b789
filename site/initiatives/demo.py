"""Demo content: a platform with three initiatives modelled on real Dutch cases.

Everything is looked up by slug or hostname before it is created, so running the command
again changes nothing (readings are unique per moment, so they are not doubled either).
"""

import math
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from blocks.models import Device, Metric, Reading
from blocks.sensors.ingest import refresh_rollups

from .models import HomePage, InitiativeDomain, InitiativePage

DEMO_ADMIN = "admin"
DEMO_ADMIN_EMAIL = "admin@ctylab.localhost"


def card(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ctylab-demo/{kind}/{value.get('title')}"))}


def solar_cards(now):
    return [
        card("iot", {"title": "Opbrengst zonnedak", "device": "dak-buurthuis", "metric": "vermogen", "unit": "kW"}),
        card("news", {"title": "Nieuws van de coöperatie", "items": [
            {"headline": "120 panelen liggen op het dak van het buurthuis", "date": (now - timedelta(days=3)).date().isoformat(),
             "body": "<p>Dankzij 86 leden uit de wijk is het dak nu vol. De eerste stroom ging zaterdag het net op.</p>", "image": None, "link": ""},
            {"headline": "Ledenvergadering over de tweede dakronde", "date": (now - timedelta(days=20)).date().isoformat(),
             "body": "<p>We zoeken daken van scholen en de sporthal voor ronde twee.</p>", "image": None, "link": "https://www.hieropgewekt.nl/"},
        ]}),
        card("map", {"title": "Onze daken", "places": [
            {"label": "Buurthuis De Kroon", "description": "120 panelen, 36 kWp", "latitude": 52.0894, "longitude": 5.1101},
            {"label": "Basisschool De Regenboog", "description": "Kandidaat voor ronde twee", "latitude": 52.0912, "longitude": 5.1149},
        ], "geojson": ""}),
        card("tender", {"title": "Offerte gevraagd", "request": "Installateur voor 200 panelen op de sporthal",
                        "description": "Inclusief omvormers, montage en vijf jaar onderhoud.", "budget_min": "40000", "budget_max": "65000",
                        "deadline": (now + timedelta(days=21)).replace(microsecond=0).isoformat(), "status": "open",
                        "contact_name": "Femke de Vries", "contact_email": "daken@zonnedak.example"}),
        card("election", {"title": "Ledenbesluit", "question": "Hoe verdelen we de opbrengst van 2026?",
                          "description": "Eén lid, één stem.", "options": [
                              {"label": "Terug naar de leden"}, {"label": "Naar het buurtfonds"},
                              {"label": "Half om half"}],
                          "opens_at": (now - timedelta(days=3)).replace(second=0, microsecond=0).isoformat(),
                          "closes_at": (now + timedelta(days=11)).replace(second=0, microsecond=0).isoformat()}),
    ]


def boules_cards(now):
    return [
        card("tender", {"title": "Offerte voor de baan", "request": "Aanleg jeu-de-boulesbaan van 15 bij 4 meter",
                        "description": "Halfverharding met opsluitbanden, inclusief afvoer van de grond.", "budget_min": "6000", "budget_max": "9500",
                        "deadline": (now + timedelta(days=10)).replace(microsecond=0).isoformat(), "status": "open",
                        "contact_name": "Henk Jansen", "contact_email": "baan@pleintje.example"}),
        card("news", {"title": "Nieuws uit de straat", "items": [
            {"headline": "Gemeente geeft toestemming voor het pleintje", "date": (now - timedelta(days=6)).date().isoformat(),
             "body": "<p>De wijkwethouder kwam zelf een balletje gooien.</p>", "image": None, "link": ""},
        ]}),
        card("map", {"title": "Waar komt de baan?", "places": [
            {"label": "Pleintje Lindenstraat", "description": "Naast de speeltuin", "latitude": 51.4416, "longitude": 5.4697},
        ], "geojson": '{"type": "Feature", "properties": {"name": "Plangebied"}, "geometry": {"type": "Polygon", "coordinates": [[[5.4694, 51.4414], [5.4700, 51.4414], [5.4700, 51.4418], [5.4694, 51.4418], [5.4694, 51.4414]]]}}'}),
        card("iot", {"title": "Bezoekers per dag", "device": "teller-pleintje", "metric": "bezoekers", "unit": ""}),
        card("election", {"title": "Kies de naam", "question": "Hoe gaat de baan heten?", "description": "",
                          "options": [{"label": "Het Boulodroom"}, {"label": "De Lindenbaan"}],
                          "opens_at": (now - timedelta(days=2)).replace(microsecond=0).isoformat(),
                          "closes_at": (now + timedelta(days=12)).replace(microsecond=0).isoformat()}),
    ]


def park_cards(now):
    return [
        card("election", {"title": "Stemming over het ontwerp", "question": "Welk ontwerp kiest de buurt voor het Wilhelminapark?",
                          "description": "Drie ontwerpen, gemaakt in de buurtateliers.", "options": [
                              {"label": "Ontwerp A: speelheuvel"}, {"label": "Ontwerp B: wadi en bloemenweide"},
                              {"label": "Ontwerp C: pluktuin"}],
                          "opens_at": (now - timedelta(days=1)).replace(microsecond=0).isoformat(),
                          "closes_at": (now + timedelta(days=13)).replace(microsecond=0).isoformat()}),
        card("map", {"title": "Het park", "places": [
            {"label": "Ingang Parkweg", "description": "", "latitude": 52.0766, "longitude": 4.3130},
            {"label": "Oude vijver", "description": "Wordt in ontwerp B een wadi", "latitude": 52.0772, "longitude": 4.3141},
        ], "geojson": ""}),
        card("news", {"title": "Uit de ateliers", "items": [
            {"headline": "Derde buurtatelier: 64 bewoners tekenden mee", "date": (now - timedelta(days=9)).date().isoformat(),
             "body": "<p>De drie ontwerpen staan nu online.</p>", "image": None, "link": ""},
        ]}),
        card("iot", {"title": "Bodemvocht bij de vijver", "device": "vijver-sensor", "metric": "bodemvocht", "unit": "%"}),
        card("tender", {"title": "Ontwerpbureau gezocht", "request": "Uitwerking van het gekozen ontwerp", "description": "",
                        "budget_min": None, "budget_max": "25000",
                        "deadline": (now - timedelta(days=5)).replace(microsecond=0).isoformat(), "status": "awarded",
                        "contact_name": "", "contact_email": ""}),
    ]


INITIATIVES = [
    {
        "slug": "zonnedak-de-kroon", "title": "Zonnedak De Kroon", "hostname": "zonnedak.localhost",
        "summary": "Een energiecoöperatie van buren die samen zonnepanelen legt op daken in de wijk.",
        "municipality": "Utrecht", "latitude": "52.089400", "longitude": "5.110100",
        "ambitions": ["duurzame energie", "samen investeren"], "cards": solar_cards,
    },
    {
        "slug": "jeu-de-boules-lindenstraat", "title": "Jeu de boules in de Lindenstraat", "hostname": "boules.localhost",
        "summary": "De straat wil een jeu-de-boulesbaan op het pleintje, aangelegd door een lokale stratenmaker.",
        "municipality": "Eindhoven", "latitude": "51.441600", "longitude": "5.469700",
        "ambitions": ["ontmoeten", "buitenspelen"], "cards": boules_cards,
    },
    {
        "slug": "wilhelminapark-samen", "title": "Wilhelminapark: samen ontwerpen", "hostname": "park.localhost",
        "summary": "Buurtbewoners bepalen mee hoe het park eruit komt te zien, van ontwerp tot onderhoud.",
        "municipality": "Den Haag", "latitude": "52.076600", "longitude": "4.313000",
        "ambitions": ["groen", "meebeslissen"], "cards": park_cards,
    },
]


def readings(now):
    """A week of hourly solar power, daily visitor counts and soil moisture."""
    start = (now - timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    rows = []
    for hour in range(7 * 24 + 1):
        moment = start + timedelta(hours=hour)
        local_hour = timezone.localtime(moment).hour
        sun = max(0.0, math.sin(math.pi * (local_hour - 6) / 14)) if 6 <= local_hour <= 20 else 0.0
        rows.append(Reading(device="dak-buurthuis", metric="vermogen", measured_at=moment,
                            value=round(36 * sun * (0.75 + 0.25 * math.cos(hour / 9)), 2)))
        rows.append(Reading(device="vijver-sensor", metric="bodemvocht", measured_at=moment,
                            value=round(31 + 4 * math.sin(hour / 11), 1)))
    for day in range(14):
        rows.append(Reading(device="teller-pleintje", metric="bezoekers",
                            measured_at=(now - timedelta(days=14 - day)).replace(hour=21, minute=0, second=0, microsecond=0),
                            value=12 + (day * 7) % 19))
    return rows


# The demo's sensors, registered with their initiative so that sensor cards show their names and
# editors can choose them. No token is issued: an editor rotates one in the admin to connect a
# real device. {initiative slug: [(key, name, latitude, longitude, [(metric key, name, unit, min, max)])]}
DEMO_DEVICES = {
    "zonnedak-de-kroon": [
        ("dak-buurthuis", "Dak van buurthuis De Kroon", 52.0894, 5.1101, [("vermogen", "Vermogen", "kW", 0, 60)]),
    ],
    "jeu-de-boules-lindenstraat": [
        ("teller-pleintje", "Teller op het pleintje", None, None, [("bezoekers", "Bezoekers", "", 0, 10000)]),
    ],
    "wilhelminapark-samen": [
        ("vijver-sensor", "Sensor bij de vijver", 52.0766, 4.313, [("bodemvocht", "Bodemvocht", "%", 0, 100)]),
    ],
}


def register_demo_devices():
    for slug, devices in DEMO_DEVICES.items():
        page = InitiativePage.objects.filter(slug=slug).first()
        for key, name, latitude, longitude, metrics in devices:
            if page is None or Device.objects.filter(key=key).exists():
                continue
            device = Device.objects.create(initiative=page, key=key, name=name, latitude=latitude, longitude=longitude)
            for order, (metric_key, metric_name, unit, minimum, maximum) in enumerate(metrics):
                Metric.objects.create(device=device, sort_order=order, key=metric_key, name=metric_name,
                                      unit=unit, minimum=minimum, maximum=maximum)


PARK_VOTE_TITLE = "Stemming over het ontwerp"


def park_vote(admin, now):
    """The park's election card is a live vote (publishing the page created it), with the demo
    admin as frontrunner. Returns the vote when the admin became its frontrunner now, else None."""
    from governance import services
    from governance.models import Proposal, Role

    page = InitiativePage.objects.get(slug="wilhelminapark-samen")
    election = next(
        (child for child in page.cards if child.block_type == "election" and child.value["title"] == PARK_VOTE_TITLE),
        None,
    )
    if election is None or services.active_membership(page.pk, admin) is not None:
        return None
    services.join(page, admin, Role.FRONTRUNNER, now=now)
    services.sync_page(page, admin, now=now)  # pages published before cards were votes
    return Proposal.objects.filter(initiative=page, election_block_id=election.id).first()


def platform_home():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(
            title="Ctylab — buurtinitiatieven", slug="ctylab",
            intro="<p>Lokale initiatieven organiseren zich hier: met kaarten voor nieuws, plekken, metingen, offertes en besluiten.</p>",
        ))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    hostname, port = settings.CTYLAB_DEMO_HOST, settings.CTYLAB_DOMAIN_PORT
    if (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port):
        old_root = site.root_page if site.pk else None
        site.hostname, site.port, site.root_page, site.site_name = hostname, port, home, "Ctylab"
        site.save()
        if old_root and old_root.pk != home.pk and old_root.slug == "home" and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's placeholder "Welcome" page
    return home


def demo_admin(password):
    """The demo's superuser, ready for a first sign-in: its address is verified (allauth
    signs nobody in with an unverified one) and it has an authenticator app and recovery
    codes, as every admin user must (``demo_sign_in`` says what to type)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    User = get_user_model()
    admin = User.objects.filter(username=DEMO_ADMIN).first()
    if admin is None:
        admin = User.objects.create_superuser(DEMO_ADMIN, DEMO_ADMIN_EMAIL, password)
    EmailAddress.objects.update_or_create(
        user=admin, email=admin.email, defaults={"verified": True, "primary": True}
    )
    # A profile, as sign-up gives every resident: the admin is a frontrunner of the park.
    from accounts.services import create_profile

    create_profile(admin, display_name="Demo-beheerder")
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, generate_totp_secret())
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(admin)
    return admin


def demo_sign_in():
    """What the demo admin types at the two-factor step, as ``{"email", "secret",
    "totp_url", "recovery_codes"}``: the app's secret (base32, RFC 6238) to add to an
    authenticator app, or one of the unused single-use recovery codes."""
    from allauth.mfa.adapter import get_adapter as get_mfa_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.utils import decrypt

    admin = get_user_model().objects.get(username=DEMO_ADMIN)
    totp = Authenticator.objects.get(user=admin, type=Authenticator.Type.TOTP)
    secret = decrypt(totp.data["secret"])
    codes = RecoveryCodes(Authenticator.objects.get(user=admin, type=Authenticator.Type.RECOVERY_CODES))
    unused = codes.get_unused_codes()
    if not unused:  # all used up: a fresh set, as the admin's own "regenerate" would give
        Authenticator.objects.filter(user=admin, type=Authenticator.Type.RECOVERY_CODES).delete()
        unused = RecoveryCodes.activate(admin).get_unused_codes()
    return {
        "email": admin.email,
        "secret": secret,
        "totp_url": get_mfa_adapter().build_totp_url(admin, secret),
        "recovery_codes": unused,
    }


@transaction.atomic
def load_demo_content(password, now=None):
    now = now or timezone.now()
    home = platform_home()
    demo_readings = readings(now)
    Reading.objects.bulk_create(demo_readings, ignore_conflicts=True)
    # Sensor cards' longer chart ranges and meter yields read the hourly roll-ups.
    for device, metric in {(reading.device, reading.metric) for reading in demo_readings}:
        moments = [r.measured_at for r in demo_readings if (r.device, r.metric) == (device, metric)]
        refresh_rollups(device, metric, min(moments), max(moments))
    created = []
    for spec in INITIATIVES:
        page = InitiativePage.objects.filter(slug=spec["slug"]).first()
        if page is None:
            page = InitiativePage(
                title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                municipality=spec["municipality"], latitude=spec["latitude"], longitude=spec["longitude"],
                cards=spec["cards"](now), card_order="activity",
            )
            home.add_child(instance=page)
            page.ambitions.add(*spec["ambitions"])
            page.save_revision().publish()
            created.append(page.title)
        if not InitiativeDomain.objects.filter(hostname=spec["hostname"]).exists():
            InitiativeDomain.objects.create(hostname=spec["hostname"], initiative=page)
    register_demo_devices()
    # Served on another port than last time (make run PORT=8100): every link follows.
    Site.objects.filter(pk__in=InitiativeDomain.objects.values("site")).exclude(
        port=settings.CTYLAB_DOMAIN_PORT
    ).update(port=settings.CTYLAB_DOMAIN_PORT)
    parent = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    if not InitiativePage.objects.filter(slug="zonnedak-ronde-twee").exists():
        child = InitiativePage(
            title="Ronde twee: de sporthal", slug="zonnedak-ronde-twee",
            summary="De tweede ronde van de coöperatie: 200 panelen op de sporthal.",
            municipality="Utrecht", cards=[], card_order="manual",
        )
        parent.add_child(instance=child)
        child.save_revision().publish()
        created.append(child.title)
    admin = demo_admin(password)
    vote = park_vote(admin, now)
    if vote is not None:
        created.append(f"Live vote: {vote.title}")
    return created
