"""Signals of the facilities, for apps that keep figures counted from them."""

from django.dispatch import Signal

# Sent after a bulk write (the demo facilities), which sends no `post_save`.
facilities_imported = Signal()
