"""Settings of the search app, with their defaults; read when used, never at import time."""

from django.conf import settings

DATABASE_BACKEND = "search.backends.database.DatabaseBackend"
ELASTICSEARCH_BACKEND = "search.backends.elasticsearch.ElasticsearchBackend"


class AppSettings:
    prefix = "CTYLAB_SEARCH"

    def _setting(self, name, default):
        return getattr(settings, f"{self.prefix}_{name}", default)

    @property
    def BACKEND(self):
        """``{"BACKEND": dotted path, "OPTIONS": {...}}`` — the setting ``CTYLAB_SEARCH``.

        The database backend is the default. ``site/ctylab/settings/base.py`` chooses the
        Elasticsearch backend when ``ELASTICSEARCH_URL`` is set.
        """
        config = getattr(settings, self.prefix, None) or {}
        return {
            "BACKEND": config.get("BACKEND", DATABASE_BACKEND),
            "OPTIONS": dict(config.get("OPTIONS", {})),
        }

    @property
    def PAGE_MODEL(self):
        """The page type whose pages (and their cards) are searched."""
        return self._setting("PAGE_MODEL", "initiatives.InitiativePage")

    @property
    def POLICY_MODELS(self):
        """Models whose changes can hide or show card types (the card policy): when one
        changes, everything is re-indexed in a task. Models that do not exist are ignored."""
        return self._setting("POLICY_MODELS", ("catalogue.CardTypeEntry",))

    @property
    def PAGE_SIZE(self):
        """Results per page of the search page."""
        return self._setting("PAGE_SIZE", 20)

    @property
    def MAX_PAGE(self):
        """The deepest result page served (also Elasticsearch's 10,000-hit window at 20 a page)."""
        return self._setting("MAX_PAGE", 500)

    @property
    def MAX_QUERY_LENGTH(self):
        """Characters of a query that are searched; the rest is cut off (and the visitor told)."""
        return self._setting("MAX_QUERY_LENGTH", 200)

    @property
    def MAX_TERMS(self):
        """Words and phrases per query that are searched."""
        return self._setting("MAX_TERMS", 8)

    @property
    def MAX_FILTER_VALUES(self):
        """Values per facet a visitor may select at once."""
        return self._setting("MAX_FILTER_VALUES", 20)

    @property
    def FACET_SIZE(self):
        """Values shown per facet (the selected ones are always shown as well)."""
        return self._setting("FACET_SIZE", 15)

    @property
    def DISTANCES_KM(self):
        """The distances a visitor can choose for "within … of a point"."""
        return self._setting("DISTANCES_KM", (1, 2, 5, 10, 25, 50, 100))

    @property
    def RANK_LIMIT(self):
        """Best-match order on the database ranks at most this many matches: the most recently
        active ones (the rest follow, most recent first). Ranking costs time per document."""
        return self._setting("RANK_LIMIT", 1000)

    @property
    def QUERY_TIMEOUT(self):
        """Seconds a database search may take before it is stopped."""
        return self._setting("QUERY_TIMEOUT", 3.0)

    @property
    def INLINE_REINDEX_LIMIT(self):
        """Pages re-indexed inside the request that changed them; more go to a task."""
        return self._setting("INLINE_REINDEX_LIMIT", 50)

    @property
    def REBUILD_CHUNK_SIZE(self):
        """Pages read, converted and written together by a rebuild."""
        return self._setting("REBUILD_CHUNK_SIZE", 100)


app_settings = AppSettings()
