"""The card catalogue: what site admins decide about each card type, presets and contracts.

A row of :class:`CardTypeEntry` exists for every card type that was ever registered (rows are
created automatically, see ``services.sync_card_types``); a type whose code disappeared keeps
its row and is shown as missing. Nothing here changes a block definition: switching a type
off only refuses new cards and, if the admin chooses, hides the existing ones.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from blocks.fields import CheckedJSONField
from blocks.registry import registry

from .contract import ContractBlock, ContractSummary
from .validators import partial_value_errors, validate_icon


class WhenDisabled(models.TextChoices):
    KEEP = "keep", _("Keep showing the cards already on pages")
    HIDE = "hide", _("Hide the cards already on pages (they are kept, not deleted)")


class CardTypeEntry(models.Model):
    name = models.CharField(
        _("card type"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("The name under which the card type is registered in code."),
    )
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("When switched off, editors cannot add new cards of this type. Cards already on pages are kept."),
    )
    when_disabled = models.CharField(
        _("when switched off"), max_length=8, choices=WhenDisabled.choices, default=WhenDisabled.KEEP
    )
    display_name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    display_name_nl = models.CharField(_("name (Dutch)"), max_length=80, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=600, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), max_length=600, blank=True)
    category = models.CharField(
        _("category"), max_length=60, blank=True, help_text=_("Editors filter the catalogue by category.")
    )
    icon = models.CharField(
        _("icon"),
        max_length=60,
        blank=True,
        validators=[validate_icon],
        help_text=_("A Wagtail admin icon name, for example “tasks”."),
    )
    help_text = models.TextField(
        _("help for editors"),
        max_length=2000,
        blank=True,
        help_text=_("Shown to editors in the catalogue: when to use this card and how."),
    )
    default_values = CheckedJSONField(
        _("default values"),
        default=dict,
        blank=True,
        help_text=_('Values a new card starts with, as JSON, e.g. {"title": "Our roof"}. Dates and times in ISO 8601.'),
    )
    contract = StreamField(
        ContractBlock(),
        blank=True,
        verbose_name=_("card contract template"),
        help_text=_("Goals, resources asked for and compensation offered that a new card of this type starts with."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("card type")
        verbose_name_plural = _("card types")
        ordering = ["category", "name"]

    def __str__(self):
        return str(self.display_name)

    @cached_property
    def card_type(self):
        """The registered CardType, or None when its code is gone."""
        return registry.get(self.name)

    @property
    def block(self):
        return self.card_type.block if self.card_type else None

    @property
    def is_missing(self):
        return self.card_type is None

    def _localised(self, english, dutch, from_block):
        # What the admin wrote in the visitor's language, else the card's own (translated) text.
        if (translation.get_language() or "").startswith("nl"):
            return dutch or from_block or english
        return english or from_block or dutch

    @property
    def display_name(self):
        block_label = self.block.meta.label if self.block else None
        return self._localised(self.display_name_en, self.display_name_nl, block_label) or self.name

    @property
    def description(self):
        block_description = self.block.meta.description if self.block else None
        return self._localised(self.description_en, self.description_nl, block_description) or ""

    @cached_property
    def contract_summary(self):
        return ContractSummary(self.contract)

    def clean(self):
        super().clean()
        if self.block is not None:
            problems = partial_value_errors(self.block, self.default_values)
            if problems:
                raise ValidationError({"default_values": problems})


class CardPreset(models.Model):
    """A named, pre-filled card (e.g. "Street party poll") that editors add in one step."""

    card_type = models.ForeignKey(
        CardTypeEntry, verbose_name=_("card type"), on_delete=models.PROTECT, related_name="presets"
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=600, blank=True)
    values = CheckedJSONField(
        _("values"),
        default=dict,
        blank=True,
        help_text=_("The card's values as JSON; they override the card type's default values."),
    )
    contract = StreamField(
        ContractBlock(),
        blank=True,
        verbose_name=_("card contract"),
        help_text=_("Leave empty to use the card type's contract template."),
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Presets are listed by position, lowest first.")
    )
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("Retired presets are kept but no longer offered to editors.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("card preset")
        verbose_name_plural = _("card presets")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def contract_terms(self):
        """The terms a card added from this preset starts with."""
        return self.contract if len(self.contract) else self.card_type.contract

    @cached_property
    def contract_summary(self):
        return ContractSummary(self.contract_terms)

    def clean(self):
        super().clean()
        if not self.card_type_id:
            return
        block = self.card_type.block
        if block is None:
            raise ValidationError(
                {"card_type": _("The code of this card type is missing, so presets of it cannot be changed.")}
            )
        problems = partial_value_errors(block, self.values)
        if problems:
            raise ValidationError({"values": problems})


class CardContract(models.Model):
    """The contract of one card on one page (cards are found by their stream block id)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    card_type = models.ForeignKey(CardTypeEntry, on_delete=models.PROTECT, related_name="contracts")
    terms = StreamField(ContractBlock(), blank=True, verbose_name=_("contract terms"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("card contract")
        verbose_name_plural = _("card contracts")
        constraints = [
            models.UniqueConstraint(fields=["page", "block_id"], name="card_contract_one_per_card")
        ]

    def __str__(self):
        return f"{self.card_type.name} {self.block_id} on page {self.page_id}"


class Starter(ClusterableModel):
    """A named bundle of presets (e.g. "Energy cooperative") that a new initiative starts with.

    An editor creates an initiative from a starter in one step (``services.start_initiative``):
    the page gets one card per preset, in this order, each with a copy of its preset's contract.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), max_length=600, blank=True, help_text=_("Shown to editors when they choose a starter.")
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Starters are listed by position, lowest first.")
    )
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("Retired starters are kept but no longer offered to editors.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("starter")
        verbose_name_plural = _("starters")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class StarterCard(Orderable):
    """One card of a starter: a preset, in the starter's order."""

    starter = ParentalKey(Starter, on_delete=models.CASCADE, related_name="cards")
    preset = models.ForeignKey(
        CardPreset,
        verbose_name=_("preset"),
        on_delete=models.PROTECT,
        related_name="starter_cards",
        help_text=_("The card, with its values and contract, that a new initiative starts with."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("starter card")
        verbose_name_plural = _("starter cards")

    def __str__(self):
        return f"{self.starter}: {self.preset}"
