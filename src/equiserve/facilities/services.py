"""Write facilities: imports (all or nothing), the road network, the demo city's set."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.accessibility import (
    NetworkError,
    network_from_geojson,
    network_from_graphml,
)
from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.facilities.circle import network_arrays
from equiserve.facilities.importing import build_facilities, read_rows
from equiserve.facilities.models import Facility, RoadNetwork
from equiserve.facilities.permissions import (
    may_import_road_network,
    may_write_facility,
    writes_facilities,
)
from equiserve.facilities.signals import facilities_imported
from equiserve.imports.report import ImportReport


@transaction.atomic
def facilities_import(
    *, content: bytes, filename: str, actor, request=None
) -> ImportReport:
    """Create or update facilities from a CSV, XLSX or GeoJSON file, all or nothing.

    Rows are matched to existing facilities by `code`. If any row has a
    problem, including a facility outside what `actor` may write, nothing is
    written and the report lists every problem by row.
    """
    report = ImportReport(source=Path(filename).name)
    if not writes_facilities(actor):
        report.error(_("you may not import facilities"))
        return report
    rows = read_rows(content, filename, report)
    if rows is None:
        return report
    facilities = []
    with report.checking():
        facilities = build_facilities(
            rows,
            report,
            may_write=lambda kind, town_code: may_write_facility(
                actor, kind=kind, town_code=town_code
            ),
        )
    if not report.ok:
        return report
    created, updated = [], []
    for facility in facilities:
        (updated if facility.pk else created).append(facility.code)
        facility.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        object_type="facilities.Facility",
        summary=f"{report.source}: {len(created)} created, {len(updated)} updated",
        changes={"created": created, "updated": updated},
        request=request,
    )
    report.done(
        gettext_lazy("%(file)s: %(created)d facilities created, %(updated)d updated."),
        {"created": len(created), "updated": len(updated)},
        created=created,
        updated=updated,
    )
    return report


@transaction.atomic
def road_network_import(
    *, content: bytes, filename: str, actor, request=None
) -> RoadNetwork:
    """Store a walkable road network (GraphML or GeoJSON lines); it becomes current.

    Raises PermissionDenied if `actor` may not replace it, NetworkError listing
    every problem; nothing is stored then.
    """
    if not may_import_road_network(actor):
        raise PermissionDenied("may not import a road network")
    import json
    import tempfile

    name = Path(filename).name
    suffix = Path(name).suffix.lower()
    if suffix == ".graphml":
        source_format = "graphml"
        with tempfile.NamedTemporaryFile(suffix=".graphml") as handle:
            handle.write(content)
            handle.flush()
            network = network_from_graphml(handle.name)
    elif suffix in (".geojson", ".json"):
        source_format = "geojson"
        try:
            document = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NetworkError([f"not valid JSON: {exc}"]) from exc
        network = network_from_geojson(document)
    else:
        raise NetworkError(
            [f"unknown file type {suffix or '?'} (.graphml or .geojson)"]
        )
    authenticated = getattr(actor, "is_authenticated", False)
    stored = RoadNetwork(
        name=name,
        source_format=source_format,
        node_count=network.node_count,
        edge_count=network.edge_count,
        data=network_arrays(network),
        imported_by=actor if authenticated else None,
    )
    stored.full_clean(exclude=["imported_by"])
    stored.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        object_type="facilities.RoadNetwork",
        object_id=stored.pk,
        summary=f"{name}: {network.node_count} nodes, {network.edge_count} edges",
        request=request,
    )
    return stored


@transaction.atomic
def facilities_demo_load(*, seed: int = 1, actor=None) -> dict[str, int]:
    """Replace the synthetic facilities with a fresh demo set; return counts by kind.

    Real (non-synthetic) facilities are kept. Needs the geography loaded; uses
    the registry's population, if loaded, to size the culture areas.
    """
    from equiserve.facilities.demo import demo_facilities

    Facility.objects.filter(synthetic=True).delete()
    facilities = demo_facilities(seed=seed)
    for facility in facilities:
        # Field checks only: Django validates each CheckConstraint with its own
        # query, which for ~1,600 generated rows is slow and proves nothing new.
        facility.clean_fields(exclude=["town", "village", "natural_village"])
    Facility.objects.bulk_create(facilities, batch_size=1000)
    facilities_imported.send(sender=Facility)
    counts: dict[str, int] = {}
    for facility in facilities:
        counts[facility.kind] = counts.get(facility.kind, 0) + 1
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="facilities.Facility",
        summary=f"demo facilities (seed {seed}): {len(facilities)}",
        changes=counts,
    )
    return counts
