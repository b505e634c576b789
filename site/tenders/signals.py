"""What tenders announce, for receivers that decide what follows and when (e-mails go through
tasks, see ``receivers``). Both are sent inside the transaction that made the change."""

from django.dispatch import Signal

# sender=Tender, tender=<Tender>, previous=<datetime>
deadline_extended = Signal()
# sender=Tender, tender=<Tender>
tender_awarded = Signal()
