"""Signals of the registry, for apps that keep figures counted from it."""

from django.dispatch import Signal

# Sent after a bulk write (an import), which sends no `post_save`; `towns` names
# the towns written to, or is None for the whole registry.
records_imported = Signal()
