"""The OpenAPI 3 document (drf-spectacular): shapes that the views do not declare themselves.

Initiatives are served by Wagtail's API viewset, whose serializers are built per request;
their documented shape is given here. Each card type's shape comes from its block
(``api_schema`` beside ``get_api_representation``), read from the card registry when the
document is generated, so a plug-in card is documented as soon as it is registered.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from blocks.registry import registry

CARD_REF = {"$ref": "#/components/schemas/Card"}


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What was wrong, in the language asked for.")


class PageMetaSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Always initiatives.InitiativePage.")
    detail_url = serializers.URLField()
    html_url = serializers.URLField(allow_null=True, help_text="The page visitors read.")
    slug = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)


class LinksSerializer(serializers.Serializer):
    decisions = serializers.URLField()
    governance_log = serializers.URLField()
    tender_awards = serializers.URLField()


class InitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meta = PageMetaSerializer()
    title = serializers.CharField()
    summary = serializers.CharField()
    content_language = serializers.CharField(help_text="The language the texts are written in.")
    municipality = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    ambitions = serializers.ListField(child=serializers.CharField())
    domain = serializers.CharField(allow_null=True, help_text="The initiative's own domain.")
    parent_initiative = serializers.IntegerField(
        allow_null=True, help_text="Id of the initiative this is a sub-initiative of."
    )
    last_activity_at = serializers.DateTimeField(allow_null=True)
    links = LinksSerializer()


class InitiativeDetailSerializer(InitiativeSerializer):
    cards = serializers.ListField(
        child=serializers.DictField(),
        help_text="The cards visitors see, in the order they see them.",
    )


class ListMetaSerializer(serializers.Serializer):
    total_count = serializers.IntegerField()


class InitiativeListSerializer(serializers.Serializer):
    meta = ListMetaSerializer()
    items = InitiativeSerializer(many=True)


def paged(serializer_class, name):
    """The documented shape of a page of a listing: ``{"meta": {"total_count"}, "items"}``."""
    return type(
        name,
        (serializers.Serializer,),
        {"meta": ListMetaSerializer(), "items": serializer_class(many=True)},
    )


class OpenDataAutoSchema(AutoSchema):
    """Every operation may refuse: a bad parameter (400), nothing public there (404), or too
    many requests (429, with ``Retry-After``); each refusal is an ``Error``."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = {
            "content": {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}},
        }
        descriptions = {
            "400": "A query parameter is unknown or malformed.",
            "404": "Nothing public has this id here.",
            "429": "Too many requests from this client; try again after Retry-After seconds.",
        }
        for status, description in descriptions.items():
            responses.setdefault(status, {**error, "description": description})
        if "429" in responses:
            responses["429"]["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }
        return responses


def card_schema(name, card_type):
    block = card_type.block
    return {
        "type": "object",
        "description": str(block.meta.description or block.meta.label or name),
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string", "enum": [name]},
            "label": {"type": "string", "description": "The card type's name, in the language asked for."},
            "activity": {"type": "string", "format": "date-time", "nullable": True},
            "value": getattr(block, "api_schema", None) or {"type": "object"},
            "readings": {
                "type": "string",
                "format": "uri",
                "nullable": True,
                "description": "The series' readings, for a card that charts sensor readings.",
            },
        },
        "required": ["id", "type", "label", "activity", "value", "readings"],
    }


def only_open_data(endpoints, **kwargs):
    """drf-spectacular pre-processing hook: document the open-data API, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v2/")]


def add_card_schemas(result, generator, request, public):
    """drf-spectacular post-processing hook: one schema per registered card type, and
    ``Card``, any one of them (told apart by ``type``)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    refs = {}
    for name, card_type in sorted(registry.types.items()):
        component = "Card" + "".join(part.capitalize() for part in name.split("_"))
        schemas[component] = card_schema(name, card_type)
        refs[name] = f"#/components/schemas/{component}"
    schemas["Card"] = {
        "oneOf": [{"$ref": ref} for ref in refs.values()],
        "discriminator": {"propertyName": "type", "mapping": refs},
    }
    detail = schemas.get("InitiativeDetail")
    if detail:
        detail["properties"]["cards"]["items"] = CARD_REF
    return result
