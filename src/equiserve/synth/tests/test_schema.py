"""The evaluate contract's field rules, applied to person rows."""

from datetime import date

from equiserve.synth.schema import validate_person, validate_persons

CONTRACT_EXAMPLE = [
    {"id": "p1", "household": "h1", "birth_date": "1993-04-02", "sex": "M",
     "hukou": "zhongshan", "hukou_kind": "rural", "town": "442000100",
     "veteran": {"kind": "transferred_nco", "discharged": "2015-03-01", "nco_years": 8}},
    {"id": "p2", "household": "h2", "birth_date": "2007-09-01", "sex": "F",
     "hukou": "elsewhere", "resident_since": "2012-02-01", "town": "442000106",
     "school_stage": "primary", "guardian": "p3"},
    {"id": "p3", "household": "h2", "birth_date": "1980-01-01", "sex": "F",
     "hukou": "elsewhere", "resident_since": "2010-05-01", "points": 180,
     "town": "442000106"},
    {"id": "p4", "birth_date": "1950-01-01", "sex": "M", "hukou": "zhongshan",
     "death": {"date": "2015-06-20", "storage_days": 5, "ash_storage_years": 12}},
    {"id": "p5", "birth_date": "2001-01-01", "sex": "F", "hukou": "zhongshan",
     "t1d": {"diagnosed": "2013-05-05", "hospital_grade": "3B"}},
]  # fmt: skip


def test_the_contracts_own_example_is_valid():
    assert validate_persons(CONTRACT_EXAMPLE) == []


def test_dates_may_be_date_objects():
    person = {
        "id": "p1",
        "birth_date": date(1990, 1, 1),
        "hardship": {"cause": "fire", "date": date(2015, 1, 2)},
    }
    assert validate_person(person) == []


def test_every_error_is_listed_with_its_path_in_the_contracts_words():
    # Issue 11: the engine's own contract checks the population, not a copy.
    person = {
        "birth_date": "2015-02-30",
        "sex": "X",
        "town": "442000999",
        "points": -1,
        "low_income": "no",
        "veteran": {"kind": "general", "discharged": "2015-03-01"},
        "t1d": {"diagnosed": "2013-05-05", "hospital_grade": "4A"},
    }
    errors = validate_person(person, index=3)
    assert [(error["path"], error["message"]) for error in errors] == [
        ("persons[3].birth_date", "Impossible date: 2015-02-30"),
        (
            "persons[3].sex",
            'Unknown value "X"; expected one of: F (Female), M (Male)',
        ),
        (
            "persons[3].town",
            'Unknown town code "442000999" (expected one of the 24 nine-digit'
            " codes of Zhongshan's towns)",
        ),
        ("persons[3].points", "Must not be negative: -1"),
        ("persons[3].low_income", "Expected true or false"),
        (
            "persons[3].veteran.kind",
            'Unknown kind "general"; expected one of: conscript (Retired '
            "conscript), demobilized_nco (Demobilized NCO), transferred_nco "
            "(Transferred NCO)",
        ),
        (
            "persons[3].t1d.hospital_grade",
            'Unknown value "4A"; expected one of: 1 (Grade 1), 2C (Grade 2C), '
            "2B (Grade 2B), 2A (Grade 2A), 3C (Grade 3C), 3B (Grade 3B), "
            "3A (Grade 3A), 3S (Grade 3, special)",
        ),
        ("persons[3].id", "This field is required"),
    ]


def test_counts_must_be_whole_numbers_not_booleans():
    errors = validate_person(
        {
            "id": "p1",
            "points": True,
            "death": {
                "date": "2015-01-01",
                "storage_days": 2.5,
                "ash_storage_years": 0,
            },
        }
    )
    assert [(error["path"], error["code"]) for error in errors] == [
        ("persons[0].points", "not_number"),
        ("persons[0].death.storage_days", "not_integer"),
    ]


def test_required_fields_can_be_widened_for_a_whole_population():
    errors = validate_person({"id": "p1"}, required=("id", "sex", "town"))
    assert [error["path"] for error in errors] == ["persons[0].sex", "persons[0].town"]
