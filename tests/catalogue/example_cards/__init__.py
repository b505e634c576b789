"""A card type from outside Ctylab: the example plugin of the card catalogue tests.

Installed only by the test settings. It registers a sixth card type, ``pledge``, exactly as
a third-party app would, with no change to Ctylab's own code.
"""
