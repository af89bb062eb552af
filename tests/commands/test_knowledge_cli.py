"""CLI: metastasis sites | triage | options | learn | quiz."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from metastasis.cli import app

runner = CliRunner()


def _flat(text: str) -> str:
    """Output with line wrapping undone (Rich wraps long lines at the terminal width)."""
    return " ".join(text.split())


def test_sites_lists_codes_and_flags_unverified():
    result = runner.invoke(app, ["sites"])
    assert result.exit_code == 0, result.output
    assert "C79.51" in result.output and "94493005 !" in result.output
    assert "third most common site" in _flat(result.output)


def test_sites_json():
    result = runner.invoke(app, ["sites", "--json"])
    data = json.loads(result.output)
    pleura = next(site for site in data["sites"] if site["id"] == "pleura")
    assert any(code["code"] == "94493005" and code["flagged"] for code in pleura["codes"])
    assert data["bone_rank"]["after"] == ["lung", "liver"]


def test_triage_emergency_tells_the_patient_what_to_do():
    result = runner.invoke(app, ["triage", "--symptom", "back_pain_radiating", "--symptom", "leg_weakness"])
    assert result.exit_code == 0, result.output
    assert "Urgency: emergency_now" in result.output
    assert "Call emergency services now" in _flat(result.output)
    assert "mscc.spinal_pain_with_neuro" in result.output and "nice-cg75-mscc" in result.output


def test_triage_with_calcium_json():
    args = ["triage", "-s", "fatigue", "--calcium", "3.1", "--albumin", "30", "--units", "si", "--uln", "2.6", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["urgency"] == "emergency_now" and data["calcium"]["grade"] == 3
    assert data["calcium"]["corrected"] == 3.3 and "not a medical device" in data["disclaimer"]


def test_triage_list_and_unknown_symptom():
    listing = runner.invoke(app, ["triage", "--list"])
    assert listing.exit_code == 0 and "back_pain_radiating" in listing.output
    bad = runner.invoke(app, ["triage", "--symptom", "tummy_ache"])
    assert bad.exit_code == 2
    assert "invalid symptom" in _flat(bad.output) and "abdominal_pain" in bad.output


def test_options_text_and_json():
    result = runner.invoke(app, ["options", "--subtype", "hr+/her2-", "--site", "bone", "--mirels", "9"])
    assert result.exit_code == 0, result.output
    assert "not a prescription" in _flat(result.output) and "Bone-targeted agents" in result.output
    data = json.loads(runner.invoke(app, ["options", "--subtype", "tnbc", "--site", "liver", "--json"]).output)
    assert data["subtype"] == "triple-negative" and "immunotherapy" in [o["id"] for o in data["options"]]
    assert runner.invoke(app, ["options", "--subtype", "hr+/her2-", "--site", "kneecap"]).exit_code == 2


def test_options_take_her2_ihc_and_biomarkers():
    # DESTINY-Breast04: HER2-low is IHC 1+ (or 2+ with ISH negative); IHC 0 is not HER2-low
    def ids(*extra: str) -> list[str]:
        args = ["options", "--subtype", "hr+/her2-", "--site", "bone", "--json", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return [o["id"] for o in json.loads(result.output)["options"]]

    assert "tdxd_her2_low" in ids("--her2-ihc", "1+")
    assert "tdxd_her2_low" not in ids("--her2-ihc", "0")
    assert "endocrine_elacestrant" not in ids("--esr1", "negative")
    bad = runner.invoke(app, ["options", "--subtype", "hr+/her2-", "--site", "bone", "--her2-ihc", "4+"])
    assert bad.exit_code == 2 and "her2_ihc" in bad.output and "4+" in bad.output


def test_learn_topic_and_list():
    listing = runner.invoke(app, ["learn", "--list"])
    assert listing.exit_code == 0 and "survival_statistics" in listing.output
    topic = runner.invoke(app, ["learn", "what_is_metastasis"])
    assert topic.exit_code == 0 and "intravasation" in topic.output
    assert runner.invoke(app, ["learn", "astrology"]).exit_code == 2


def test_quiz_scripted_answers_print_the_score():
    result = runner.invoke(app, ["quiz", "--answers", "b,a,b,b,b,c,c,a,a,b"])
    assert result.exit_code == 0, result.output
    assert "Score: 10/10" in result.output
    wrong = runner.invoke(app, ["quiz", "--answers", "a,a,b,b,b,c,c,a,a,b", "--json"])
    assert json.loads(wrong.output)["score"] == 9


def test_quiz_bad_answers_and_no_terminal_exit_2():
    assert runner.invoke(app, ["quiz", "--answers", "b,a"]).exit_code == 2
    assert runner.invoke(app, ["quiz"]).exit_code == 2  # CliRunner's stdin is not a terminal


def test_quiz_interactive_asks_again_after_an_invalid_key(monkeypatch):
    from metastasis.commands import knowledge

    monkeypatch.setattr(knowledge, "_interactive", lambda: True)
    result = runner.invoke(app, ["quiz"], input="x\nb\na\nb\nb\nb\nc\nc\na\na\nb\n")
    assert result.exit_code == 0, result.output
    assert "Please type one of: a, b, c" in result.output and "Score: 10/10" in result.output
