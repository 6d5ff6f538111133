from django.dispatch import Signal

#: Sent after a membership is granted, re-activated or revoked (``membership``, ``actor``).
#: Domain apps listen to keep their own permissions in step (e.g. per-school authoring groups).
membership_changed = Signal()
