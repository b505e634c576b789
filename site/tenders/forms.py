"""Forms of the public tender pages. Field checks that decide what is stored live in the
services (``services.bidding.clean_quote``); these forms only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.external_votes import ELECTORATE_CHOICES, RULE_CHOICES

from .conf import app_settings
from .models import Organisation

RESIDENT = "resident"


class QuoteForm(forms.Form):
    bid_as = forms.ChoiceField(label=_("Bid as"))
    amount = forms.CharField(
        label=_("Amount in euros"),
        max_length=20,
        help_text=_("Including VAT, for example 7450 or 7450.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    amount_reason = forms.CharField(
        label=_("Reason for the amount"),
        required=False,
        max_length=2000,
        help_text=_("Needed only if the amount lies outside the budget of the tender."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offer = forms.CharField(
        label=_("What you offer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    delivery_date = forms.DateField(label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Quote valid until"),
        help_text=_("At least until the deadline of the tender."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(representative=user).order_by("name")
        self.fields["bid_as"].choices = [(RESIDENT, _("Myself, as a resident"))] + [
            (str(organisation.pk), str(organisation)) for organisation in organisations
        ]
        limit = app_settings.MAX_ATTACHMENT_BYTES / (1024 * 1024)
        self.fields["attachment"].help_text = _("One PDF file of at most %(limit)s MB.") % {"limit": f"{limit:g}"}

    @property
    def organisation_id(self):
        value = self.cleaned_data.get("bid_as")
        return None if value in (None, "", RESIDENT) else value


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kvk_number", "contact_name", "contact_email", "contact_phone"]
        widgets = {"kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}


class ExtendDeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("New deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class AwardForm(forms.Form):
    quote = forms.ChoiceField(label=_("Quote to award"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, quotes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [
            # A resident without a public name reads "a resident": the receipt tells them apart.
            (str(quote.pk), f"{quote.public_name} — € {quote.amount:,.2f} ({quote.receipt[:10]})")
            for quote in quotes
        ]


class PutToVoteForm(forms.Form):
    """The rules of the members' vote on an award: governance's own (see
    ``governance.external_votes.start_vote``); governance checks them when the vote starts."""

    opens_at = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes"),
        help_text=_("When it closes, the quote with a majority is awarded and published."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    rule = forms.ChoiceField(label=_("Decision rule"), choices=RULE_CHOICES, initial="simple")
    qualified_percent = forms.DecimalField(
        label=_("Qualified majority (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Only for a qualified majority: more than 50, at most 100."),
    )
    quorum_percent = forms.DecimalField(
        label=_("Quorum (% of eligible members)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Optional. Without it any number of votes decides."),
    )
    electorate = forms.ChoiceField(label=_("Who may vote"), choices=ELECTORATE_CHOICES, initial="members")
