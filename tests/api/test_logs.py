"""The JSON log format: one object per line with only the request fields, and error locations without messages."""

from __future__ import annotations

import json
import logging

from metastasis.api.logs import LOGGER_NAME, JsonFormatter, configure_logging, where


def test_json_formatter_writes_only_the_known_fields():
    record = logging.LogRecord(LOGGER_NAME, logging.INFO, "x.py", 1, "request", None, None)
    record.request_id, record.status, record.body = "abc", 200, "patient text"
    entry = json.loads(JsonFormatter().format(record))
    assert set(entry) == {"time", "level", "event", "request_id", "status"}
    assert (entry["level"], entry["event"], entry["request_id"]) == ("info", "request", "abc")


def test_configure_logging_sets_one_json_handler():
    logger = logging.getLogger(LOGGER_NAME)
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        configure_logging("warning")
        configure_logging("debug")  # idempotent: still one handler
        assert len(logger.handlers) == 1 and isinstance(logger.handlers[0].formatter, JsonFormatter)
        assert (logger.level, logger.propagate) == (logging.DEBUG, False)
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


def test_where_names_the_code_location_not_the_message():
    try:
        {}["secret-key"]
    except KeyError as exc:
        location = where(exc)
    assert location.startswith("test_logs.py:")
    assert location.endswith("in test_where_names_the_code_location_not_the_message")
    assert "secret" not in location
    assert where(ValueError("never raised")) == "unknown"
