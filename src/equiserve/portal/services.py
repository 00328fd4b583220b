"""The demo city: reference geography, a synthetic population, programme data, accounts."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from equiserve.accounts.services import demo_accounts_create
from equiserve.registry.models import Person


def demo_city_load(*, scale: float, seed: int, only_if_empty: bool) -> list[str]:
    """Load towns, villages, a synthetic population and programme data; report lines.

    With `only_if_empty`, a database that already holds people is kept as it is
    (only the demo accounts are refreshed): `make run` never wipes a user's work.
    """
    from equiserve.budget.demo import budget_demo_load
    from equiserve.cases.demo import cases_demo_clear, cases_demo_load
    from equiserve.disability.demo import disability_demo_clear, disability_demo_load
    from equiserve.employment.demo import employment_demo_clear, employment_demo_load
    from equiserve.facilities.services import facilities_demo_load
    from equiserve.geography.services import geography_load_reference
    from equiserve.health.demo import health_demo_clear, health_demo_load
    from equiserve.housing.services import housing_demo_clear, housing_demo_load
    from equiserve.library.demo import library_demo_clear, library_demo_load
    from equiserve.projects.demo import projects_demo_load
    from equiserve.registry.services import population_import_parquet
    from equiserve.synth import synthesize

    report: list[str] = []
    geography_load_reference()
    if only_if_empty and Person.objects.exists():
        report.append(f"{Person.objects.count()} persons already loaded; kept.")
        demo_accounts_create()
        report.append("Demo accounts ready.")
        return report

    out_dir = Path(settings.VAR_DIR) / f"demo-population-{seed}-{scale}"
    synthesize(scale=scale, seed=seed, out_dir=out_dir, progress=False)
    with transaction.atomic():
        # Cases and housing applications protect their persons: clear them first.
        cases_demo_clear()
        housing_demo_clear()
        health_demo_clear()
        disability_demo_clear()
        employment_demo_clear()
        library_demo_clear()  # issue 19: readers protect persons, rooms villages
        summary = population_import_parquet(out_dir, replace=True)
        facilities = facilities_demo_load(seed=seed)
        demo_accounts_create()
        # Issue 15: the labour register before the cases that read it (3.7).
        employment = employment_demo_load(seed=seed)
        cases = cases_demo_load(seed=seed)
        housing = housing_demo_load(seed=seed)
        # Issue 16: the type-1 diabetes registry and the mental-health pilot.
        health = health_demo_load(seed=seed)
        # Issue 17: the register, services and institutions; the plan's projects.
        disability = disability_demo_load()
        projects = projects_demo_load()
        # Issue 18: the 2015 estimate from a run of this population, and budgets.
        budget = budget_demo_load(population=out_dir)
        # Issue 19: the library network, its catalogue, circulation, digital use.
        library = library_demo_load(seed=seed)
    report.append(
        f"Loaded {summary.persons} persons in {summary.households} households, "
        f"{sum(facilities.values())} synthetic facilities, {cases['total']} cases, "
        f"{housing['applications']} housing applications and round "
        f"'{housing['round']}' ready to draw."
    )
    report.append(
        f"Labour register: {employment['registrations']} unemployment registrations, "
        f"{employment['vacancies']} vacancies."
    )
    report.append(
        f"Disability register: {disability['records']} persons, "
        f"{disability['services']} services; {projects} plan projects."
    )
    report.append(
        f"Budget execution 2015: {budget['programme']} programme estimates, "
        f"{budget['facility']} facility shortfalls, {budget['budgets']} budgets."
    )
    report.append(
        f"Health registries: {health['patients']} type-1 diabetes patients, "
        f"{health['follow_ups']} follow-ups; {health['screenings']} pupils screened."
    )
    report.append(
        f"Library network: {library['libraries']} libraries, {library['works']} works, "
        f"{library['loans']} loans, {library['e_reading_rooms']} e-reading rooms."
    )
    report.append("Demo accounts ready.")
    return report
