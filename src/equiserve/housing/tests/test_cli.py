"""`equiserve housing draw` writes round.json; `verify` passes it and fails any edit."""

import json

import pytest
import typer
from typer.testing import CliRunner

from equiserve.housing import services
from equiserve.housing.cli import register
from equiserve.housing.models import AllocationRound, Offer
from equiserve.housing.tests.factories import AS_OF, apply, estate, household, unit

pytestmark = pytest.mark.django_db

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.fixture
def frozen(geography):
    """Round r1: five households for three units in two estates."""
    e1, e2 = estate("E1"), estate("E2")
    unit(e1, "E1-101", bedrooms=1, suits=(1, 2))
    unit(e1, "E1-201", bedrooms=2, suits=(2, 4))
    unit(e2, "E2-101", bedrooms=1, suits=(1, 2))
    for i, area in enumerate(("10.00", "12.00", "12.00", "16.00", "18.00")):
        home, person = household(size=2, floor_area=area)
        apply(home, person, [e1, e2] if i % 2 else [e2, e1])
    return services.round_freeze(
        round_id="r1", title="r1", as_of=AS_OF, actor=None, migrant_quota=None
    )


@pytest.fixture
def exported(frozen, tmp_path):
    out = tmp_path / "round.json"
    result = runner.invoke(app, ["housing", "draw", "--round", "r1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_draw_reveals_the_seed_allocates_and_writes_the_published_file(exported):
    drawn = AllocationRound.objects.get(pk="r1")
    assert drawn.status == "drawn"
    assert exported.read_text(encoding="utf-8") == drawn.round_json
    data = json.loads(drawn.round_json)
    assert data["seed"] == drawn.seed
    assert len(data["allocation"]) == Offer.objects.count() == 3
    assert list(data["unallocated"].values()) == ["units_taken", "units_taken"]


def test_verify_passes_on_the_untouched_export_with_the_published_hashes(exported):
    drawn = AllocationRound.objects.get(pk="r1")
    result = runner.invoke(
        app,
        [
            "housing", "verify", str(exported),
            "--list-sha256", drawn.list_sha256,
            "--seed-commitment", drawn.seed_commitment,
        ],
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == "verified: round r1, 5 applicants, 3 units, 3 allocated\n"


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _edit_line(path, predicate, change) -> str:
    """Change the first line matching `predicate`; return the line as it was."""
    lines = _lines(path)
    index = next(i for i, line in enumerate(lines) if predicate(line))
    original = lines[index]
    lines[index] = change(original)
    path.write_text("\n".join(lines), encoding="utf-8")
    return original


def _bump_number(line: str) -> str:
    head, _, number = line.rstrip(",").rpartition(" ")
    comma = "," if line.endswith(",") else ""
    return f"{head} {int(number) + 1}{comma}"


def _flip_last_hex(line: str) -> str:
    """Change the last hex digit of a `"key": "<hex>",` line."""
    digit = line[-3]
    return line[:-3] + ("0" if digit != "0" else "1") + line[-2:]


EDITS = {
    "an applicant's score": (
        lambda line: line.strip().startswith('"score"'),
        _bump_number,
        "list_sha256 does not match the applicants and units",
    ),
    "a unit's bedrooms": (
        lambda line: line.strip().startswith('"bedrooms"'),
        _bump_number,
        "list_sha256 does not match the applicants and units",
    ),
    "a preference": (
        lambda line: line.strip() in ('"E1",', '"E2",'),
        lambda line: (
            line.replace("E1", "E9") if "E1" in line else line.replace("E2", "E9")
        ),
        "list_sha256 does not match the applicants and units",
    ),
    "the list hash": (
        lambda line: line.strip().startswith('"list_sha256"'),
        _flip_last_hex,
        "list_sha256 does not match the applicants and units",
    ),
    "the seed": (
        lambda line: line.strip().startswith('"seed"'),
        _flip_last_hex,
        "seed does not match seed_commitment",
    ),
    "a rank": (
        lambda line: line.strip() == '"rank": 1,',
        lambda line: line.replace("1", "2"),
        "rank 2 in the file, 1 when recomputed",
    ),
    "an allocation": (
        lambda line: line.strip().startswith('"R') and '": "E' in line,
        lambda line: line.replace('": "E1', '": "E0').replace('": "E2', '": "E0'),
        "file says E0",
    ),
}


@pytest.mark.parametrize("what", list(EDITS))
def test_verify_fails_naming_the_difference_when_one_line_is_altered(exported, what):
    predicate, change, expected = EDITS[what]
    before = _lines(exported)
    original = _edit_line(exported, predicate, change)
    after = _lines(exported)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert original in before
    result = runner.invoke(app, ["housing", "verify", str(exported)])
    assert result.exit_code == 1, (what, result.output)
    assert result.stdout.startswith("verification failed: ")
    assert expected in result.stdout


def test_a_round_drawn_already_is_not_drawn_again(exported, tmp_path):
    again = tmp_path / "again.json"
    result = runner.invoke(
        app, ["housing", "draw", "--round", "r1", "--out", str(again)]
    )
    assert result.exit_code == 0
    assert "was drawn at" in result.stderr
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_an_unknown_round_exits_1(geography):
    result = runner.invoke(app, ["housing", "draw", "--round", "nope", "--out", "-"])
    assert result.exit_code == 1
    assert result.stderr == "no round 'nope'\n"


def test_freeze_publishes_the_hashes_from_the_command_line(geography):
    e1 = estate("E1")
    unit(e1, "E1-101")
    home, person = household()
    apply(home, person, [e1])
    result = runner.invoke(
        app,
        ["housing", "freeze", "--round", "cli-1", "--title", "CLI round",
         "--as-of", "2015-06-30", "--migrant-quota", "none"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frozen = AllocationRound.objects.get(pk="cli-1")
    assert frozen.migrant_quota is None
    assert result.stdout == (
        "round cli-1 frozen: 1 applicants, 1 units\n"
        f"list_sha256 {frozen.list_sha256}\n"
        f"seed_commitment {frozen.seed_commitment}\n"
    )
    bad = runner.invoke(
        app,
        ["housing", "freeze", "--round", "Bad Id", "--title", "x",
         "--as-of", "2015-06-30"],
    )  # fmt: skip
    assert bad.exit_code == 1
    assert bad.stderr == (
        "round Bad Id was not frozen: Another round is frozen: draw it first.\n"
    )
