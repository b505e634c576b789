#!/usr/bin/env python3
"""Recompute an initiative's governance log from Ctylab's open-data API alone.

    python docs/verify_log.py https://ctylab.example <initiative id> [your-data.json]

1. Fetch every entry (``/api/v2/initiatives/<id>/governance-log/``, page by page) and check
   that the positions run 1, 2, 3…, that each ``prev_hash`` is the hash before it (64 zeros
   for the first), that each ``hash`` is ``sha256(canonical JSON of {"at", "initiative",
   "kind", "payload_digest", "prev", "seq"})``, and, for each entry whose payload is
   published, that ``payload_digest`` is ``sha256(salt bytes || canonical JSON of payload)``.
   Entries whose payload is withheld (it names a member) are recomputed from their digest.
2. Fetch the initiative's decisions and check that every decision record's ``log_head`` is in
   the chain: a hash of an entry, or (records made before payload digests) a format-1 hash that
   the ``log.rechained`` entry maps to an entry of the chain.
3. Given your "Download your data" file, check your own entries: their payload and salt must
   give the digest that the API publishes for them.

Canonical JSON is ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False).encode("utf-8")``. Prints each problem; exits 0 when the log checks out,
1 when it does not. Needs nothing beyond Python 3.
"""

import hashlib
import json
import sys
import urllib.parse
import urllib.request

GENESIS = "0" * 64
PAGE = 100


def fetch_json(url, timeout=10):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - a URL you give
        return json.load(answer)


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def payload_digest(salt, payload):
    return sha256_hex(bytes.fromhex(salt) + canonical_json(payload))


def entry_hash(initiative, entry):
    return sha256_hex(
        canonical_json(
            {
                "initiative": initiative,
                "seq": entry["seq"],
                "kind": entry["kind"],
                "payload_digest": entry["payload_digest"],
                "at": entry["at"],
                "prev": entry["prev_hash"],
            }
        )
    )


def fetch_all(url, fetch):
    """Every item of a paged listing, and the last answer (for its head)."""
    items, answer = [], None
    while answer is None or len(items) < answer["meta"]["total_count"]:
        separator = "&" if "?" in url else "?"
        answer = fetch(f"{url}{separator}{urllib.parse.urlencode({'limit': PAGE, 'offset': len(items)})}")
        if not answer["items"]:
            break
        items += answer["items"]
    return items, answer


def check_chain(initiative, entries, head):
    problems, withheld = [], 0
    expected_seq, prev = 1, GENESIS
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (the log jumps to {seq})")
        if entry["prev_hash"] != prev:
            problems.append(f"entry {seq} does not follow the entry before it")
        if entry_hash(initiative, entry) != entry["hash"]:
            problems.append(f"entry {seq}: its hash is not the hash of its contents")
        if entry["payload_withheld"]:
            withheld += 1
        elif payload_digest(entry["salt"], entry["payload"]) != entry["payload_digest"]:
            problems.append(f"entry {seq}: its payload and salt do not give its digest")
        expected_seq, prev = seq + 1, entry["hash"]
    if head != prev:
        problems.append(f"the head {head} is not the hash of the last entry ({prev})")
    return problems, withheld


def check_decisions(entries, decisions):
    """Every decision record's ``log_head`` must be in the chain (format 2 or mapped format 1)."""
    problems = []
    seq_of = {entry["hash"]: entry["seq"] for entry in entries}
    for entry in entries:
        if entry["kind"] == "log.rechained" and not entry["payload_withheld"]:
            for v1_hash, seq in entry["payload"].get("v1_heads", {}).items():
                if seq < entry["seq"]:
                    seq_of.setdefault(v1_hash, seq)
    for decision in decisions:
        head = json.loads(decision["record_json"]).get("log_head")
        if head not in (None, GENESIS) and head not in seq_of:
            problems.append(f"decision {decision['proposal']}: its record's log head {head} is not in the log")
    return problems


def check_mine(initiative, entries, your_data):
    """Your own entries (from "Download your data"): payload and salt give the published digest."""
    problems, checked = [], 0
    by_seq = {entry["seq"]: entry for entry in entries}
    for mine in your_data.get("governance_log", []):
        if mine.get("initiative_id") != initiative:
            continue
        published = by_seq.get(mine["seq"])
        if published is None:
            problems.append(f"your entry {mine['seq']} is not in the log")
        elif payload_digest(mine["salt"], mine["payload"]) != published["payload_digest"]:
            problems.append(f"your entry {mine['seq']}: your payload does not give the published digest")
        else:
            checked += 1
    return problems, checked


def verify(site, initiative, your_data=None, fetch=fetch_json):
    """Return (problems, facts). ``site`` is the site's address, ``initiative`` the page id,
    ``your_data`` the parsed "your data" file (or None)."""
    site, initiative = site.rstrip("/"), int(initiative)
    base = f"{site}/api/v2/initiatives/{initiative}"
    entries, answer = fetch_all(f"{base}/governance-log/", fetch)
    problems, withheld = check_chain(initiative, entries, answer["head"])
    decisions, _answer = fetch_all(f"{base}/decisions/", fetch)
    problems += check_decisions(entries, decisions)
    facts = {"entries": len(entries), "withheld": withheld, "decisions": len(decisions), "head": answer["head"]}
    if your_data is not None:
        mine_problems, facts["yours"] = check_mine(initiative, entries, your_data)
        problems += mine_problems
    return problems, facts


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.split("\n\n")[1])
        return 64
    your_data = None
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as file:
            your_data = json.load(file)
    problems, facts = verify(argv[1], argv[2], your_data)
    for name, value in facts.items():
        print(f"{name}: {value}")
    if not problems:
        print("OK: every entry's hash recomputes and the chain is whole.")
        return 0
    for problem in problems:
        print(f"MISMATCH: {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
