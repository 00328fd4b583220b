"""The city's library network (clauses 3.2.1, 3.2.2): one catalogue, one card.

A `Work` is one bibliographic record (one per work, merged by ISBN); an `Item`
is one copy held by a library (its home) and standing at one (its location);
a `Patron` has one card valid at every library, registered and migrant
residents alike. Loans, holds and transfers record circulation; digital
resources and e-reading rooms record 3.2.1's digital culture service.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import Town, Village


class LibraryKind(models.TextChoices):
    CITY = "city", _("City library")
    BRANCH = "branch", _("Branch library")
    TOWN = "town", _("Town library")
    KIOSK = "kiosk", _("24-hour self-service library")


class Library(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    kind = models.CharField(_("type"), max_length=8, choices=LibraryKind.choices)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town")
    )
    # A kiosk's items belong to the library that stocks it.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="kiosks"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """The library's name in the reader's language."""
        english = (get_language() or "").startswith("en")
        return self.name_en if english else self.name_zh


class Work(models.Model):
    """One bibliographic record of the union catalogue."""

    isbn = models.CharField(
        _("ISBN"), max_length=13, null=True, blank=True, unique=True
    )
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.CharField(_("year"), max_length=16, blank=True)
    subjects = models.CharField(_("subjects"), max_length=500, blank=True)
    source_format = models.CharField(_("format"), max_length=8, blank=True)
    control_number = models.CharField(max_length=64, blank=True)
    # Character bigrams of title, author, subjects and ISBN, one token a word,
    # indexed by SQLite FTS5 or a PostgreSQL GIN index (see `search`).
    search_tokens = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("On the shelf")
    ON_LOAN = "on_loan", _("On loan")
    IN_TRANSIT = "in_transit", _("In transit")
    ON_HOLD = "on_hold", _("Held for a reader")


class Item(models.Model):
    barcode = models.CharField(_("barcode"), max_length=32, unique=True)
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="items")
    home = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="items", verbose_name=_("home")
    )
    location = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where it is"),
    )
    call_number = models.CharField(_("call number"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ItemStatus.choices,
        default=ItemStatus.AVAILABLE,
    )

    class Meta:
        ordering = ["barcode"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.barcode


class Patron(models.Model):
    """One reader with one card for every library (通借通还一卡通)."""

    card = models.CharField(_("card number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_card",
    )
    # Migrant residents get the same card on the same terms (equalization).
    migrant = models.BooleanField(_("migrant resident"), default=False)
    home = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="patrons",
        verbose_name=_("home"),
    )
    # Salted PBKDF2 (Django's hasher); blank: the kiosk asks no PIN.
    pin_hash = models.CharField(max_length=128, blank=True)
    issued_on = models.DateField(_("issued on"))
    blocked = models.BooleanField(_("blocked"), default=False)

    class Meta:
        ordering = ["card"]
        verbose_name = _("reader")
        verbose_name_plural = _("readers")

    def __str__(self) -> str:
        return self.card


class Loan(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="loans")
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("lent at")
    )
    loaned_at = models.DateTimeField(_("lent"))
    due_on = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("returned at"),
    )
    fine = models.DecimalField(_("fine"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        ordering = ["-loaned_at", "-id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            # One open loan per item.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_at__isnull=True),
                name="library_one_open_loan_per_item",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_library__isnull=False),
                name="library_return_has_library",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.patron_id}"


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    IN_TRANSIT = "in_transit", _("On its way")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")


class Hold(models.Model):
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="holds")
    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="holds")
    pickup = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pick-up library"),
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    placed_at = models.DateTimeField(_("placed"))
    status = models.CharField(
        _("status"), max_length=12, choices=HoldStatus.choices, default="waiting"
    )

    class Meta:
        ordering = ["placed_at", "id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")

    def __str__(self) -> str:
        return f"{self.work_id} for {self.patron_id}"


class TransferReason(models.TextChoices):
    HOME = "home", _("Back to its home library")
    HOLD = "hold", _("To a reader's pick-up library")


class Transfer(models.Model):
    """An item on its way between libraries (统一配送/交流)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transfers")
    source = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=8, choices=TransferReason.choices)
    hold = models.ForeignKey(Hold, on_delete=models.PROTECT, null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.source_id} → {self.destination_id}"


class ResourceCategory(models.TextChoices):
    """The five categories clause 3.2.1 names."""

    JOURNALS = "journals", _("Academic journals")
    NEWSPAPERS = "newspapers", _("E-newspapers and magazines")
    EBOOKS = "ebooks", _("E-books")
    DECISION = "decision", _("Decision-reference databases")
    MULTIMEDIA = "multimedia", _("Multimedia databases")


class DigitalResource(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=12, choices=ResourceCategory.choices
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        verbose_name=_("contributed by"),
        related_name="resources",
    )

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("digital resource")
        verbose_name_plural = _("digital resources")

    def __str__(self) -> str:
        return self.title


class EReadingRoom(models.Model):
    """A public e-reading room in a village's or community's culture room (3.2.1)."""

    village = models.OneToOneField(
        Village, on_delete=models.PROTECT, related_name="e_reading_room"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)
    shared_resources = models.BooleanField(
        _("shares the digital resources"), default=True
    )

    class Meta:
        ordering = ["village"]
        verbose_name = _("e-reading room")
        verbose_name_plural = _("e-reading rooms")

    def __str__(self) -> str:
        return str(self.village_id)


class DigitalUse(models.Model):
    """One session of a digital resource, opened with a library card."""

    resource = models.ForeignKey(
        DigitalResource, on_delete=models.PROTECT, related_name="uses"
    )
    patron = models.ForeignKey(Patron, on_delete=models.PROTECT, related_name="+")
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room = models.ForeignKey(
        EReadingRoom, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("used"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("digital resource use")
        verbose_name_plural = _("digital resource uses")
        constraints = [
            models.CheckConstraint(
                condition=Q(library__isnull=False) | Q(room__isnull=False),
                name="library_use_has_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} at {self.at:%Y-%m-%d}"


class Terminal(models.Model):
    """A self-check kiosk or SIP2 client: its login and the library it stands in."""

    login = models.CharField(_("SIP2 login"), max_length=32, unique=True)
    password_hash = models.CharField(max_length=128)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="terminals"
    )

    class Meta:
        ordering = ["login"]
        verbose_name = _("self-check terminal")
        verbose_name_plural = _("self-check terminals")

    def __str__(self) -> str:
        return self.login
