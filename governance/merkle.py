"""Merkle tree of ballot receipts, with inclusion proofs a voter can check on their own.

Leaves are sorted, pairs are hashed in sorted order (keccak256 of the smaller then the
larger), and an odd node moves up unchanged. A proof is just the list of sibling hashes; the
decision contract's ``includes_receipt`` checks the same proof on chain.

A leaf is ``keccak256(keccak256("ctylab.ballot.v1" | proposal uuid | receipt code | choice))``.
The receipt code is a secret only the voter holds, so a published leaf or proof tells nobody
the choice; the voter, knowing code and choice, recomputes the leaf and sees it is theirs.
"""

from eth_utils import keccak

EMPTY_ROOT = "0x" + "00" * 32
LEAF_DOMAIN = b"ctylab.ballot.v1"


def ballot_leaf(proposal_uuid, receipt_code: str, choice: int) -> str:
    inner = keccak(LEAF_DOMAIN + proposal_uuid.bytes + receipt_code.encode() + bytes([choice]))
    return "0x" + keccak(inner).hex()


def _b(value):
    return bytes.fromhex(value.removeprefix("0x"))


def _pair(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


def _levels(leaves):
    level = sorted(_b(leaf) for leaf in leaves)
    levels = [level]
    while len(level) > 1:
        level = [
            _pair(level[i], level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)
        ]
        levels.append(level)
    return levels


def root(leaves) -> str:
    leaves = list(leaves)
    if not leaves:
        return EMPTY_ROOT
    return "0x" + _levels(leaves)[-1][0].hex()


def proof(leaves, leaf) -> list[str]:
    """Sibling hashes from ``leaf`` up to the root; ValueError if the leaf is not in the tree."""
    levels = _levels(leaves)
    index = levels[0].index(_b(leaf))
    siblings = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            siblings.append("0x" + level[sibling].hex())
        index //= 2
    return siblings


def verify(leaf, siblings, expected_root) -> bool:
    node = _b(leaf)
    for sibling in siblings:
        node = _pair(node, _b(sibling))
    return "0x" + node.hex() == expected_root.lower()
