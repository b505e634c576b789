# pragma version 0.4.3
"""
@title Ctylab decision record
@notice One contract per closed proposal: an immutable, public copy of the decision that an
        initiative took, so anyone can check the site's record against the chain.
@dev Deployed once per decision by the site's governance worker. Nothing can be changed after
     deployment: there are no state-changing functions.
"""

MAX_OPTIONS: constant(uint256) = 32

# Identifiers of the initiative page and the proposal in the Ctylab database.
initiative_id: public(immutable(uint256))
proposal_id: public(immutable(uint256))
# Outcome of the rule that was applied.
passed: public(immutable(bool))
quorum_reached: public(immutable(bool))
# Index of the winning option, or -1 when no option won (or the proposal is for/against).
winning_option: public(immutable(int128))
# Number of ballots counted.
ballot_count: public(immutable(uint256))
# keccak256 of the canonical JSON decision record published by the site.
decision_hash: public(immutable(bytes32))
# Merkle root of the ballot receipts (sorted-pair keccak256 tree; 0x0 when nobody voted).
receipts_root: public(immutable(bytes32))
# Who recorded the decision.
recorder: public(immutable(address))

_tally: DynArray[uint256, MAX_OPTIONS]


@deploy
def __init__(
    _initiative_id: uint256,
    _proposal_id: uint256,
    _passed: bool,
    _quorum_reached: bool,
    _winning_option: int128,
    _tally: DynArray[uint256, MAX_OPTIONS],
    _decision_hash: bytes32,
    _receipts_root: bytes32,
):
    total: uint256 = 0
    for votes: uint256 in _tally:
        total += votes
    assert len(_tally) >= 2, "at least two options"
    assert _winning_option >= -1 and _winning_option < convert(len(_tally), int128), "bad option"
    initiative_id = _initiative_id
    proposal_id = _proposal_id
    passed = _passed
    quorum_reached = _quorum_reached
    winning_option = _winning_option
    ballot_count = total
    decision_hash = _decision_hash
    receipts_root = _receipts_root
    recorder = msg.sender
    self._tally = _tally


@view
@external
def tally() -> DynArray[uint256, MAX_OPTIONS]:
    """@notice Votes per option, in the order of the proposal's options."""
    return self._tally


@view
@external
def includes_receipt(leaf: bytes32, proof: DynArray[bytes32, 64]) -> bool:
    """
    @notice Whether a ballot receipt leaf is part of `receipts_root`.
    @dev The tree hashes each pair in sorted order, so a proof is only the list of siblings.
    """
    node: bytes32 = leaf
    for sibling: bytes32 in proof:
        if convert(node, uint256) < convert(sibling, uint256):
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
    return node == receipts_root
