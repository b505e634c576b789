"""The page editor's panel for a field of cards: the field, and what its cards need to know
about the page being edited.

A card block is defined once for every page, so it cannot offer choices that depend on the
page (the sensors registered for this initiative). This panel knows the page and the editor:
it writes those choices into the editor as JSON, and the cards' own scripts read them
(``blocks/static/blocks/sensor-chooser.js``). The page form checks what was chosen
(``blocks.sensors.choices.SensorLifecycle``), so the panel only makes choosing easy.
"""

from django.forms import Media
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel

SENSOR_CHOICES_ID = "sensor-choices"


class CardsPanel(FieldPanel):
    """``FieldPanel`` for a CardStreamField, with the sensors the page's sensor cards offer."""

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "blocks/panels/cards_panel.html"

        def get_context_data(self, parent_context=None):
            from .sensors.choices import sensor_choices

            context = super().get_context_data(parent_context)
            context["sensor_choices_id"] = SENSOR_CHOICES_ID
            context["sensor_choices"] = {
                "choices": sensor_choices(self.instance),
                "registerUrl": reverse("sensor_devices:add"),
                "strings": {
                    "label": _("Registered sensor"),
                    "help": _("Choosing one fills in the device and metric below."),
                    "placeholder": _("Choose a sensor and what it measures…"),
                    "noReadings": _("no readings yet"),
                    "typed": _("Other: the keys typed below"),
                    "none": _("No sensors are registered for this initiative yet."),
                    "register": _("Register a sensor"),
                },
            }
            return context

        @property
        def media(self):
            return super().media + Media(js=[static("blocks/sensor-chooser.js")])
