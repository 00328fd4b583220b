"""Fixtures the employment tests share with casework's: `api` calls the API as a
demo officer (the 3.7 assistance cases are cases, issue 15)."""

from equiserve.cases.tests.conftest import api  # noqa: F401
