"""Every patient-facing text of issues 4 and 21 reads at Flesch-Kincaid grade 9 or below (textstat).

Units of text are what a patient reads together: each explainer paragraph, each quiz item as shown (question,
choices and explanation), each option's one-line purpose and notice, each triage rule's patient text, each
"what to do now" line and notice, and the symptom list as printed by ``metastasis triage --list``. Single short
labels are scored within their list because the grade formula is meaningless on two or three words.
"""

from __future__ import annotations

import pytest
import textstat

from metastasis.assess.triage_models import actions, rules, symptoms
from metastasis.knowledge.education import explain, topics
from metastasis.knowledge.guides import glossary, organisations, question_lists
from metastasis.knowledge.options import OPTIONS_NOTICE, option_catalogue
from metastasis.knowledge.quiz import quiz_items, topic_quiz

MAX_GRADE = 9.0


def _texts() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    texts.append(("explainer titles (learn --list)", " ".join(f"{title}." for title in topics().values())))
    for topic in topics():
        explainer = explain(topic)
        texts += [(f"explainer {topic} paragraph {i}", p) for i, p in enumerate(explainer.paragraphs)]
        opening = f"{explainer.summary} {explainer.paragraphs[0]}"
        texts.append((f"explainer {topic} answer and first paragraph", opening))
        for section in explainer.sections:
            texts.append((f"explainer {topic} section {section.heading}", " ".join(section.paragraphs)))
        if explainer.you_can:
            texts.append((f"explainer {topic} what you can do", " ".join(explainer.you_can)))
    texts.append(("glossary", " ".join(entry.definition for entry in glossary())))
    texts += [(f"questions {q.id}", " ".join(q.questions)) for q in question_lists()]
    texts += [(f"organisation {o.id}", " ".join(o.helps_with)) for o in organisations()]
    for item in topic_quiz():
        shown = " ".join([item.question, *(f"{c}." for c in item.choices.values()), item.explanation])
        texts.append((f"topic quiz {item.id}", shown))
    for item in quiz_items():
        shown = " ".join([item.question, *(f"{c}." for c in item.choices.values()), item.explanation])
        texts.append((f"quiz {item.id}", shown))
        texts.append((f"quiz {item.id} explanation", item.explanation))
    texts += [(f"option {o.id}", o.purpose) for o in option_catalogue()]
    texts.append(("options notice", OPTIONS_NOTICE))
    texts += [(f"rule {r.id}", r.patient_text) for r in rules()]
    texts += [(f"action {level.value}", text) for level, text in actions().urgency.items()]
    texts.append(("triage notice", actions().notice))
    texts.append(("symptom list", " ".join(f"{s.label}." for s in symptoms().values())))
    return texts


TEXTS = _texts()


def test_there_are_many_texts_to_check():
    assert len(TEXTS) > 80


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_flesch_kincaid_grade_at_most_9(where, text):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text}"
