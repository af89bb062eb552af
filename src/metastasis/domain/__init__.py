"""The case and its parts, as typed values (pydantic): biomarkers, events, and later the whole case."""
