"""What is asked of a search backend, and what it answers: the same for every backend."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.functional import cached_property

from .models import INITIATIVE

RELEVANCE, RECENT = "relevance", "recent"
SORTS = (RELEVANCE, RECENT)
KIND, AMBITION, MUNICIPALITY = "kind", "ambition", "municipality"
FACETS = (KIND, AMBITION, MUNICIPALITY)
# Elasticsearch's geo_distance uses this mean radius; the database uses it too, so both
# draw the same circle.
EARTH_RADIUS_KM = 6371.0087714


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    km: float

    def bounding_box(self):
        """(south, north, west, east), or None for the longitudes when the box wraps."""
        lat_delta = math.degrees(self.km / EARTH_RADIUS_KM)
        south, north = max(-90.0, self.latitude - lat_delta), min(90.0, self.latitude + lat_delta)
        if south <= -90.0 or north >= 90.0:
            return south, north, None, None
        ratio = math.sin(self.km / EARTH_RADIUS_KM) / math.cos(math.radians(self.latitude))
        if ratio >= 1.0:
            return south, north, None, None
        lon_delta = math.degrees(math.asin(ratio))
        west, east = self.longitude - lon_delta, self.longitude + lon_delta
        if west < -180.0 or east > 180.0:
            return south, north, None, None
        return south, north, west, east


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), the formula the database backend runs in SQL."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Query:
    """A search: terms (all must match), filters, facets wanted, order and page."""

    terms: tuple = ()
    kinds: tuple = ()
    ambitions: tuple = ()
    municipalities: tuple = ()
    open_now: bool = False
    near: Near | None = None
    sort: str = RELEVANCE
    page: int = 1
    page_size: int = 20
    scope: str = ""  # tree path of the site's root page; "" is everything
    with_facets: bool = True
    now: datetime = field(default_factory=timezone.now)

    @property
    def effective_sort(self):
        """Relevance needs something to be relevant to; without terms, recent first."""
        return self.sort if self.terms and self.sort in SORTS else RECENT

    def selected(self, facet):
        return {KIND: self.kinds, AMBITION: self.ambitions, MUNICIPALITY: self.municipalities}[
            facet
        ]

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    key: str
    kind: str
    title: str
    url: str
    initiative_title: str
    site_id: int | None = None
    municipality: str = ""
    ambitions: list = field(default_factory=list)
    activity_at: datetime | None = None
    openable: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    body: str = ""
    # Text with MARK_START/MARK_END around matches (see search.highlight), or "".
    title_marked: str = ""
    snippet_marked: str = ""
    distance_km: float | None = None
    language: str = ""  # of the title and text, for their lang attribute

    @property
    def is_initiative(self):
        return self.kind == INITIATIVE

    def is_open(self, now=None):
        if not self.openable:
            return False
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class Results:
    query: Query
    hits: list
    total: int
    page: int
    facets: dict = field(default_factory=dict)  # facet name -> [FacetCount], most first
    backend: str = ""
    degraded: bool = False  # answered by the fallback because the configured backend is away

    @cached_property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.query.page_size))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def first_number(self):
        return (self.page - 1) * self.query.page_size + 1 if self.hits else 0

    @property
    def last_number(self):
        return self.first_number + len(self.hits) - 1 if self.hits else 0
