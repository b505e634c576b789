"""The Vyper contract: reproducible from source, and correct on a real EVM (py-evm)."""

import json

from governance import contracts, merkle
from governance.backends import get_backend


def test_the_stored_artifact_is_what_the_source_compiles_to():
    stored = json.loads(contracts.ARTIFACT_PATH.read_text())
    fresh = contracts.compile_source()
    assert contracts.stored_artifact_problem() is None
    assert stored["bytecode"] == fresh["bytecode"]
    assert stored["bytecode_runtime"] == fresh["bytecode_runtime"]
    assert stored["abi"] == fresh["abi"]
    assert stored["compiler"] == fresh["compiler"] == "vyper 0.4.3"


def test_a_stale_artifact_is_reported_by_the_system_check(tmp_path, monkeypatch):
    from governance.checks import check_contract_artifact

    stale = tmp_path / "DecisionRecord.json"
    stale.write_text(json.dumps({"source_sha256": "0" * 64}))
    monkeypatch.setattr(contracts, "ARTIFACT_PATH", stale)
    contracts.artifact.cache_clear()
    try:
        [warning] = check_contract_artifact()
        assert warning.id == "governance.W001"
        # A stale cache is never used: the source is compiled instead.
        assert contracts.artifact()["bytecode"] == contracts.compile_source()["bytecode"]
    finally:
        contracts.artifact.cache_clear()


def deploy(args):
    backend = get_backend()
    artifact = contracts.artifact()
    signed = backend.sign_deployment(artifact["abi"], artifact["bytecode"], args)
    backend.send_raw_transaction(signed.raw_transaction)
    receipt = backend.get_receipt(signed.tx_hash)
    assert receipt.succeeded
    return backend, receipt.contract_address


def test_the_contract_holds_the_decision_and_checks_receipt_proofs():
    import uuid

    proposal = uuid.uuid4()
    tree = [merkle.ballot_leaf(proposal, f"R{i}", i % 2) for i in range(7)]
    root = merkle.root(tree)
    backend, address = deploy([42, 7, True, True, -1, [4, 3, 0], b"\xab" * 32, bytes.fromhex(root[2:])])
    artifact = contracts.artifact()
    state = backend.read_contract(
        address, artifact["abi"], ["initiative_id", "proposal_id", "passed", "tally", "recorder"]
    )
    assert state == {
        "initiative_id": 42,
        "proposal_id": 7,
        "passed": True,
        "tally": [4, 3, 0],
        "recorder": backend.sender,
    }
    contract = backend.web3.eth.contract(address=address, abi=artifact["abi"])
    for leaf in tree:
        proof = [bytes.fromhex(p[2:]) for p in merkle.proof(tree, leaf)]
        assert contract.functions.includes_receipt(bytes.fromhex(leaf[2:]), proof).call()
    stranger = bytes.fromhex(merkle.ballot_leaf(proposal, "X", 0)[2:])
    assert not contract.functions.includes_receipt(stranger, []).call()


def test_the_contract_has_no_way_to_change_its_record():
    mutating = [
        item
        for item in contracts.artifact()["abi"]
        if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")
    ]
    assert mutating == []
