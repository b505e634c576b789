"""Elasticsearch through ``elasticsearch.dsl``: mapping, query bodies, the backend."""

from .backend import ElasticsearchBackend

__all__ = ["ElasticsearchBackend"]
