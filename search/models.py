"""The search index as database rows: documents, the ambitions they are filed under, the
updates still owed to a remote index.

``SearchDocument`` holds every document any backend serves, built only from published,
public pages. The database backend searches these rows (through PostgreSQL's ``tsvector``
column or SQLite's FTS5 table, both created by migration 0002); the Elasticsearch backend
copies them to its index and falls back on them when the cluster is away.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INITIATIVE = "initiative"


class SearchDocument(models.Model):
    """One initiative, or one card of an initiative, as search results show it."""

    key = models.CharField(_("key"), max_length=160, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    # "initiative", or the card type's name ("news", "tender", a plug-in card's name …).
    kind = models.CharField(_("kind"), max_length=64)
    block_id = models.CharField(_("card id"), max_length=64, blank=True)
    # The initiative's tree path: a site's search is the documents under its root page.
    path = models.CharField(_("tree path"), max_length=255, db_index=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField(_("address"), max_length=2048)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    # Dutch stems of title and body, for databases without a Dutch text configuration
    # (SQLite); empty where the database stems Dutch itself (PostgreSQL).
    stems = models.TextField(_("Dutch stems"), blank=True)
    initiative_title = models.CharField(_("initiative"), max_length=255)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    ambitions = models.JSONField(_("ambitions"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # "Open now" (tenders, elections): open when ``openable`` and
    # opens_at <= now < closes_at, a missing bound being no bound.
    openable = models.BooleanField(_("can be open"), default=False)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    activity_at = models.DateTimeField(_("latest activity"), null=True, blank=True)
    # When the document must be rebuilt because time alone changes it (a deadline passes).
    refresh_at = models.DateTimeField(_("refresh at"), null=True, blank=True, db_index=True)
    # The language of the texts (a language code, as for HTML's lang attribute), or "".
    language = models.CharField(_("language"), max_length=10, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    indexed_at = models.DateTimeField(_("indexed at"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["kind"], name="search_doc_kind"),
            models.Index(fields=["municipality"], name="search_doc_municipality"),
            models.Index(fields=["page", "kind"], name="search_doc_page_kind"),
            models.Index(fields=["latitude", "longitude"], name="search_doc_location"),
            # The "most recent activity first" index is in migration 0002: PostgreSQL needs
            # NULLS LAST, which SQLite cannot say in an index (and does not need).
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="search_doc_location_valid",
            )
        ]

    def __str__(self):
        return self.key


class IndexedAmbition(models.Model):
    """An ambition of an indexed initiative; its documents (cards too) are filed under it."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("indexed ambition")
        verbose_name_plural = _("indexed ambitions")
        constraints = [
            models.UniqueConstraint(fields=["page", "name"], name="search_ambition_once_per_page")
        ]
        indexes = [models.Index(fields=["name", "page"], name="search_ambition_name")]

    def __str__(self):
        return self.name


class PendingUpdate(models.Model):
    """A page whose documents a remote index (Elasticsearch) must still be brought in step with.

    Written in the same transaction as the documents, so no change is lost when the cluster
    is away; applied by a task, oldest first, and kept a while after as the record a rebuild
    replays.
    """

    page_id = models.BigIntegerField(_("page id"))
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending search update")
        verbose_name_plural = _("pending search updates")
        indexes = [
            models.Index(fields=["applied_at", "id"], name="search_pending_queue"),
            models.Index(fields=["queued_at"], name="search_pending_queued"),
        ]

    def __str__(self):
        return f"page {self.page_id} ({'applied' if self.applied_at else 'pending'})"
