"""Input types of the API whose document states exactly what they accept.

Issue 10, finding 8: a value the database cannot hold (an amount of "1e309", a
count of 10^30) is a 422 in the API's error format, never a failed save, and
the OpenAPI document says where the limits are.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# PositiveSmallIntegerField and PositiveIntegerField, as every database holds them.
SMALL_COUNT = Annotated[int, Field(ge=0, le=32767)]
COUNT = Annotated[int, Field(ge=0, le=2**31 - 1)]
# A row's id as a filter: within what SQLite's and PostgreSQL's integers hold.
RECORD_ID = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A day of the years the registries accept, the range said in the document too
# (a bound on a date alone is not), so callers and the fuzzer can keep to it.
RECORD_DAY = Annotated[
    dt.date,
    Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31)),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$",
        }
    ),
]


def decimal_number(max_digits: int, decimal_places: int) -> Any:
    """Return a type for a DecimalField(max_digits, decimal_places) of 0 or more.

    A JSON number or a plain decimal text ("1500.00"); not "1e5", "NaN" or "".
    """
    whole = max_digits - decimal_places
    pattern = rf"^\d{{1,{whole}}}(\.\d{{1,{decimal_places}}})?$"
    largest = Decimal(10**whole) - Decimal(1).scaleb(-decimal_places)

    def plain_text(value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            raise PydanticCustomError("decimal_parsing", "not a plain decimal number")
        return value

    return Annotated[
        Decimal,
        BeforeValidator(plain_text),
        Field(ge=0, le=largest, max_digits=max_digits, decimal_places=decimal_places),
        WithJsonSchema(
            {
                "anyOf": [
                    {
                        "type": "number",
                        "minimum": 0,
                        "maximum": float(largest),
                        "multipleOf": float(Decimal(1).scaleb(-decimal_places)),
                    },
                    {"type": "string", "pattern": pattern},
                ]
            }
        ),
    ]
