import uuid

import pytest

from governance import merkle


def leaves(count):
    proposal = uuid.uuid4()
    return [merkle.ballot_leaf(proposal, f"CODE-{i}", i % 3) for i in range(count)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 33])
def test_every_leaf_has_a_valid_proof(count):
    tree = leaves(count)
    root = merkle.root(tree)
    for leaf in tree:
        assert merkle.verify(leaf, merkle.proof(tree, leaf), root)


def test_root_does_not_depend_on_order():
    tree = leaves(9)
    assert merkle.root(tree) == merkle.root(list(reversed(tree)))


def test_a_foreign_leaf_or_a_wrong_root_fails():
    tree = leaves(6)
    root = merkle.root(tree)
    outsider = leaves(1)[0]
    assert not merkle.verify(outsider, merkle.proof(tree, tree[0]), root)
    assert not merkle.verify(tree[0], merkle.proof(tree, tree[0]), merkle.root(leaves(6)))
    with pytest.raises(ValueError):
        merkle.proof(tree, outsider)


def test_the_leaf_binds_the_choice_and_the_proposal():
    proposal = uuid.uuid4()
    assert merkle.ballot_leaf(proposal, "C", 0) != merkle.ballot_leaf(proposal, "C", 1)
    assert merkle.ballot_leaf(proposal, "C", 0) != merkle.ballot_leaf(uuid.uuid4(), "C", 0)


def test_empty_tree():
    assert merkle.root([]) == merkle.EMPTY_ROOT
