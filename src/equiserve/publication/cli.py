"""`equiserve publish --out DIR`: the public site as static files (clause 4.4)."""

from pathlib import Path
from typing import Annotated

import typer


def publish(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the site into.")],
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="The address the site is served at (DCAT)."),
    ] = "",
    screener_url: Annotated[
        str, typer.Option("--screener-url", help="Where the public screener is.")
    ] = "/screener/",
) -> None:
    """Write the public site (Chinese, and English under en/) as static files."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.publication.rendering import export

    if base_url and not base_url.endswith("/"):
        base_url += "/"
    written = export(out, base=base_url, screener=screener_url)
    typer.echo(f"{len(written)} files written to {out}")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
