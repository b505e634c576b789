"""Settings for the rate-limit worker processes: the test settings with a Redis cache.

The database comes from DATABASE_URL (a copy of the test database); the cache from
CTYLAB_RATELIMIT_REDIS_URL with its own key prefix, so nothing else in Redis is touched.
"""

import os

from ctylab.settings.test import *  # noqa: F403

if os.environ.get("CTYLAB_RATELIMIT_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CTYLAB_RATELIMIT_REDIS_URL"],
            "KEY_PREFIX": os.environ["CTYLAB_RATELIMIT_PREFIX"],
        }
    }
