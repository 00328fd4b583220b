"""Check a disability certificate number against its holder (issue 17).

China's disability certificate (残疾人证) number is the holder's 18-character
resident ID number, then the category digit (GB/T 26341: 1 vision, 2 hearing,
3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple), then the grade
digit (1–4).
"""

from django.utils.translation import gettext as _
from stdnum.cn import ric

from equiserve.disability.models import CATEGORY_DIGITS, DIGIT_OF_CATEGORY, GRADES


def normalise(number: str) -> str:
    return "".join(str(number or "").split()).upper()


def certificate_problems(
    *, id_number: str, certificate_number: str, category: str, grade
) -> list[str]:
    """Return what is wrong, in the user's language ([] when all agree)."""
    problems = []
    if category not in DIGIT_OF_CATEGORY:
        problems.append(
            _(
                "Unknown disability category %(category)s: use vision, hearing, "
                "speech, physical, intellectual, mental or multiple (GB/T 26341)."
            )
            % {"category": category or "—"}
        )
    try:
        grade_number = int(grade)
    except (TypeError, ValueError):
        grade_number = None
    if grade_number not in GRADES:
        problems.append(
            _("The disability grade must be 1, 2, 3 or 4, not %(grade)s.")
            % {"grade": grade if grade not in (None, "") else "—"}
        )
    number = normalise(certificate_number)
    if len(number) != 20 or not ric.is_valid(number[:18]):
        problems.append(
            _(
                "A disability certificate number is the holder's 18-character resident "
                "ID number followed by the category digit and the grade digit."
            )
        )
        return problems
    if number[:18] != normalise(id_number):
        problems.append(
            _(
                "The certificate number does not start with this person's resident "
                "ID number."
            )
        )
    if category in DIGIT_OF_CATEGORY and number[18] != DIGIT_OF_CATEGORY[category]:
        problems.append(
            _(
                "The certificate's category digit %(digit)s does not match the "
                "category entered."
            )
            % {"digit": number[18]}
        )
    if grade_number in GRADES and number[19] != str(grade_number):
        problems.append(
            _(
                "The certificate's grade digit %(digit)s does not match the grade "
                "entered."
            )
            % {"digit": number[19]}
        )
    return problems


__all__ = ["CATEGORY_DIGITS", "certificate_problems", "normalise"]
