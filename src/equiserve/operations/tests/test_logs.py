"""JSON log lines without personal data (issue 21, deliverable 4)."""

import json
import logging

from equiserve.operations.logs import JsonFormatter


def _line(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def test_a_log_line_is_one_json_object_with_the_named_fields():
    record = logging.LogRecord(
        "equiserve.x", logging.WARNING, __file__, 1, "worker %s late", ("w1",), None
    )
    record.view = "healthz"
    line = _line(record)
    assert line["level"] == "WARNING" and line["logger"] == "equiserve.x"
    assert line["message"] == "worker w1 late" and line["view"] == "healthz"


def test_an_exception_is_logged_without_its_message():
    """A validation error's message may quote what was typed: a name, an ID number."""
    typed = "4420001990" + "01011234"
    try:
        raise ValueError(f"not a valid ID number: {typed}")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "equiserve.x",
            logging.ERROR,
            __file__,
            1,
            "import failed",
            (),
            sys.exc_info(),
        )
    line = _line(record)
    assert line["exception"] == "ValueError"
    assert typed not in json.dumps(line)
    assert "Traceback" in line["trace"]
