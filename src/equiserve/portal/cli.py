"""Commands to set up and serve the system: migrate, demo load, serve."""

import typer

from equiserve.django_setup import setup_django

demo_app = typer.Typer(help="The demo city: synthetic people, published demo accounts.")


def migrate() -> None:
    """Apply database migrations."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@demo_app.command("load")
def demo_load(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing when the database already holds people."
    ),
    scale: float = typer.Option(0.01, help="Share of the city's population to load."),
    seed: int = typer.Option(1, help="Seed of the synthetic population."),
) -> None:
    """Load the demo city (about 40,000 people at 1 %) and create the demo accounts."""
    import os

    os.environ["EQUISERVE_DEMO"] = "1"
    setup_django()
    from equiserve.portal.services import demo_city_load

    report = demo_city_load(scale=scale, seed=seed, only_if_empty=if_empty)
    for line in report:
        typer.echo(line)


@demo_app.command("accounts")
def demo_accounts() -> None:
    """Print the demo accounts and their passwords (they log in in demo mode only)."""
    setup_django()
    from equiserve.accounts.services import DEMO_ACCOUNTS

    typer.echo("Demo accounts (user / password / role):")
    for account in DEMO_ACCOUNTS:
        where = account.department or account.town_code
        typer.echo(
            f"  {account.username:22} {account.password:27} {account.role} {where}"
        )


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Worker threads."),
) -> None:
    """Serve the web application with waitress (a production WSGI server)."""
    setup_django()
    from waitress import serve as waitress_serve

    from equiserve.wsgi import application

    typer.echo(f"equiserve: http://{host}:{port}/")
    waitress_serve(application, host=host, port=port, threads=threads)


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)
    app.command("serve")(serve)
    app.add_typer(demo_app, name="demo")
