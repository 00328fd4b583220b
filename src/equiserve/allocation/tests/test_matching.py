"""The allocation equals the hospital–resident solution under one city list (issue 7).

Why they must agree: when every unit ranks applicants by the same city list, the
stable matching is unique and serial dictatorship in list order finds it. The
applicant ranked first gets their favourite unit in every stable matching (that
unit prefers them to anyone, so otherwise the two would block); fix that pair, and
the same argument applies to the next applicant among the units left. A unique
stable matching is in particular the resident-optimal one that `matching` returns.

The instance: each unit is a "hospital" of capacity 1 that ranks, in city-list
order, every applicant who finds it acceptable; each applicant ("resident") ranks
the units that suit their household size, estate by estate in their preference
order, and within an estate by fewest bedrooms then lowest id — the order the
round gives units of one estate. The migrant quota is off: it is not part of
the hospital–resident model.
"""

import warnings

from hypothesis import given, settings
from matching.games import HospitalResident

from equiserve.allocation import draw_round
from equiserve.allocation.tests.factories import config, instances, seeds


def hospital_resident_allocation(applicants, units, city_list):
    """Return {applicant id: unit id} from matching's resident-optimal solution."""
    by_estate = {}
    for unit in sorted(units, key=lambda u: (u.bedrooms, u.id)):
        by_estate.setdefault(unit.estate, []).append(unit)
    resident_prefs = {}
    for a in applicants:
        acceptable = [
            unit.id
            for estate in a.preferences
            for unit in by_estate.get(estate, [])
            if a.household_size in unit.suits
        ]
        # matching cannot take a resident who finds no hospital acceptable.
        if acceptable:
            resident_prefs[a.id] = acceptable
    hospital_prefs = {}
    for unit in units:
        ranked = [i for i in city_list if unit.id in resident_prefs.get(i, ())]
        if ranked:
            hospital_prefs[unit.id] = ranked
    if not resident_prefs:
        return {}
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, dict.fromkeys(hospital_prefs, 1)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning means the instance is wrong
        solution = game.solve(optimal="resident")
    assert game.check_stability()
    return {
        resident.name: hospital.name
        for hospital, residents in solution.items()
        for resident in residents
    }


@settings(max_examples=150, deadline=None)
@given(instances(), seeds)
def test_serial_dictatorship_equals_the_resident_optimal_stable_matching(
    instance, seed
):
    applicants, units = instance
    round_data = draw_round(applicants, units, config(), seed, round_id="hr")
    city_list = [record["id"] for record in round_data["applicants"]]
    expected = hospital_resident_allocation(applicants, units, city_list)
    assert round_data["allocation"] == expected
    assert set(round_data["allocation"]) | set(round_data["unallocated"]) == {
        a.id for a in applicants
    }
