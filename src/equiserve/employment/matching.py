"""Match the register's job seekers to open vacancies (3.7, issue 15, deliverable 5).

The frames the plain `equiserve.allocation.jobs.match_jobs` reads, built from
the database: a seeker lives in their village (or their town's centre), a
vacancy is at its town's centre; skills are bit sets over the skill words used.
"""

import polars as pl

from equiserve.allocation.jobs import match_jobs
from equiserve.employment.models import Registration, Vacancy


def _skill_words(text: str) -> set[str]:
    return {w.strip() for w in text.replace("，", ",").split(",") if w.strip()}


def _bits(words: set[str], index: dict[str, int]) -> int:
    return sum(1 << index[w] for w in words if w in index)


def matches_for(registration: Registration, vacancies, *, top: int = 5) -> list[dict]:
    """Return the best open vacancies of `vacancies` for one seeker, best first."""
    open_vacancies = list(
        vacancies.filter(closed_on__isnull=True).select_related("town").order_by("pk")
    )
    if not open_vacancies:
        return []
    words = sorted(
        _skill_words(registration.skills).union(
            *(_skill_words(v.skills) for v in open_vacancies)
        )
    )[:64]
    index = {word: bit for bit, word in enumerate(words)}
    person = registration.person
    place = person.village or registration.town
    lon = getattr(place, "lon", None) or registration.town.center_lon
    lat = getattr(place, "lat", None) or registration.town.center_lat
    seekers = pl.DataFrame(
        {
            "seeker": [registration.pk],
            "occupation": [registration.occupation],
            "skills": [_bits(_skill_words(registration.skills), index)],
            "wage_min": [float(registration.wage_min)],
            "lon": [lon],
            "lat": [lat],
        },
        schema_overrides={"skills": pl.UInt64},
    )
    frame = pl.DataFrame(
        {
            "vacancy": [v.pk for v in open_vacancies],
            "occupation": [v.occupation for v in open_vacancies],
            "skills": [_bits(_skill_words(v.skills), index) for v in open_vacancies],
            "wage": [float(v.wage) for v in open_vacancies],
            "lon": [v.town.center_lon for v in open_vacancies],
            "lat": [v.town.center_lat for v in open_vacancies],
        },
        schema_overrides={"skills": pl.UInt64},
    )
    found = match_jobs(seekers, frame, top=top)
    by_pk: dict[int, Vacancy] = {v.pk: v for v in open_vacancies}
    return [
        {"vacancy": by_pk[row["vacancy"]], "minutes": round(row["minutes"])}
        for row in found.iter_rows(named=True)
    ]
