"""The platform's clock: runs each app's periodic tasks at their intervals.

An app declares its periodic work in its ``tasks`` module, next to the tasks themselves::

    PERIODIC_TASKS = [(close_due_proposals, 60)]   # (django-tasks task, seconds)

so installing an app is enough for its clock work to run; no app imports another's tasks.
The project may change an interval, or switch a task off with ``None``, in the setting
``CTYLAB_SCHEDULE = {"governance.tasks.verify_anchored_decisions": 600}``.

The clock only *enqueues*: the task worker (``manage.py db_worker``) does the work, so a slow
chain never holds up the clock. Every periodic task is idempotent, so a second clock, or one
that restarts and runs everything at once, does no harm.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class PeriodicTask:
    task: object  # a django_tasks Task
    every: float  # seconds

    @property
    def name(self):
        return self.task.module_path


def periodic_tasks():
    """Every installed app's periodic tasks, with the project's intervals applied."""
    overrides = getattr(settings, "CTYLAB_SCHEDULE", {})
    found = []
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "tasks"):
            continue
        module = import_module(f"{app_config.name}.tasks")
        for task, every in getattr(module, "PERIODIC_TASKS", ()):
            every = overrides.get(task.module_path, every)
            if every is not None:
                found.append(PeriodicTask(task, float(every)))
    return found


class Clock:
    """Which periodic tasks are due at a moment (monotonic seconds). Everything is due at
    the first tick: work that waited while no clock ran is done at once."""

    def __init__(self, schedule):
        self.schedule = schedule
        self.last_run = {}

    def due(self, now):
        return [
            entry
            for entry in self.schedule
            if entry.name not in self.last_run or now - self.last_run[entry.name] >= entry.every
        ]

    def ran(self, entry, now):
        self.last_run[entry.name] = now

    def seconds_to_next(self, now):
        waits = [
            entry.every - (now - self.last_run.get(entry.name, now - entry.every))
            for entry in self.schedule
        ]
        return max(0.0, min(waits, default=60.0))
