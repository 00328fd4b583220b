"""Structured logs: one JSON object a line (issue 21, deliverable 4).

Only the logger's message and the fields named below are written; request logs
carry the view name, method, status and duration, never the query string, a
person's name or ID number, or the caller's address.
"""

import json
import logging
from datetime import UTC, datetime

# Extra attributes a log call may attach (logger.info(..., extra={...})).
EXTRA_FIELDS = ("view", "method", "status", "duration_ms", "worker", "event")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        document = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                document[name] = getattr(record, name)
        if record.exc_info:
            # The exception's type and trace, not its message: a validation
            # error's message may quote what a user typed.
            document["exception"] = record.exc_info[0].__name__
            trace = self.formatException(record.exc_info).splitlines()
            document["trace"] = "\n".join(trace[:-1])
        return json.dumps(document, ensure_ascii=False)
