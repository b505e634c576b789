"""How the API writes initiatives, decisions, log entries and readings.

The fields of an initiative are Wagtail API fields (``wagtail.api.v2``): ``APIField`` with a
serializer where the model's own form is not what visitors read (coordinates as numbers,
ambitions sorted without a query per page, cards through their blocks).
"""

from datetime import UTC

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.api.conf import APIField

from blocks.cards.base import api_moment
from governance.conf import app_settings as governance_settings
from governance.hashing import canonical_json
from governance.services import latest_verification
from governance.services.log import WITHHELD_KIND

from .cards import api_cards


class WholePageField(serializers.Field):
    """A read-only field computed from the whole page rather than one attribute."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class CoordinateField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return float(value)


class AmbitionsField(WholePageField):
    """Ambition names, sorted; read from the prefetched tags (no query per page)."""

    def to_representation(self, page):
        return sorted((tag.name for tag in page.ambitions.all()), key=str.casefold)


class DomainField(WholePageField):
    """The initiative's own domain (the first by name), or null when it has none."""

    def to_representation(self, page):
        domains = sorted(domain.hostname for domain in page.domains.all())
        return domains[0] if domains else None


class MomentField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return api_moment(value)


class LinksField(WholePageField):
    """Where to read the initiative's decisions and governance log."""

    def to_representation(self, page):
        request = self.context.get("request")

        def absolute(name):
            url = reverse(name, kwargs={"page_id": page.pk})
            return request.build_absolute_uri(url) if request else url

        return {
            "decisions": absolute("opendata:initiative-decisions"),
            "governance_log": absolute("opendata:governance-log"),
            "tender_awards": absolute("opendata:initiative-tender-awards"),
        }


class CardsField(WholePageField):
    def to_representation(self, page):
        return api_cards(page, self.context.get("request"))


class ParentInitiativeField(WholePageField):
    """The id of the public initiative this one is a sub-initiative of, or null."""

    def to_representation(self, page):
        parents = self.context.get("parent_ids", {})
        return parents.get(page.pk)


INITIATIVE_FIELDS = [
    APIField("id"),
    APIField("title"),
    APIField("summary"),
    APIField("content_language"),
    APIField("municipality"),
    APIField("latitude", serializer=CoordinateField()),
    APIField("longitude", serializer=CoordinateField()),
    APIField("ambitions", serializer=AmbitionsField()),
    APIField("domain", serializer=DomainField()),
    APIField("parent_initiative", serializer=ParentInitiativeField()),
    APIField("last_activity_at", serializer=MomentField()),
    APIField("links", serializer=LinksField()),
]
CARDS_FIELD = APIField("cards", serializer=CardsField())


# --- governance ---------------------------------------------------------------------------


class VerificationSerializer(serializers.Serializer):
    """The latest check of the contract against the chain, as stored by the site's task."""

    checked_at = serializers.DateTimeField()
    ok = serializers.BooleanField(help_text="The chain and the site's database agree.")
    chain_reached = serializers.BooleanField()
    mismatches = serializers.ListField(child=serializers.CharField(), source="differences")
    chain_id = serializers.IntegerField(allow_null=True)
    block_number = serializers.IntegerField(
        allow_null=True, help_text="The block the chain said holds the transaction."
    )


class DeploymentSerializer(serializers.Serializer):
    """Where the decision record is on the chain; chain fields are null until confirmed."""

    status = serializers.CharField(help_text="waiting, sent, confirmed or failed")
    status_label = serializers.CharField(source="get_status_display")
    chain_id = serializers.SerializerMethodField()
    tx_hash = serializers.SerializerMethodField()
    contract_address = serializers.SerializerMethodField()
    block_number = serializers.SerializerMethodField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    confirmed = serializers.SerializerMethodField()
    confirmations_required = serializers.SerializerMethodField()
    reorgs = serializers.IntegerField(
        min_value=0,
        help_text="Times a chain reorganisation dropped the confirmed transaction; it was sent again each time.",
    )
    verification = serializers.SerializerMethodField()

    def get_confirmed(self, deployment) -> bool:
        return deployment.status == "confirmed"

    def get_confirmations_required(self, deployment) -> int:
        # The site's setting (GOVERNANCE_CONFIRMATIONS), as the anchoring task applies it:
        # a transaction counts as confirmed once this many blocks hold it (at least 1).
        return max(1, governance_settings.CONFIRMATIONS)

    def _confirmed(self, deployment, name):
        return getattr(deployment, name) if deployment.status == "confirmed" else None

    def get_chain_id(self, deployment) -> int | None:
        return self._confirmed(deployment, "chain_id")

    def get_tx_hash(self, deployment) -> str | None:
        return self._confirmed(deployment, "tx_hash")

    def get_contract_address(self, deployment) -> str | None:
        return self._confirmed(deployment, "contract_address")

    def get_block_number(self, deployment) -> int | None:
        return self._confirmed(deployment, "block_number")

    @extend_schema_field(VerificationSerializer(allow_null=True))
    def get_verification(self, deployment):
        verification = latest_verification(deployment.decision)
        return VerificationSerializer(verification).data if verification else None


