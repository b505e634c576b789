"""Page types of the platform: the home page and initiatives; and initiative domains."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, Site
from wagtail.search import index

from accounts.references import ReferencesInScopeMixin
from blocks import activity, pipeline
from blocks.fields import CardStreamField, CleanRichTextField
from blocks.lifecycle import check_cards, expiry_refusals
from blocks.panels import CardsPanel
from blocks.pipeline import CardOrder
from blocks.place_picker import PlacePanel
from blocks.registry import registry
from blocks.signals import announce_changed
from blocks.stream import card_keys, refuse_new_cards
from ctylab import ancestry

from . import domain_panel
from .hostnames import display_hostname, normalize_hostname

INITIATIVES_PER_PAGE = 24
# Wagtail hook: ``fn(page, request)`` returns None or an object with a ``template`` attribute,
# rendered below the initiative's cards with ``section`` in its context.
PAGE_SECTIONS_HOOK = "initiative_page_sections"


class ScopedPageForm(ReferencesInScopeMixin, WagtailAdminPageForm):
    """Wagtail's page form, refusing new references to other initiatives' files and pages and
    never showing them again (``accounts.references``)."""


class RoutesToInitiativesMixin:
    """Routing through a page whose children are initiatives, one query per step.

    Wagtail's ``Page.route`` fetches the child with the next slug as a plain Page, then its
    specific row. The children here are initiatives (``subpage_types``), so the child is
    fetched as one in the same query; a child of another type (made before the rule, or an
    alias) falls back to Wagtail's route. The parent stays on the child, as Wagtail leaves it,
    for ``ctylab.ancestry``.
    """

    def route(self, request, path_components):
        if path_components:
            child = InitiativePage.objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class HomePage(RoutesToInitiativesMixin, Page):
    """The platform's front page: every initiative, the most recently active first."""

    intro = CleanRichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["initiatives.InitiativePage"]
    parent_page_types = ["wagtailcore.Page"]
    base_form_class = ScopedPageForm

    class Meta:
        verbose_name = _("platform home page")

    def initiatives(self):
        # Read only: the clock re-sorts initiatives whose moment passed
        # (``initiatives.tasks.refresh_due_activity``), so a visitor's GET never writes.
        pages = ancestry.public_children(self, InitiativePage.objects.child_of(self).live())
        return pages.order_by(models.F("last_activity_at").desc(nulls_last=True), "path")

    def get_view_restrictions(self):
        # Wagtail's, from the ancestors the routing already fetched (ctylab.ancestry).
        return ancestry.view_restrictions(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.initiatives().prefetch_related("ambitions"), INITIATIVES_PER_PAGE)
        context["initiatives"] = paginator.get_page(request.GET.get("page"))
        return context


class InitiativeAmbition(TaggedItemBase):
    content_object = ParentalKey(
        "initiatives.InitiativePage", on_delete=models.CASCADE, related_name="tagged_ambitions"
    )


class InitiativePageForm(ScopedPageForm):
    """The page editor's form: new cards must be of a type the card policies allow, and
    anything chosen must be the editor's to use (``ScopedPageForm``).

    A card is new when it is in neither the content the editor started from (the latest
    draft, or the revision being restored) nor the published content; cards already stored
    stay whatever the policy says, so switching a card type off never loses content.
    """

    # The Domain panel's field (not stored on the page: see domain_panel.py).
    new_domain = domain_panel.domain_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kept before the form writes the edited cards into the instance.
        self.cards_before = self.instance.cards
        domain_panel.prepare(self)

    def clean_new_domain(self):
        return domain_panel.clean(self, self.cleaned_data.get("new_domain"))

    def stored_card_keys(self):
        keys = card_keys(self.cards_before)
        if self.instance.pk:
            published = (
                InitiativePage.objects.filter(pk=self.instance.pk).values_list("cards", flat=True).first()
            )
            keys |= card_keys(published)
        return keys

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("cards") is not None:
            try:
                refuse_new_cards(
                    cleaned_data["cards"], self.stored_card_keys, registry.policy(self.instance)
                )
                # What cards stand for elsewhere (an election card's vote) may refuse an edit.
                check_cards(self.instance, cleaned_data["cards"])
                expire_at = cleaned_data.get("expire_at")
                if expire_at:
                    for message in expiry_refusals(self.instance, cleaned_data["cards"], expire_at):
                        self.add_error("expire_at", message)
            except ValidationError as error:
                self.add_error("cards", error)
        return cleaned_data


