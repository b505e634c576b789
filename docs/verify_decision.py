#!/usr/bin/env python3
"""Check a Ctylab decision against the chain, trusting neither the site nor its database.

Uses only the site's open-data API (``/api/v2/``) and a JSON-RPC node of your choice:

    python docs/verify_decision.py https://ctylab.example <proposal uuid> https://node.example

1. Fetch the decision (``/api/v2/decisions/<uuid>/``) and the contract's ABI and runtime code
   (``/api/v2/decision-contract/``).
2. Recompute keccak256 of ``record_json`` (the exact bytes the site hashed) and compare it with
   ``record_hash``; check that the record says the same as the decision (tally, outcome,
   receipts root).
3. Ask the node: the chain id, the transaction's receipt (succeeded, created the contract at
   the address, in the block), the code at the address (the decision-record contract), and the
   contract's getters (decision hash, receipts root, tally, outcome, ids).

The record's ``log_head`` pins the initiative's governance log; ``docs/verify_log.py`` checks
that log (every entry's hash, and that each record's head is in it) from the API alone.

Prints each check and the number of confirmations; exits 0 when everything agrees, 1 when
something does not, 2 when the decision is not on the chain yet. Needs ``web3`` (pip install web3).
"""

import json
import sys
import urllib.request

from eth_utils import keccak
from web3 import HTTPProvider, Web3


def fetch_json(url, timeout=10):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - a URL you give
        return json.load(answer)


def verify(site, proposal, rpc_url, fetch=fetch_json):
    """Return (problems, facts): the checks that failed, and what was found.

    ``site`` is the site's address (``https://ctylab.example``), ``proposal`` the proposal's
    UUID, ``rpc_url`` a JSON-RPC node of the chain the decision names.
    """
    site = site.rstrip("/")
    decision = fetch(f"{site}/api/v2/decisions/{proposal}/")
    contract = fetch(f"{site}/api/v2/decision-contract/")
    problems, facts = [], {}

    record_hash = "0x" + keccak(decision["record_json"].encode()).hex()
    if record_hash != decision["record_hash"]:
        problems.append(f"keccak256(record_json) is {record_hash}, not {decision['record_hash']}")
    record = json.loads(decision["record_json"])
    for name, value in (
        ("tally", decision["tally"]),
        ("passed", decision["passed"]),
        ("winning_option", decision["winning_option"]),
        ("receipts_root", decision["receipts_root"]),
        ("proposal_uuid", decision["proposal"]),
    ):
        if record.get(name) != value:
            problems.append(f"the record's {name} is {record.get(name)!r}, the decision's {value!r}")

    deployment = decision.get("deployment") or {}
    if deployment.get("status") != "confirmed":
        facts["status"] = deployment.get("status", "waiting")
        return problems + ["the decision is not on the chain yet"], facts

    web3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": 10}))
    facts["chain_id"] = web3.eth.chain_id
    if facts["chain_id"] != deployment["chain_id"]:
        problems.append(f"the node is chain {facts['chain_id']}, the decision is on {deployment['chain_id']}")
        return problems, facts
    receipt = web3.eth.get_transaction_receipt(deployment["tx_hash"])
    address = Web3.to_checksum_address(deployment["contract_address"])
    if receipt["status"] != 1:
        problems.append("the transaction reverted")
    if (receipt.get("contractAddress") or "").lower() != address.lower():
        problems.append(f"the transaction created {receipt.get('contractAddress')}, not {address}")
    if receipt["blockNumber"] != deployment["block_number"]:
        problems.append(f"the transaction is in block {receipt['blockNumber']}, not {deployment['block_number']}")
    facts["confirmations"] = web3.eth.block_number - receipt["blockNumber"] + 1

    runtime = bytes.fromhex(contract["bytecode_runtime"].removeprefix("0x"))
    if not bytes(web3.eth.get_code(address)).startswith(runtime):
        problems.append("the code at the address is not the published decision-record contract")
        return problems, facts
    getters = web3.eth.contract(address=address, abi=contract["abi"]).functions
    on_chain = {
        "decision_hash": "0x" + bytes(getters.decision_hash().call()).hex(),
        "receipts_root": "0x" + bytes(getters.receipts_root().call()).hex(),
        "tally": [int(votes) for votes in getters.tally().call()],
        "passed": getters.passed().call(),
        "winning_option": getters.winning_option().call(),
        "initiative_id": getters.initiative_id().call(),
        "proposal_id": getters.proposal_id().call(),
    }
    expected = {
        "decision_hash": decision["record_hash"].lower(),
        "receipts_root": decision["receipts_root"].lower(),
        "tally": decision["tally"],
        "passed": decision["passed"],
        "winning_option": -1 if decision["winning_option"] is None else decision["winning_option"],
        "initiative_id": record["initiative_id"],
        "proposal_id": record["proposal_id"],
    }
    for name, value in expected.items():
        if on_chain[name] != value:
            problems.append(f"{name}: the chain has {on_chain[name]!r}, the site says {value!r}")
    facts.update(block=receipt["blockNumber"], contract=address)
    return problems, facts


def main(argv):
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1])
        return 64
    problems, facts = verify(*argv[1:])
    for name, value in facts.items():
        print(f"{name}: {value}")
    if not problems:
        print("OK: the decision on the site is the decision on the chain.")
        return 0
    for problem in problems:
        print(f"MISMATCH: {problem}")
    return 2 if facts.get("status") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