class FollowUpSerializer(serializers.Serializer):
    """One public status update on what became of a decision, as the decisions page shows it
    (never who posted it)."""

    status = serializers.CharField(help_text="planned, in_progress, done or dropped")
    status_label = serializers.CharField(source="get_status_display")
    date = serializers.DateField(help_text="The day the update is about (ISO 8601 date).")
    text = serializers.CharField()
    link = serializers.URLField(allow_null=True, help_text="More about this, or null.")
    posted_at = serializers.DateTimeField(source="created_at")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["link"] = data["link"] or None
        return data


class DecisionSerializer(serializers.Serializer):
    """A closed proposal's decision and everything needed to check it independently.

    ``record_json`` is exactly the bytes that were hashed: ``keccak256(record_json)`` is
    ``record_hash``, which the contract at ``deployment.contract_address`` holds.
    """

    proposal = serializers.UUIDField(source="proposal.uuid")
    initiative = serializers.IntegerField(source="proposal.initiative_id")
    title = serializers.CharField(source="proposal.title")
    kind = serializers.CharField(source="proposal.kind")
    options = serializers.ListField(child=serializers.CharField(), source="proposal.options")
    rule = serializers.CharField(help_text="simple, qualified or consensus")
    rule_label = serializers.CharField(source="get_rule_display")
    qualified_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, source="proposal.qualified_percent"
    )
    quorum_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, source="proposal.quorum_percent"
    )
    tally = serializers.ListField(child=serializers.IntegerField(min_value=0))
    passed = serializers.BooleanField()
    winning_option = serializers.IntegerField(allow_null=True)
    quorum_reached = serializers.BooleanField()
    eligible_count = serializers.IntegerField()
    ballot_count = serializers.IntegerField()
    closed_at = serializers.DateTimeField()
    record = serializers.DictField(
        allow_null=True, help_text="The canonical decision record; null when restricted."
    )
    record_json = serializers.SerializerMethodField(
        help_text="The record exactly as hashed (sorted keys, no spaces, UTF-8); null when restricted."
    )
    restricted = serializers.BooleanField(
        source="proposal.options_restricted",
        help_text=(
            "True for a vote whose options are shown only to those who voted on it (a tender's "
            "award): options and tally are then empty, winning_option, record and record_json "
            "null; record_hash and deployment stay, and the outcome is published by the app "
            "that started the vote (the tender awards)."
        ),
    )
    record_hash = serializers.CharField(help_text="keccak256 of record_json, 0x-prefixed hex.")
    receipts_root = serializers.CharField(help_text="Merkle root of the counted ballots' receipts.")
    deployment = serializers.SerializerMethodField()
    follow_up = FollowUpSerializer(
        many=True, source="updates.all", help_text="What became of the decision, oldest first."
    )

    def get_record_json(self, decision) -> str | None:
        return canonical_json(decision.record).decode()

    def to_representation(self, decision):
        data = super().to_representation(decision)
        if decision.proposal.options_restricted:
            # The open data API is everyone's: nobody here is among those who may read them.
            data.update(options=[], tally=[], winning_option=None, record=None, record_json=None)
        return data

    @extend_schema_field(DeploymentSerializer(allow_null=True))
    def get_deployment(self, decision):
        deployment = getattr(decision, "deployment", None)
        return DeploymentSerializer(deployment).data if deployment else None


class TenderWinnerSerializer(serializers.Serializer):
    """The winning bidder as the tender card names them."""

    name = serializers.CharField(help_text="The organisation's name, or the resident's public profile name (never an e-mail address; \"a resident\" without one), as the card shows it.")
    kind = serializers.CharField(help_text="organisation or resident")
    organisation = serializers.IntegerField(
        allow_null=True, help_text="The organisation's id (its public profile), or null for a resident."
    )
    organisation_name = serializers.CharField(allow_null=True)


