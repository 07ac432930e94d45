"""What the ambassadors app tells the apps above it, which it may not import (calls →
ambassadors → concierge): they connect their receivers in their AppConfig.ready()."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of an account's deletion, before the profile is wiped, with
# ``ambassador_id`` and ``numbers`` (each number the person proved theirs, E.164). Whoever stored
# those numbers erases them there and then; a receiver that fails rolls the deletion back, so
# nothing is ever deleted by half.
ambassador_deleting = Signal()
