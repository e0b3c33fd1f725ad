"""Signals of the publication layer: other datasets publish their month of the same date with progress."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the publishing transaction with as_of and actor (a name); a receiver publishes its own month
# of that date and returns {dataset name: (published before, published after)} for the audit entry, or None.
month_published = Signal()