class TenderAwardSerializer(serializers.Serializer):
    """An awarded tender: what the awarded tender card shows, plus what checks it.

    ``quotes_root`` is the Merkle root (``governance.merkle``) of the receipts of every quote
    opened; ``deployment`` is where the award's decision record is on the chain (null when the
    award was not anchored). ``other_amounts`` is null unless the card publishes the other
    amounts, and then holds them without names, lowest first.
    """

    tender = serializers.UUIDField(source="uuid")
    card = serializers.CharField(source="block_id", help_text="The tender card's id (cards[].id).")
    request = serializers.CharField(help_text="What was asked.")
    deadline = serializers.DateTimeField()
    opened_at = serializers.DateTimeField()
    quote_count = serializers.IntegerField(source="opened_quotes", min_value=0)
    winner = serializers.SerializerMethodField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, source="awarded_quote.amount", help_text="Euro."
    )
    reason = serializers.CharField(source="award_reason")
    awarded_at = serializers.DateTimeField()
    other_amounts = serializers.ListField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2),
        allow_null=True,
        help_text="Euro; null when the tender does not publish them.",
    )
    quotes_root = serializers.CharField(help_text="Merkle root of the opened quotes' receipts.")
    decision_hash = serializers.SerializerMethodField(
        help_text="keccak256 of the award's decision record, or null."
    )
    deployment = serializers.SerializerMethodField()

    @extend_schema_field(TenderWinnerSerializer)
    def get_winner(self, tender):
        quote = tender.awarded_quote
        organisation = quote.organisation
        return {
            "name": quote.public_name,
            "kind": "organisation" if organisation else "resident",
            "organisation": organisation.pk if organisation else None,
            "organisation_name": organisation.name if organisation else None,
        }

    def get_decision_hash(self, tender) -> str | None:
        return tender.deployment.decision.record_hash if tender.deployment else None

    @extend_schema_field(DeploymentSerializer(allow_null=True))
    def get_deployment(self, tender):
        return DeploymentSerializer(tender.deployment).data if tender.deployment else None


HEX_64 = r"^[0-9a-f]{64}$"


class LogEntrySerializer(serializers.Serializer):
    """One link of the hash chain, which anyone can recompute (``docs/verify_log.py``):

    - ``hash = sha256(canonical JSON of {"at", "initiative", "kind", "payload_digest", "prev",
      "seq"})``, with ``prev`` the ``prev_hash``;
    - ``payload_digest = sha256(salt || canonical JSON of payload)``, ``salt`` taken as bytes.

    Canonical JSON: keys sorted, no whitespace (``","`` and ``":"``), non-ASCII characters as
    themselves, UTF-8. Source: ``governance.services.log.entry_hash`` and ``payload_digest``.

    ``payload`` and ``salt`` are null (and ``payload_withheld`` true) when the payload names a
    member or a proposal that is not public yet, and always for the kind ``withheld`` (an
    entry whose real kind, inside its payload, would itself say too much: a sealed quote on a
    tender that does not show its count); the digest, salted with 16 random bytes, tells
    nothing about it, and the hash can still be recomputed from the digest. Whoever holds the
    payload and its salt (a member's own entries, in "your data") can check the digest.
    """

    seq = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.SerializerMethodField()
    payload = serializers.SerializerMethodField()
    salt = serializers.SerializerMethodField()
    payload_digest = serializers.RegexField(HEX_64, help_text="sha256(salt || canonical JSON of payload), hex.")
    payload_withheld = serializers.SerializerMethodField()
    prev_hash = serializers.RegexField(HEX_64, help_text="The hash of the entry before (64 zeros for the first).")
    hash = serializers.RegexField(HEX_64)

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_at(self, entry) -> str:
        # Exactly the string that was hashed (UTC, microseconds).
        return entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_payload(self, entry):
        return None if self.withheld(entry) else entry.payload

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "pattern": "^[0-9a-f]{32}$",
            "description": "The payload's salt (16 bytes, hex); null when the payload is withheld.",
        }
    )
    def get_salt(self, entry):
        return None if self.withheld(entry) else entry.salt

    def get_payload_withheld(self, entry) -> bool:
        return self.withheld(entry)

    def withheld(self, entry):
        if entry.kind == WITHHELD_KIND:
            return True  # even its kind is inside the payload (``governance.services.log``)
        public = self.context.get("public_proposals", set())
        return payload_is_private(entry.payload, public)


PERSON_KEYS = frozenset({"user", "by", "bidder"})


def payload_is_private(payload, public_proposals):
    """Does a log payload name a person, or a proposal that is still a draft?

    Members choose who sees their memberships (``accounts.privacy``); a log entry that names
    a member (``user``, ``by``) would tell anyone. A draft proposal's title is not public either.
    """
    if not isinstance(payload, dict):
        return True
    if any(payload.get(key) is not None for key in PERSON_KEYS):
        return True
    proposal = payload.get("proposal")
    return proposal is not None and proposal not in public_proposals


class GovernanceLogSerializer(serializers.Serializer):
    initiative = serializers.IntegerField()
    head = serializers.CharField(help_text="Hash of the latest entry (64 zeros for an empty log).")
    genesis = serializers.CharField(help_text="The prev_hash of the first entry.")
    meta = serializers.DictField()
    items = LogEntrySerializer(many=True)


class ContractSerializer(serializers.Serializer):
    contract = serializers.CharField()
    compiler = serializers.CharField()
    source_sha256 = serializers.CharField()
    abi = serializers.ListField(child=serializers.DictField())
    bytecode_runtime = serializers.CharField()
