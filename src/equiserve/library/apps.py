from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _room_changed(sender, instance, **kwargs):
    """Mark the 3.2.1 values of the room's town stale (monitoring recomputes them)."""
    from equiserve.monitoring import stored

    stored.values_mark_stale(stored.LIBRARY, towns=[instance.village.town_id])


class LibraryConfig(AppConfig):
    name = "equiserve.library"
    label = "library"
    verbose_name = _("Library network")

    def ready(self) -> None:
        for signal in (post_save, post_delete):
            signal.connect(
                _room_changed,
                sender="library.EReadingRoom",
                dispatch_uid=f"library-room-{signal is post_save}",
                weak=False,
            )
