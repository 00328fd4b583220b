"""The one `equiserve` command; each domain registers its sub-commands here.

Heavy imports (Django, Polars) happen inside the commands, so `equiserve --help`
stays fast.
"""

import importlib

import typer

app = typer.Typer(
    name="equiserve",
    help="Run, measure and publish the Zhongshan 2014–2016 public service plan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app: typer.Typer) -> None`.
COMMAND_MODULES = [
    "equiserve.facilities.cli",
    "equiserve.portal.cli",
    "equiserve.policy.cli",
    "equiserve.simulation.cli",
    "equiserve.housing.cli",
    "equiserve.audit.cli",
    "equiserve.registry.cli",
    "equiserve.geography.cli",
    "equiserve.synth.cli",
    "equiserve.equality.cli",
    "equiserve.monitoring.cli",
    "equiserve.employment.cli",
    "equiserve.cases.cli",
    "equiserve.health.cli",
    "equiserve.library.cli",
    "equiserve.operations.cli",
    "equiserve.budget.cli",
    "equiserve.publication.cli",
]


def _register_all() -> None:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
