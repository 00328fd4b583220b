"""Run rule test cases written in YAML (OpenFisca's test layout) beside a plan.

A file under ``plans/<plan>/tests/`` holds a list of cases::

    - name: The grant is 3 × last year's wage plus a month per NCO year for a transferred NCO
      date: 2015-07-01                # or `period:`
      parameters:                     # optional what-if values, as in the contract
        statistics.average_annual_wage: {"2014": 60000}
      input:                          # one person's contract fields …
        hukou: zhongshan
        veteran: {kind: transferred_nco, discharged: 2015-03-01, nco_years: 8}
      output:
        veteran_grant: 220000
      explanation:                    # optional: fragments the explanation must contain
        veteran_grant: {en: "3 × 60,000.00 + 8 × 5,000.00 = 220,000.00"}

A case whose answer depends on a fact not given expects the output null and
lists the facts still needed, as request paths (issue 12)::

      output:
        funeral_eligible: null
      undetermined:                   # or {persons: {id: {...}}, households: {...}}
        funeral_eligible: [persons[0].hukou, persons[0].low_income]

Without ``undetermined:`` a case also checks that nothing it names in
``output:`` with a non-null value is undetermined.

or, for several persons and households, ``input: {persons: [...], households:
[...]}`` and ``output: {persons: {id: {...}}, households: {id: {...}}}``. Every
case goes through the evaluate contract, so its inputs are validated as a
request would be. Money is compared exactly, in yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from equiserve.policy.contract import ContractError, evaluate_request
from equiserve.policy.plan import Plan, load_plan

_CASE_KEYS = {
    "name",
    "date",
    "period",
    "parameters",
    "input",
    "output",
    "explanation",
    "description",
    "undetermined",
}
SINGLE = "p"


@dataclass
class Case:
    """One test case read from a file."""

    file: Path
    name: str
    data: dict[str, Any]
    line: int = 0

    @property
    def id(self) -> str:
        return f"{self.file.stem}: {self.name}"


@dataclass
class CaseResult:
    case: Case
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _plain(value: Any) -> Any:
    """Turn YAML dates into the contract's text and keys into strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {
            (k.isoformat() if isinstance(k, dt.date) else str(k)): _plain(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


APPLIED_BY_APPS = frozenset({"standards", "housing"})


def read_cases(path: Path) -> list[Case]:
    """Return the cases of one YAML file (a malformed case becomes a failing case)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    if not isinstance(data, list):
        return [Case(path, "file", {"__error__": "a test file holds a list of cases"})]
    cases = []
    for index, item in enumerate(data):
        line = item.get("__line__", 0) if isinstance(item, dict) else 0
        item = _strip_lines(item)
        if not isinstance(item, dict) or "name" not in item:
            cases.append(
                Case(
                    path,
                    f"case {index + 1}",
                    {"__error__": "a case is a mapping with a name"},
                    line,
                )
            )
            continue
        unknown = set(item) - _CASE_KEYS
        if unknown:
            item = {**item, "__error__": f"unknown keys {sorted(unknown)}"}
        cases.append(Case(path, str(item["name"]), item, line))
    return cases


def collect_cases(path: Path | None = None, plan: Plan | None = None) -> list[Case]:
    """Return the cases in a file, or in every *.yaml under a directory (default: the plan's tests)."""
    if path is None:
        path = (plan or load_plan()).path / "tests"
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.rglob("*.yaml"))
    # Cases of the rules the apps apply (facility standards, the housing ranking)
    # sit in their own folders and are run by those apps' tests (issue 11).
    if path.is_dir():
        files = [
            f
            for f in files
            if not APPLIED_BY_APPS.intersection(f.relative_to(path).parts[:-1])
        ]
    return [case for file in files for case in read_cases(file)]


def _request(case: Case) -> tuple[dict[str, Any], bool]:
    data = _plain(case.data)
    day = data.get("date", data.get("period"))
    given = data.get("input") or {}
    single = "persons" not in given and "households" not in given
    if single:
        person = {"id": SINGLE, **given}
        request = {"date": day, "persons": [person]}
    else:
        request = {
            "date": day,
            "persons": given.get("persons", []),
            "households": given.get("households", []),
        }
    if data.get("parameters"):
        request["parameters"] = data["parameters"]
    return request, single


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if expected is None or actual is None:
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return Decimal(str(expected)) == Decimal(str(actual))
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            _same(e, a) for e, a in zip(expected, actual, strict=True)
        )
    return expected == actual


