"""Create or update the worker's periodic schedules (idempotent; run by ``make worker``)."""

from django.core.management.base import BaseCommand
from django_q.models import Schedule

# (name, function, minutes between runs)
SCHEDULES = [
    ("core.heartbeat", "govhall.core.tasks.heartbeat", 1),
    ("notifications.sweep", "govhall.notifications.tasks.sweep", 1),  # SMS outbox: delivers anything due
    ("audit.checkpoint", "govhall.core.audit.tasks.checkpoint_if_due", 5),  # signs the chain head
    ("appointments.sweep", "govhall.appointments.tasks.sweep", 5),  # no-shows, reminders, horizon slots
    ("applications.sweep", "govhall.applications.tasks.sweep", 15),  # deemed acceptance, deadline markers
    ("licenses.sweep", "govhall.licenses.tasks.sweep", 60),  # expire licenses whose validity ended
    ("feedback.sweep", "govhall.feedback.tasks.sweep", 30),  # Art. 15 due-today warnings, overdue reports
]


class Command(BaseCommand):
    help = "Create or update the periodic schedules the worker runs."

    def handle(self, *args, **options):
        for name, func, minutes in SCHEDULES:
            Schedule.objects.update_or_create(
                name=name,
                defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
            )
        self.stdout.write(f"{len(SCHEDULES)} schedule(s) ready.")
