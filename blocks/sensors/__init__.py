"""Sensors that report live: device tokens, the one reading validator, ingestion over HTTP and
MQTT, the hourly roll-ups behind long chart ranges and the yield of cumulative meters."""