def run_case(case: Case, plan: Plan | None = None) -> CaseResult:
    """Evaluate one case through the contract and compare its outputs."""
    plan = plan or load_plan()
    result = CaseResult(case)
    if "__error__" in case.data:
        result.failures.append(case.data["__error__"])
        return result
    request, single = _request(case)
    expected = _plain(case.data.get("output") or {})
    wanted_explanations = _plain(case.data.get("explanation") or {})
    langs = {"zh", "en"} if wanted_explanations else {"zh"}
    answers = {}
    for lang in sorted(langs):
        try:
            answers[lang] = evaluate_request(
                request, explain=bool(wanted_explanations), lang=lang, plan=plan
            )
        except ContractError as error:
            result.failures.append(f"invalid input: {error.errors}")
            return result
    answer = answers["zh"] if "zh" in answers else answers["en"]
    if single:
        expected = {"persons": {SINGLE: expected}}
        wanted_explanations = {SINGLE: wanted_explanations}
    for entity in ("persons", "households"):
        for row_id, outputs in (expected.get(entity) or {}).items():
            got = answer[entity].get(row_id)
            if got is None:
                result.failures.append(f"{entity} {row_id}: not in the answer")
                continue
            for name, value in outputs.items():
                if name not in got:
                    result.failures.append(f"{row_id}.{name}: no such output")
                elif not _same(value, got[name]):
                    result.failures.append(
                        f"{row_id}.{name}: expected {value!r}, got {got[name]!r}"
                    )
    result.failures += _undetermined_failures(case, answer, expected, single)
    for row_id, outputs in wanted_explanations.items():
        for name, fragments in outputs.items():
            if isinstance(fragments, str):
                fragments = (
                    {"zh": fragments} if _has_cjk(fragments) else {"en": fragments}
                )
            for lang, fragment in fragments.items():
                block = answers[lang].get("explanations", {}).get(row_id) or answers[
                    lang
                ].get("household_explanations", {}).get(row_id, {})
                explanation = block.get(name)
                if explanation is None:
                    result.failures.append(f"{row_id}.{name}: no {lang} explanation")
                    continue
                text = " ".join([explanation["text"], *explanation["steps"]])
                if fragment not in text:
                    result.failures.append(
                        f"{row_id}.{name}: {lang} explanation lacks {fragment!r}: {text}"
                    )
    return result


def _undetermined_failures(
    case: Case, answer: dict, expected: dict, single: bool
) -> list[str]:
    """Compare the facts each undetermined output still needs, in any order."""
    wanted = _plain(case.data.get("undetermined") or {})
    if single:
        wanted = {"persons": {SINGLE: wanted}} if wanted else {}
    failures = []
    blocks = {
        "persons": answer.get("undetermined", {}),
        "households": answer.get("household_undetermined", {}),
    }
    for entity in ("persons", "households"):
        for row_id, outputs in (wanted.get(entity) or {}).items():
            for name, paths in outputs.items():
                got = blocks[entity].get(row_id, {}).get(name)
                if got is None or sorted(got) != sorted(paths):
                    failures.append(
                        f"{row_id}.{name}: expected undetermined for {paths!r}, "
                        f"got {got!r}"
                    )
        # An output expected with a value must not be undetermined.
        for row_id, outputs in (expected.get(entity) or {}).items():
            for name, value in outputs.items():
                got = blocks[entity].get(row_id, {}).get(name)
                if value is not None and got is not None:
                    failures.append(f"{row_id}.{name}: undetermined for {got!r}")
    return failures


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def run_cases(path: Path | None = None, plan: Plan | None = None) -> list[CaseResult]:
    """Run every case in `path` (default: the plan's tests directory)."""
    plan = plan or load_plan()
    return [run_case(case, plan) for case in collect_cases(path, plan)]
