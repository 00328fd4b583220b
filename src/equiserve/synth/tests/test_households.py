"""Matching on age and forming households."""

import numpy as np

from equiserve.synth import calibration
from equiserve.synth.households import (
    CHILD,
    HEAD,
    OTHER,
    Formation,
    form_households,
    match_by_age,
    share_dwellings,
)
from equiserve.synth.town import group_rules


def test_match_by_age_takes_the_nearest_free_member():
    rng = np.random.default_rng(0)
    picks = match_by_age(
        np.array([31.0, 30.0]), np.array([20.0, 29.5, 31.2, 50.0]), rng
    )
    assert picks.tolist() == [2, 1]


def test_match_by_age_never_picks_a_member_twice_and_respects_the_tolerance():
    rng = np.random.default_rng(0)
    picks = match_by_age(
        np.array([30.0, 30.0, 30.0]), np.array([29.0, 30.0, 31.0, 60.0]), rng
    )
    assert picks.tolist() == [1, 2, -1]
    wide = match_by_age(
        np.array([30.0, 30.0, 30.0]), np.array([29.0, 30.0, 31.0, 60.0]), rng, np.inf
    )
    assert wide.tolist() == [1, 2, 3]


def test_match_by_age_with_an_empty_pool():
    rng = np.random.default_rng(0)
    assert match_by_age(np.array([30.0]), np.array([]), rng).tolist() == [-1]


def test_every_minor_gets_an_adult_guardian_in_the_same_household():
    rng = np.random.default_rng(11)
    rules = group_rules(calibration.rates(), "registered")
    age = rng.uniform(0, 90, 3_000)
    male = rng.random(3_000) < 0.5
    formation = form_households(age, male, rules, 0, rng)
    minors = np.flatnonzero(age < 18)
    guardians = formation.guardian[minors]
    assert (guardians >= 0).all()
    assert (age[guardians] >= 18).all()
    assert (formation.household[guardians] == formation.household[minors]).all()
    assert (formation.relation[minors] == CHILD).all()
    heads = np.bincount(
        formation.household[formation.relation == HEAD], minlength=formation.count
    )
    assert (heads == 1).all()


def test_collective_households_take_the_people_asked_for():
    rng = np.random.default_rng(2)
    rules = group_rules(calibration.rates(), "migrant")
    age = rng.uniform(18, 45, 1_000)
    formation = form_households(age, rng.random(1_000) < 0.6, rules, 300, rng)
    in_collective = formation.collective[formation.household]
    assert in_collective.sum() == 300
    sizes = np.bincount(formation.household)[formation.collective]
    assert 2.5 < sizes.mean() < 4.0


def test_sharing_dwellings_removes_households_of_singles_only():
    rng = np.random.default_rng(4)
    formation = Formation(
        household=np.array([0, 1, 2, 3, 4, 4]),
        relation=np.array([HEAD, HEAD, HEAD, HEAD, HEAD, CHILD], dtype=np.int8),
        guardian=np.full(6, -1),
        collective=np.zeros(5, dtype=bool),
    )
    age = np.array([30.0, 40.0, 25.0, 70.0, 40.0, 10.0])
    removed = share_dwellings(formation, age, 5, rng)
    assert removed == 1  # three working-age singles: one moves in with another
    assert formation.count == 4
    assert (formation.relation == OTHER).sum() == 1
    assert np.bincount(formation.household).tolist().count(2) == 2
