"""A stand-in for an Elasticsearch cluster that answers "OK" and records what it was sent.

For tests of what the backend sends after an outage (the wire requests of the real client);
it does not search. Searching is tested against a real cluster when ELASTICSEARCH_URL is set
(test_elasticsearch_cluster.py).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingCluster:
    def __init__(self, search_response=None, search_status=200):
        self.requests = []
        self.aliases = {}
        self.search_response = search_response or {}
        self.search_status = search_status
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload=None):
                body = json.dumps(payload or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(body) if self.command != "HEAD" else 0))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                path = self.path.split("?")[0]
                cluster.requests.append((self.command, path, raw))
                parts = [part for part in path.split("/") if part]
                if parts[:1] == ["_alias"]:
                    name = parts[1]
                    if name in cluster.aliases:
                        return self._reply(200, {cluster.aliases[name]: {"aliases": {name: {}}}})
                    return self._reply(404, {"error": "alias missing", "status": 404})
                if len(parts) == 3 and parts[1] == "_alias":
                    cluster.aliases[parts[2]] = parts[0]
                    return self._reply(200, {"acknowledged": True})
                if parts[-1:] == ["_bulk"]:
                    lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
                    actions = lines[0::2]
                    items = [
                        {op: {"_index": meta["_index"], "_id": meta["_id"], "status": 201}}
                        for action in actions
                        for op, meta in action.items()
                    ]
                    return self._reply(200, {"took": 1, "errors": False, "items": items})
                if parts[-1:] == ["_search"]:
                    return self._reply(cluster.search_status, cluster.search_response)
                if parts[-1:] == ["_delete_by_query"]:
                    return self._reply(200, {"deleted": 0, "failures": []})
                if len(parts) == 1 and self.command == "PUT":
                    return self._reply(200, {"acknowledged": True, "index": parts[0]})
                return self._reply(200, {"acknowledged": True})

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def bulk_documents(self):
        """Ids and sources of every document sent for indexing, in order."""
        sent = []
        for _method, path, raw in self.requests:
            if path.endswith("/_bulk"):
                lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
                for action, source in zip(lines[0::2], lines[1::2], strict=True):
                    sent.append((action["index"]["_id"], source))
        return sent

    def searches(self):
        return [json.loads(raw) for _method, path, raw in self.requests if path.endswith("/_search")]

    def deletions(self):
        return [json.loads(raw) for _method, path, raw in self.requests if path.endswith("/_delete_by_query")]
