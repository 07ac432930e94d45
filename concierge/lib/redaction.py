"""No phone number in a log line: a logging filter that blanks whatever looks like one.

Our own code logs Twilio's ids rather than numbers, but a number can still travel inside text we
do not write: a database error quoting the failing row, an SQL statement with its parameters, a
provider's refusal, a traceback. The filter sits on the handlers configured in LOGGING, so it sees
every record they write, whoever logged it; it merges the arguments into the message and formats
the exception itself, then blanks numbers in all three.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[number]"

# International (+…, URL-encoded %2B…, 00…) with the usual separators, French national (0X…),
# and bare runs of 9 to 15 digits. Never inside a word or an id (CA0123…, a UUID), so Twilio's
# SIDs, dates, durations and our own small ids survive.
_NUMBER = re.compile(
    r"""
    (?<![\w+%.])
    (?:
        (?:\+|%2[bB])\d(?:[\s./-]?\(?\d\)?){6,16}
      | 00[1-9](?:[\s.-]?\d){6,14}
      | 0[1-9](?:[\s.-]?\d{2}){4}
      | \d{9,15}
    )
    (?!\w)
    """,
    re.VERBOSE,
)

_formatter = logging.Formatter()


def redact(text: str) -> str:
    """``text`` with every phone-number-like run replaced by ``[number]``."""
    return _NUMBER.sub(REDACTED, text)


class RedactNumbers(logging.Filter):
    """Blank numbers in a record's message, arguments, exception and stack; never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - arguments that do not fit: keep both, blanked
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _formatter.formatException(record.exc_info)
        # The exception object itself would carry the number to any handler that reads it.
        record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
