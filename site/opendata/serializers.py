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
from governance.hashing import canonical_json
from governance.services import latest_verification

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
    verification = serializers.SerializerMethodField()

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
    record = serializers.DictField(help_text="The canonical decision record.")
    record_json = serializers.SerializerMethodField(
        help_text="The record exactly as hashed (sorted keys, no spaces, UTF-8)."
    )
    record_hash = serializers.CharField(help_text="keccak256 of record_json, 0x-prefixed hex.")
    receipts_root = serializers.CharField(help_text="Merkle root of the counted ballots' receipts.")
    deployment = serializers.SerializerMethodField()

    def get_record_json(self, decision) -> str:
        return canonical_json(decision.record).decode()

    @extend_schema_field(DeploymentSerializer(allow_null=True))
    def get_deployment(self, decision):
        deployment = getattr(decision, "deployment", None)
        return DeploymentSerializer(deployment).data if deployment else None


class LogEntrySerializer(serializers.Serializer):
    """One link of the hash chain: ``hash = sha256(canonical JSON of {initiative, seq, kind,
    payload, at, prev})`` (see ``governance.services.log.entry_hash``).

    ``payload`` is null (and ``payload_withheld`` true) when it names a member or a proposal
    that is not public yet: the link (``prev_hash`` → ``hash``) can still be followed, but that
    entry's hash cannot be recomputed by outsiders.
    """

    seq = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.SerializerMethodField()
    payload = serializers.SerializerMethodField()
    payload_withheld = serializers.SerializerMethodField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()

    def get_at(self, entry) -> str:
        # Exactly the string that was hashed (UTC, microseconds).
        return entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_payload(self, entry):
        return None if self.withheld(entry) else entry.payload

    def get_payload_withheld(self, entry) -> bool:
        return self.withheld(entry)

    def withheld(self, entry):
        public = self.context.get("public_proposals", set())
        return payload_is_private(entry.payload, public)


PERSON_KEYS = frozenset({"user", "by"})


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