def content_languages():
    """The languages an initiative may be written in: the site's own (read when used, so a
    project's LANGUAGES is never frozen into a migration)."""
    return settings.LANGUAGES


class InitiativePage(RoutesToInitiativesMixin, Page):
    summary = models.TextField(_("summary"), max_length=600)
    # Citizen initiatives here write in Dutch, whatever language a visitor reads the site in;
    # the texts carry this language so that screen readers pronounce them right (WCAG 3.1.2).
    content_language = models.CharField(
        _("language of the texts"),
        max_length=10,
        choices=content_languages,
        default="nl",
        help_text=_("The language this initiative's title, summary and cards are written in."),
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    ambitions = ClusterTaggableManager(
        verbose_name=_("ambitions"), through=InitiativeAmbition, blank=True
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cards = CardStreamField(verbose_name=_("cards"), blank=True)
    card_order = models.CharField(
        _("order of the cards"),
        max_length=10,
        choices=CardOrder.choices,
        default=CardOrder.ACTIVITY,
        help_text=_("Visitors see the cards in this order."),
    )
    # Derived on save; not edited by people.
    card_stamps = models.JSONField(default=dict, blank=True, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    next_moment_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("content_language"),
        MultiFieldPanel(
            [
                FieldPanel("municipality"),
                PlacePanel("latitude", "longitude"),
            ],
            heading=_("Place"),
        ),
        FieldPanel("ambitions"),
        FieldPanel("hero_image"),
        FieldPanel("card_order"),
        CardsPanel("cards"),
        domain_panel.DomainPanel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("municipality"),
        index.SearchField("cards"),
        index.FilterField("municipality"),
    ]
    parent_page_types = ["initiatives.HomePage", "initiatives.InitiativePage"]
    subpage_types = ["initiatives.InitiativePage"]
    base_form_class = InitiativePageForm

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Give both latitude and longitude, or neither.")}
            )

    # --- activity and order ----------------------------------------------------------

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "cards" in update_fields:
            self.refresh_card_stamps()
            self.refresh_activity()
            if update_fields is not None:
                kwargs["update_fields"] = {
                    *update_fields, "card_stamps", "last_activity_at", "next_moment_at"
                }
        return super().save(*args, **kwargs)

    def refresh_card_stamps(self):
        old_raw = None
        if self.pk:
            stored = (
                InitiativePage.objects.filter(pk=self.pk).values_list("cards", flat=True).first()
            )
            old_raw = getattr(stored, "raw_data", stored)
        new_raw = self.cards.get_prep_value() if hasattr(self.cards, "get_prep_value") else []
        self.card_stamps = activity.stamp_changes(old_raw, new_raw, self.card_stamps or {})

    def refresh_activity(self, now=None):
        """Set ``last_activity_at`` and ``next_moment_at`` from the cards visitors see (the
        card pipeline, ``blocks.pipeline``: the same cards and times as the page and search)."""
        now = now or timezone.now()
        latest, upcoming = pipeline.page_activity(pipeline.cards_for_display(self, now=now), now)
        self.last_activity_at = latest or self.last_published_at
        self.next_moment_at = upcoming

    @classmethod
    def refresh_due_activity(cls, pages=None, now=None):
        """Re-sort initiatives whose scheduled moment (a deadline, an opening) has passed, and
        announce them (their cards look different now); return their ids. Run by the clock
        (``initiatives.tasks.refresh_due_activity``), never in a visitor's request."""
        now = now or timezone.now()
        due = (pages if pages is not None else cls.objects.all()).filter(next_moment_at__lte=now)
        refreshed = []
        for page in due.iterator():
            page.refresh_activity(now)
            InitiativePage.objects.filter(pk=page.pk).update(
                last_activity_at=page.last_activity_at, next_moment_at=page.next_moment_at
            )
            refreshed.append(page.pk)
        announce_changed(refreshed)
        return refreshed

    def cards_for_display(self, now=None):
        """The cards visitors see, in order, without live contexts (``blocks.pipeline``)."""
        return pipeline.cards_for_display(self, now=now)

    def get_view_restrictions(self):
        # Wagtail's, from the ancestors the routing already fetched (ctylab.ancestry).
        return ancestry.view_restrictions(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Policy, additions, live contexts (each app answers for all its cards at once),
        # activity and order: one pipeline for the page, search and the clock.
        context["cards"] = cards = pipeline.cards_for_display(self, request)
        context["fresh_for"] = activity.seconds_fresh(cards)
        context["sub_initiatives"] = (
            ancestry.public_children(self, InitiativePage.objects.child_of(self).live()).order_by("title")
        )
        # Other apps add sections below the cards (governance: members' proposals).
        context["page_sections"] = [
            section for make in hooks.get_hooks(PAGE_SECTIONS_HOOK) if (section := make(self, request))
        ]
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Caches in front keep the page no longer than it looks the same (see frontend_cache).
        fresh_for = (getattr(response, "context_data", None) or {}).get("fresh_for")
        if fresh_for is not None:
            patch_cache_control(response, s_maxage=fresh_for)
        return response

    @cached_property
    def ambition_names(self):
        return [tag.name for tag in self.ambitions.all()]


class InitiativeDomain(models.Model):
    """A hostname on which an initiative is served; each is a Wagtail Site rooted at it."""

    hostname = models.CharField(
        _("domain name"),
        max_length=253,
        unique=True,
        help_text=_("For example bloemkwartier.nl — without http:// or a path."),
    )
    initiative = models.ForeignKey(
        InitiativePage,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    site = models.OneToOneField(
        Site, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiative domain")
        verbose_name_plural = _("initiative domains")
        ordering = ["hostname"]

    def __str__(self):
        return display_hostname(self.hostname)

    def save(self, *args, **kwargs):
        self.hostname = normalize_hostname(self.hostname)
        with transaction.atomic():
            site = self.site or Site()
            site.hostname = self.hostname
            site.port = settings.CTYLAB_DOMAIN_PORT
            site.root_page_id = self.initiative_id
            site.site_name = self.initiative.title[:255]
            site.is_default_site = False
            site.save()
            self.site = site
            super().save(*args, **kwargs)

    def clean(self):
        try:
            self.hostname = normalize_hostname(self.hostname)
        except ValidationError as error:
            raise ValidationError({"hostname": error}) from None
        if self.hostname in {host.lower() for host in settings.CTYLAB_PLATFORM_HOSTS}:
            raise ValidationError({"hostname": _("This is the platform's own domain.")})
        others = Site.objects.filter(hostname=self.hostname)
        if self.site_id:
            others = others.exclude(pk=self.site_id)
        if others.exists():
            raise ValidationError({"hostname": _("This domain is already in use by another site.")})

    @property
    def display_name(self):
        return display_hostname(self.hostname)


class DomainRequest(models.Model):
    """An editor's request for a domain for their initiative, which a site admin decides on.

    Approving attaches an ``InitiativeDomain`` (and with it a Wagtail Site); refusing keeps
    the reason, which the editor reads on the initiative's editor page and in an e-mail.
    The operations are in ``initiatives.domains``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a site admin")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    hostname = models.CharField(_("domain name"), max_length=253)
    initiative = models.ForeignKey(
        InitiativePage,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="domain_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("domain request")
        verbose_name_plural = _("domain requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Two editors asking for the same name at once: one request waits, the other is told.
            models.UniqueConstraint(
                fields=["hostname"],
                condition=models.Q(status="pending"),
                name="initiatives_one_pending_request_per_domain",
            ),
        ]

    def __str__(self):
        return display_hostname(self.hostname)

    @property
    def display_name(self):
        return display_hostname(self.hostname)
