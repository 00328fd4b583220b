"""Mark stored indicator values stale when the data they are counted from changes.

Each receiver names the kind of change, the towns it touches and the periods
it can fall in; `stored.values_mark_stale` marks exactly those values (and the
city's) and enqueues the worker (issue 13, deliverable 2). Bulk imports, which
send no signals, call `values_mark_stale` from their services.
"""

from __future__ import annotations

from django.db.models import DateField
from django.db.models.signals import post_delete, post_save, pre_save

from equiserve.monitoring import stored
from equiserve.monitoring.periods import PERIODS


def _earliest(*days):
    known = [day for day in days if day is not None]
    return min(known) if known else None


def _before(instance, *fields) -> dict:
    """Return the stored fields of a record about to change ({} when new)."""
    if instance.pk is None or instance._state.adding:
        return {}
    found = type(instance).objects.filter(pk=instance.pk).values(*fields).first()
    return found or {}


def _remember_person(sender, instance, **kwargs):
    fields = [f.attname for f in sender._meta.concrete_fields]
    instance._monitoring_before = _before(instance, *fields)


def _person_changed(sender, instance, **kwargs):
    """Mark the person's towns (before and after), from the first period it moves.

    A change of dates only (a death, a registration) moves the periods from the
    earliest of those dates on; any other change every period since birth. Only
    the indicators reading a changed field are marked.
    """
    # A new or deleted person moves whatever reads the registry; an update
    # only what reads a field it changed (None: any field).
    deleted = "created" not in kwargs
    before = {} if deleted else getattr(instance, "_monitoring_before", {})
    changed = [
        f
        for f in sender._meta.concrete_fields
        if before and before.get(f.attname) != getattr(instance, f.attname)
    ]
    fields = {f.attname for f in changed} if before else None
    if changed and all(isinstance(f, DateField) for f in changed):
        days = [getattr(instance, f.attname) for f in changed]
        days += [before.get(f.attname) for f in changed]
    else:
        days = [instance.birth_date, before.get("birth_date")]
    from equiserve.geography.models import Village
    from equiserve.registry.models import Household

    # Household terms count a person's household where the household lives.
    households = {instance.household_id, before.get("household_id")} - {None}
    towns = {instance.town_id, before.get("town_id")}
    towns |= set(
        Household.objects.filter(pk__in=households).values_list("town_id", flat=True)
    )
    # The fitness circle places people within their village, kept by the
    # village's town (`facilities.circle.persons_read`).
    villages = {instance.village_id, before.get("village_id")} - {None}
    towns |= set(
        Village.objects.filter(pk__in=villages).values_list("town_id", flat=True)
    )
    stored.values_mark_stale(
        stored.REGISTRY,
        towns=towns,
        periods=stored.periods_from(_earliest(*days)),
        fields=fields,
    )


def _remember_household(sender, instance, **kwargs):
    instance._monitoring_before = _before(instance, "town_id")


def _household_changed(sender, instance, **kwargs):
    before = getattr(instance, "_monitoring_before", {})
    stored.values_mark_stale(
        stored.REGISTRY_RECORDS, towns=[instance.town_id, before.get("town_id")]
    )


def _health_changed(sender, instance, **kwargs):
    from equiserve.registry.models import Person

    town = Person.objects.filter(pk=instance.person_id).values_list("town_id")
    stored.values_mark_stale(
        stored.REGISTRY_RECORDS, towns=[row[0] for row in town], periods=PERIODS
    )


def _t1d_changed(sender, instance, **kwargs):
    """Mark the patient's town from the record's date on (issue 16)."""
    from equiserve.health.models import Enrolment

    pk = instance.pk if isinstance(instance, Enrolment) else instance.enrolment_id
    found = Enrolment.objects.filter(pk=pk).values_list("person__town_id", flat=True)
    day = getattr(instance, "visited_on", None) or instance.enrolled_on
    stored.values_mark_stale(
        stored.HEALTH, towns=list(found), periods=stored.periods_from(day)
    )


def _case_changed(sender, instance, **kwargs):
    from equiserve.cases.models import Case

    case_id = instance.pk if isinstance(instance, Case) else instance.case_id
    towns = Case.objects.filter(pk=case_id).values_list("town_id", flat=True)
    stored.values_mark_stale(stored.CASES, towns=list(towns))


def _offer_changed(sender, instance, **kwargs):
    from equiserve.housing.models import Application

    towns = Application.objects.filter(pk=instance.application_id).values_list(
        "household__town_id", flat=True
    )
    stored.values_mark_stale(stored.CASES, towns=list(towns))


def _facility_changed(sender, instance, **kwargs):
    stored.values_mark_stale(stored.FACILITIES, towns=[instance.town_id])


def _registry_imported(sender, towns=None, **kwargs):
    stored.values_mark_stale(stored.REGISTRY, towns=towns)


def _facilities_imported(sender, **kwargs):
    stored.values_mark_stale(stored.FACILITIES)


def _network_changed(sender, instance, **kwargs):
    # The road network sets every walking distance of the fitness circle.
    stored.values_mark_stale(stored.FACILITIES)


def _entry_changed(sender, instance, **kwargs):
    from equiserve.monitoring.periods import period_get

    stored.values_mark_stale(
        stored.ENTRIES,
        towns=[instance.place],
        periods=[period_get(instance.period)],
        indicators=[instance.indicator],
    )


def _connect(sender: str, changed, remember=None) -> None:
    uid = f"monitoring-stale-{sender}"
    if remember is not None:
        pre_save.connect(remember, sender=sender, dispatch_uid=uid, weak=False)
    post_save.connect(changed, sender=sender, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=sender, dispatch_uid=uid, weak=False)


def connect() -> None:
    """Connect every receiver (from `MonitoringConfig.ready`)."""
    _connect("registry.Person", _person_changed, _remember_person)
    _connect("registry.Household", _household_changed, _remember_household)
    _connect("registry.PersonHealth", _health_changed)
    for name in ("Case", "Decision", "Entitlement", "Delivery"):
        _connect(f"cases.{name}", _case_changed)
    _connect("housing.Offer", _offer_changed)
    _connect("health.Enrolment", _t1d_changed)
    _connect("health.FollowUp", _t1d_changed)
    _connect("facilities.Facility", _facility_changed)
    _connect("facilities.RoadNetwork", _network_changed)
    _connect("monitoring.IndicatorEntry", _entry_changed)
    from equiserve.facilities.signals import facilities_imported
    from equiserve.registry.signals import records_imported

    records_imported.connect(_registry_imported, dispatch_uid="monitoring-stale")
    facilities_imported.connect(_facilities_imported, dispatch_uid="monitoring-stale")
