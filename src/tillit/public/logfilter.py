"""Status-link tokens never reach a log line.

The token is the citizen's only key to their case and sits in the URL, which access logs
(uvicorn), Django's 4xx warnings (with the request attached) and CSRF failures all print. A
log-record factory replaces the token in every record's message and arguments, from any logger;
a filter on every handler also cleans what `extra` attached (Django's `request`), which the JSON
formatter would print.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MARK = "/e-tjanst/arende/"
TOKEN = re.compile(r"(/e-tjanst/arende/)[^/\s?\"'>]+")
_factory_installed = False


def redact(text: str) -> str:
    return TOKEN.sub(r"\1[token]", text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str) and MARK in value:
        return redact(value)
    return value


def _scrub_arguments(record: logging.LogRecord) -> None:
    record.msg = _scrub(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_scrub(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: _scrub(value) for key, value in record.args.items()}


class RedactStatusTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        _scrub_arguments(record)
        for key, value in list(vars(record).items()):
            if key in {"msg", "args"} or isinstance(value, int | float | bool) or value is None:
                continue
            text = value if isinstance(value, str) else str(getattr(value, "path", ""))
            if MARK in text:
                setattr(record, key, redact(value if isinstance(value, str) else str(value)))
        return True


def _handlers() -> list[logging.Handler]:
    handlers = list(logging.getLogger().handlers)
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    return handlers


def install() -> None:
    """Wrap the record factory (once) and put the filter on every handler there is now."""
    global _factory_installed
    if not _factory_installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _scrub_arguments(record)
            return record

        logging.setLogRecordFactory(factory)
        _factory_installed = True
    for handler in _handlers():
        if not any(isinstance(f, RedactStatusTokens) for f in handler.filters):
            handler.addFilter(RedactStatusTokens())
