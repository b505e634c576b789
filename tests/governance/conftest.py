"""Fixtures for governance: people, an initiative with members, proposals, a fresh chain."""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from governance import services
from governance.backends import reset_backends
from governance.models import DecisionRule, ProposalKind, Role

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_chain():
    """Each test gets a new in-process chain (eth-tester) unless it configures another."""
    reset_backends()
    yield
    reset_backends()


@pytest.fixture
def make_user(db):
    def make(name=None):
        name = name or f"user{next(_numbers)}"
        return get_user_model().objects.create_user(username=name, password="x")

    return make


@pytest.fixture
def initiative(make_initiative):
    return make_initiative(title="Bloemkwartier")


@pytest.fixture
def frontrunner(initiative, make_user):
    user = make_user("frontrunner")
    services.join(initiative, user, Role.FRONTRUNNER)
    return user


@pytest.fixture
def make_member(initiative, make_user, frontrunner):
    def make(role=Role.PARTICIPANT, name=None):
        user = make_user(name)
        services.join(initiative, user, role)
        return user

    return make


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def make_proposal(initiative, frontrunner, now):
    """An open proposal (opened a minute before ``at``, closing an hour after) unless
    open=False; ``at`` defaults to now."""

    def make(open=True, by=None, at=None, **rules):
        at = at or now
        rules.setdefault("title", "Plant lime trees")
        rules.setdefault("kind", ProposalKind.FOR_AGAINST)
        rules.setdefault("rule", DecisionRule.SIMPLE_MAJORITY)
        rules.setdefault("opens_at", at - datetime.timedelta(minutes=1))
        rules.setdefault("closes_at", at + datetime.timedelta(hours=1))
        proposal = services.propose(initiative, by or frontrunner, now=at, **rules)
        if open:
            proposal = services.open_proposal(proposal, frontrunner, now=at)
        return proposal

    return make


def after_closing(proposal):
    return proposal.closes_at + datetime.timedelta(seconds=1)
