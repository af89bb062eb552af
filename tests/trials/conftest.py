"""Shared fixtures of the trial tests: the 69 real ClinicalTrials.gov API v2 records bundled in data/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metastasis.trials import Study, parse_study

DATA = Path(__file__).parent / "data"
RECORDS = DATA / "ctgov_v2_studies.jsonl"


def raw_records() -> list[dict]:
    return [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def records() -> list[dict]:
    return raw_records()


@pytest.fixture(scope="session")
def studies(records: list[dict]) -> dict[str, Study]:
    return {study.nct_id: study for study in (parse_study(r) for r in records)}
