"""The demo cases: every programme, several states, Xiaolan and Guzhen."""

import pytest

from equiserve.cases.demo import DemoError, cases_demo_clear, cases_demo_load
from equiserve.cases.models import Case
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.tests.factories import GUZHEN, XIAOLAN


@pytest.fixture
def demo_population(demo_accounts, tmp_path):
    from equiserve.employment.demo import employment_demo_load
    from equiserve.registry.services import population_import_parquet
    from equiserve.synth import synthesize

    synthesize(scale=0.002, seed=1, out_dir=tmp_path, progress=False)
    summary = population_import_parquet(tmp_path)
    # The 3.7 cases (issue 15) are of the labour register's unemployed.
    employment_demo_load(seed=1)
    return summary


@pytest.mark.django_db
def test_demo_cases_cover_every_programme_in_several_states(demo_population, settings):
    counts = cases_demo_load(seed=1)
    cases = list(Case.objects.all())
    assert counts["total"] == len(cases) >= 20
    assert {c.programme for c in cases} == set(PROGRAMMES)
    statuses = {c.status for c in cases}
    assert {
        "submitted",
        "returned",
        "assessed",
        "awaiting_second",
        "approved",
        "rejected",
        "fulfilled",
        "appealed",
    } <= statuses
    assert {XIAOLAN, GUZHEN} <= {c.town_id for c in cases}
    assert sum(counts[s] for s in statuses) == counts["total"]
    first = sorted((c.programme, c.status, c.applicant.key) for c in cases)
    # The same seed gives the same cases; loading again replaces them.
    cases_demo_load(seed=1)
    again = sorted((c.programme, c.status, c.applicant.key) for c in Case.objects.all())
    assert again == first
    settings.DEMO_MODE = False
    with pytest.raises(DemoError):
        cases_demo_clear()
