"""Schemathesis hooks for `make fuzz` and tests/test_api_schema.py.

The evaluate contract wants each person's and household's id unique within a
request, which a JSON Schema cannot say; generated requests get unique ids so
that a valid request is not refused for a rule the document only describes.
"""

import schemathesis


@schemathesis.hook
def map_body(context, body):
    if context.operation is None or not context.operation.path.endswith("/evaluate"):
        return body
    if not isinstance(body, dict):
        return body
    for entities in ("persons", "households"):
        seen: set[str] = set()
        for record in body.get(entities) or []:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                while record["id"] in seen:
                    record["id"] += "'"
                seen.add(record["id"])
    return body
