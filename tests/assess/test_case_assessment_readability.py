"""The patient view reads at about grade 8 (Flesch-Kincaid, textstat), as the other patient texts do.

Each unit a patient reads together is scored: every plain statement, every alert's plain text with its action,
every 'what to do now' line and the questions; and each example's whole patient text must average grade 8 or
below. Labels (an option's name) are not scored: the formula is meaningless on a drug name.
"""

from __future__ import annotations

import pytest
import textstat

from metastasis import assess_case
from metastasis.examples.cases import example_case_names, load_example_case

MAX_UNIT_GRADE = 9.0
MAX_WHOLE_GRADE = 8.0


def _texts(name: str) -> list[tuple[str, str]]:
    report = assess_case(load_example_case(name))
    texts = [(s.id, s.plain) for s in report.statements() if s.plain]
    texts += [(f"alert {a.id}", f"{a.plain} {a.plain_action}") for a in report.alerts]
    texts += [(f"action {a.origin}", a.plain) for a in report.actions]
    texts.append(("questions", " ".join(report.questions)))
    return texts


TEXTS = {name: _texts(name) for name in example_case_names()}
UNITS = [(f"{name}: {where}", text) for name, texts in TEXTS.items() for where, text in texts]


@pytest.mark.parametrize(("where", "text"), UNITS, ids=[where for where, _ in UNITS])
def test_each_patient_text_reads_at_grade_9_or_below(where, text):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_UNIT_GRADE, f"{where}: grade {grade:.1f}: {text}"


@pytest.mark.parametrize("name", example_case_names())
def test_whole_patient_view_reads_at_grade_8_or_below(name):
    whole = " ".join(text for _, text in TEXTS[name])
    assert textstat.flesch_kincaid_grade(whole) <= MAX_WHOLE_GRADE


def _templates() -> list[tuple[str, str]]:
    """Every patient template of the data files, placeholders filled with ordinary words."""
    from metastasis.assess.case._context import data

    fill = {
        "stage": "4",
        "organs": "the liver and bones",
        "years": "about 5 years",
        "site": "left hip",
        "level": "T8",
        "date": "2024-06-03",
        "value": "2",
        "all": "85",
        "none": "80",
        "treatment": "Chemotherapy",
        "benefit": "3",
        "months": "43",
        "percent": "51",
        "when": "1 year later",
        "bone_date": "2024-03-18",
        "deadline": "2024-09-18",
        "previous": "2.85 mmol/L",
        "previous_date": "2024-05-06",
        "latest": "3.23 mmol/L",
        "latest_date": "2024-06-03",
        "plain_site": "left hip",
        "items": "calcium",
        "symptom": "new or worsening back or neck pain",
    }
    found: list[tuple[str, str]] = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            found.append((where, " ".join(str(v) for v in node)))
        elif isinstance(node, str):
            found.append((where, " ".join(node.split()).format(**fill)))

    wording = {k: v for k, v in data("wording").items() if k not in ("sections",)}
    wording["actions"] = {k: {"plain": v["plain"]} for k, v in wording["actions"].items()}
    wording["prognosis"] = {k: v for k, v in wording["prognosis"].items() if k != "treatments"}  # labels
    walk(wording, "wording")
    for alert_id, spec in data("alerts").items():
        for key in ("plain", "plain_action", "questions"):
            if key in spec:
                walk(spec[key], f"alerts.{alert_id}.{key}")
    return found


TEMPLATES = _templates()


@pytest.mark.parametrize(("where", "text"), TEMPLATES, ids=[where for where, _ in TEMPLATES])
def test_every_patient_template_reads_at_grade_9_or_below(where, text):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_UNIT_GRADE, f"{where}: grade {grade:.1f}: {text}"
