from django.dispatch import Signal

# Sent after new readings are stored, with ``series``: the set of (device, metric) touched.
# Pages listen so their "latest activity" follows the sensors they show.
readings_imported = Signal()
