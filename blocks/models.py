"""Data the cards read that does not live in the page: sensor readings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reading(models.Model):
    """One measurement of one metric of one device (an IoT card shows a device + metric)."""

    device = models.CharField(_("device"), max_length=100)
    metric = models.CharField(_("metric"), max_length=100)
    measured_at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("sensor reading")
        verbose_name_plural = _("sensor readings")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "metric", "measured_at"], name="reading_unique_per_moment"
            )
        ]
        indexes = [
            models.Index(fields=["device", "metric", "-measured_at"], name="reading_series_recent")
        ]

    def __str__(self):
        return f"{self.device}/{self.metric} {self.measured_at:%Y-%m-%d %H:%M}: {self.value}"
