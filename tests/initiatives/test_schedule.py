"""The platform's clock finds every app's periodic tasks and runs each at its interval."""

import pytest

from initiatives.schedule import Clock, PeriodicTask, periodic_tasks


def names(schedule):
    return {entry.name: entry.every for entry in schedule}


def test_installed_apps_declare_their_periodic_work():
    found = names(periodic_tasks())
    assert found == {
        "initiatives.tasks.publish_scheduled": 60,
        "initiatives.tasks.refresh_due_activity": 60,
        "catalogue.tasks.sync_card_types": 600,
        "governance.tasks.close_due_proposals": 60,
        "governance.tasks.anchor_due_decisions": 60,
        "governance.tasks.verify_anchored_decisions": 3600,
        "search.tasks.apply_pending_updates": 60,
        "search.tasks.refresh_due_documents": 300,
        "tenders.tasks.open_due_tenders": 60,
        "tenders.tasks.settle_award_votes": 60,
    }


def test_the_project_changes_an_interval_or_switches_a_task_off(settings):
    settings.CTYLAB_SCHEDULE = {
        "governance.tasks.verify_anchored_decisions": 600,
        "search.tasks.apply_pending_updates": None,
    }
    found = names(periodic_tasks())
    assert found["governance.tasks.verify_anchored_decisions"] == 600
    assert "search.tasks.apply_pending_updates" not in found


class _Task:
    def __init__(self, module_path):
        self.module_path = module_path


def test_everything_is_due_at_the_first_tick_then_at_its_interval():
    often, rarely = PeriodicTask(_Task("a.often"), 60), PeriodicTask(_Task("b.rarely"), 3600)
    clock = Clock([often, rarely])
    assert clock.due(1000.0) == [often, rarely]
    for entry in (often, rarely):
        clock.ran(entry, 1000.0)
    assert clock.due(1059.0) == []
    assert clock.seconds_to_next(1059.0) == pytest.approx(1.0)
    assert clock.due(1060.0) == [often]
    clock.ran(often, 1060.0)
    assert clock.due(4600.0) == [often, rarely]


def test_an_empty_schedule_waits_a_minute():
    assert Clock([]).seconds_to_next(0.0) == 60.0
