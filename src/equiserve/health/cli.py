"""`equiserve fhir`: the type-1 diabetes registry as a FHIR R4 bundle, out and in.

Run by whoever runs the server (the machine's operator): each run is written to
the audit trail as the system's. On the web and the API the export needs the
health role (`health.permissions`).
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

fhir_app = typer.Typer(
    help="Type-1 diabetes registry (3.3.2) as FHIR R4: export and import bundles.",
    no_args_is_help=True,
)


@fhir_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write the bundle.")],
) -> None:
    """Write every registry patient as one FHIR R4 collection bundle (JSON)."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.health import fhir, services
    from equiserve.health.models import Enrolment

    bundle = fhir.bundle_export(Enrolment.objects.all())
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    patients = sum(
        1 for e in bundle.get("entry", []) if e["resource"]["resourceType"] == "Patient"
    )
    services.export_record(actor=None, count=patients, channel="cli")
    typer.echo(f"{patients} patients, {len(bundle.get('entry', []))} resources → {out}")


@fhir_app.command("import")
def import_command(
    bundle: Annotated[Path, typer.Argument(help="A FHIR R4 bundle (JSON).")],
) -> None:
    """Import a bundle, all or nothing; an invalid resource refuses it whole."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.health import fhir

    try:
        data = json.loads(bundle.read_text(encoding="utf-8"))
        counts = fhir.bundle_import(data)
    except (fhir.FhirImportError, json.JSONDecodeError) as error:
        typer.echo(f"refused, nothing imported: {error}", err=True)
        sys.exit(1)
    typer.echo(
        f"imported {counts['patients']} patients, {counts['follow_ups']} follow-ups, "
        f"{counts['dispensings']} dispensings"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app, name="fhir")
