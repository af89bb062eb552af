"""Current systemic standards among the treatment options: the trial-backed options, HER2-low, biomarker tests
and the treatment history.

Expected values are typed here from the trials and guidelines, not read back from options.yaml:
ASCENT (sacituzumab govitecan, TNBC after earlier treatment), DESTINY-Breast04 (trastuzumab deruxtecan for
HER2-low: IHC 1+, or 2+ with negative ISH; IHC 0 not enrolled), DESTINY-Breast03 (trastuzumab deruxtecan after
trastuzumab and a taxane), PALOMA-2 / MONALEESA-2 / MONARCH 3 (first-line CDK4/6 inhibitors), SOLAR-1
(alpelisib, PIK3CA), CAPItello-291 (capivasertib, PIK3CA/AKT1/PTEN), EMERALD (elacestrant, ESR1), OlympiAD and
EMBRACA (PARP inhibitors, germline BRCA), KEYNOTE-355 (pembrolizumab, PD-L1 CPS 10 or more), ASCO/CAP HER2
testing 2018/2023 (IHC 3+ or ISH positive is HER2-positive; IHC 0 and 1+ are negative).
"""

from __future__ import annotations

import itertools

import pytest
import textstat

from metastasis.errors import InvalidInputError
from metastasis.evidence import get_source
from metastasis.knowledge.options import OPTIONS_NOTICE, option_catalogue, treatment_options

NEGATIVE_SUBTYPES = ("hr+/her2-", "triple-negative")
POSITIVE_SUBTYPES = ("hr+/her2+", "hr-/her2+")
IHC = ("0", "1+", "2+", "3+", "unknown")
ISH = ("positive", "negative", "equivocal", "unknown")
NEW_OPTIONS = (
    "sacituzumab_govitecan",
    "tdxd_her2_low",
    "tdxd_her2_positive",
    "endocrine_alpelisib",
    "endocrine_capivasertib",
    "endocrine_elacestrant",
)


def _option(result, option_id):
    return next((o for o in result.options if o.id == option_id), None)


def _left_out_reason(result, option_id):
    return next((r for r in result.reasons if r.rule == f"options.{option_id}.left_out"), None)


# --- each standard is its own option, citing its pivotal trial ------------------------------------------------

# option id -> (a subtype it is for, the trial source it must cite, the headline hazard ratio from the abstract)
PIVOTAL = {
    "sacituzumab_govitecan": ("triple-negative", "bardia-2021-ascent", "HR 0.41"),
    "tdxd_her2_low": ("hr+/her2-", "modi-2022-destiny-breast04", "HR 0.51"),
    "tdxd_her2_positive": ("hr-/her2+", "cortes-2022-destiny-breast03", "HR 0.28"),
    "endocrine_cdk46": ("hr+/her2-", "finn-2016-paloma-2", "HR 0.58"),
    "endocrine_alpelisib": ("hr+/her2-", "andre-2019-solar-1", "HR 0.65"),
    "endocrine_capivasertib": ("hr+/her2-", "turner-2023-capitello-291", "HR 0.50"),
    "endocrine_elacestrant": ("hr+/her2-", "bidard-2022-emerald", "HR 0.55"),
    "parp_inhibitor": ("triple-negative", "litton-2018-embraca", "HR 0.54"),
    "immunotherapy": ("triple-negative", "cortes-2022-keynote-355-os", "HR 0.73"),
}


@pytest.mark.parametrize("option_id", PIVOTAL)
def test_each_standard_is_listed_with_its_trial_and_headline_result(option_id):
    subtype, source, hazard = PIVOTAL[option_id]
    option = _option(treatment_options(subtype=subtype, sites=["liver"]), option_id)
    assert option is not None and option.family == "systemic"
    assert source in option.sources
    assert hazard in option.evidence


def test_first_line_cdk46_cites_all_three_first_line_trials():
    option = _option(treatment_options(subtype="hr+/her2-", sites=["bone"]), "endocrine_cdk46")
    assert {"finn-2016-paloma-2", "hortobagyi-2016-monaleesa-2", "goetz-2017-monarch-3"} <= set(option.sources)
    assert "first line" in option.evidence.lower()


def test_parp_and_pembrolizumab_cite_their_trials():
    tnbc = treatment_options(subtype="tnbc", sites=["lung"])
    assert {"robson-2017-olympiad", "litton-2018-embraca"} <= set(_option(tnbc, "parp_inhibitor").sources)
    assert {"cortes-2020-keynote-355", "cortes-2022-keynote-355-os"} <= set(_option(tnbc, "immunotherapy").sources)
    assert "CPS 10 or more" in _option(tnbc, "immunotherapy").evidence


# id -> DOI (checked with the search tool; see src/metastasis/evidence/sources/trials.yaml)
DOIS = {
    "bardia-2021-ascent": "10.1056/NEJMoa2028485",
    "modi-2022-destiny-breast04": "10.1056/NEJMoa2203690",
    "cortes-2022-destiny-breast03": "10.1056/NEJMoa2115022",
    "cortes-2020-keynote-355": "10.1016/S0140-6736(20)32531-9",
    "cortes-2022-keynote-355-os": "10.1056/NEJMoa2202809",
    "finn-2016-paloma-2": "10.1056/NEJMoa1607303",
    "hortobagyi-2016-monaleesa-2": "10.1056/NEJMoa1609709",
    "goetz-2017-monarch-3": "10.1200/JCO.2017.75.6155",
    "andre-2019-solar-1": "10.1056/NEJMoa1813904",
    "turner-2023-capitello-291": "10.1056/NEJMoa2214131",
    "bidard-2022-emerald": "10.1200/JCO.22.00338",
    "robson-2017-olympiad": "10.1056/NEJMoa1706450",
    "litton-2018-embraca": "10.1056/NEJMoa1802905",
    "wolff-2018-asco-cap-her2": "10.1200/JCO.2018.77.8738",
    "wolff-2023-asco-cap-her2": "10.1200/JCO.22.02864",
}


@pytest.mark.parametrize("source_id", DOIS)
def test_trial_sources_are_registered_with_their_doi_and_an_honest_verification(source_id):
    source = get_source(source_id)
    assert source.doi == DOIS[source_id]
    assert source.notes  # what was read
    # The 2018 HER2 scoring table was not read in the guideline text itself: corroborated, not verified.
    expected = "corroborated" if source_id == "wolff-2018-asco-cap-her2" else "verified"
    assert source.verification.value == expected


@pytest.mark.parametrize("option_id", NEW_OPTIONS)
def test_new_patient_texts_are_plain(option_id):
    option = next(o for o in option_catalogue() if o.id == option_id)
    assert textstat.flesch_kincaid_grade(option.purpose) <= 8
    for code in ("ASCENT", "DESTINY", "SOLAR", "CAPItello", "EMERALD", "PIK3CA", "AKT1", "PTEN", "ESR1", "IHC", "ISH"):
        assert code not in option.purpose


def test_options_stay_information_to_discuss():
    result = treatment_options(subtype="tnbc", sites=["lung"], pdl1="positive", gbrca="positive")
    assert result.notice == OPTIONS_NOTICE and OPTIONS_NOTICE in result.caveats


# --- subtypes -------------------------------------------------------------------------------------------------


def test_sacituzumab_is_for_triple_negative_disease_only():
    assert _option(treatment_options(subtype="tnbc", sites=["lung"]), "sacituzumab_govitecan") is not None
    for subtype in ("hr+/her2-", *POSITIVE_SUBTYPES):
        assert _option(treatment_options(subtype=subtype, sites=["lung"]), "sacituzumab_govitecan") is None


def test_trastuzumab_deruxtecan_after_trastuzumab_is_for_her2_positive_disease_only():
    for subtype in POSITIVE_SUBTYPES:
        assert _option(treatment_options(subtype=subtype, sites=["liver"]), "tdxd_her2_positive") is not None
    for subtype in NEGATIVE_SUBTYPES:
        assert _option(treatment_options(subtype=subtype, sites=["liver"]), "tdxd_her2_positive") is None


def test_endocrine_options_are_for_hr_positive_her2_negative_disease():
    for option_id in ("endocrine_alpelisib", "endocrine_capivasertib", "endocrine_elacestrant"):
        assert _option(treatment_options(subtype="hr+/her2-", sites=["bone"]), option_id) is not None
        for subtype in ("triple-negative", *POSITIVE_SUBTYPES):
            assert _option(treatment_options(subtype=subtype, sites=["bone"]), option_id) is None


# --- HER2-low: every subtype x IHC x ISH ----------------------------------------------------------------------

# HER2-negative subtypes, (IHC, ISH) -> what happens to the HER2-low option (ASCO/CAP; DESTINY-Breast04 entry):
#   "listed" (HER2-low), "ask IHC" (listed, the IHC score decides), "ask ISH" (listed, ISH decides at 2+),
#   "left out" (IHC 0), or the field refused because the results mean HER2-positive.
NEGATIVE_EXPECTED = {
    ("0", "positive"): "refused her2_ish",
    ("0", "negative"): "left out",
    ("0", "equivocal"): "left out",
    ("0", "unknown"): "left out",
    ("1+", "positive"): "refused her2_ish",
    ("1+", "negative"): "listed",
    ("1+", "equivocal"): "listed",
    ("1+", "unknown"): "listed",
    ("2+", "positive"): "refused her2_ish",
    ("2+", "negative"): "listed",
    ("2+", "equivocal"): "ask ISH",
    ("2+", "unknown"): "ask ISH",
    ("3+", "positive"): "refused her2_ish",
    ("3+", "negative"): "refused her2_ihc",
    ("3+", "equivocal"): "refused her2_ihc",
    ("3+", "unknown"): "refused her2_ihc",
    ("unknown", "positive"): "refused her2_ish",
    ("unknown", "negative"): "ask IHC",
    ("unknown", "equivocal"): "ask IHC",
    ("unknown", "unknown"): "ask IHC",
}
# HER2-positive subtypes: the HER2-low option never applies; results that mean HER2-negative are refused.
POSITIVE_EXPECTED = {
    ("0", "positive"): "ok",
    ("0", "negative"): "refused her2_ihc",
    ("0", "equivocal"): "refused her2_ihc",
    ("0", "unknown"): "refused her2_ihc",
    ("1+", "positive"): "ok",
    ("1+", "negative"): "refused her2_ihc",
    ("1+", "equivocal"): "refused her2_ihc",
    ("1+", "unknown"): "refused her2_ihc",
    ("2+", "positive"): "ok",
    ("2+", "negative"): "refused her2_ish",
    ("2+", "equivocal"): "ok",
    ("2+", "unknown"): "ok",
    ("3+", "positive"): "ok",
    ("3+", "negative"): "ok",
    ("3+", "equivocal"): "ok",
    ("3+", "unknown"): "ok",
    ("unknown", "positive"): "ok",
    ("unknown", "negative"): "refused her2_ish",
    ("unknown", "equivocal"): "ok",
    ("unknown", "unknown"): "ok",
}


def test_the_her2_tables_are_complete():
    assert set(NEGATIVE_EXPECTED) == set(POSITIVE_EXPECTED) == set(itertools.product(IHC, ISH))


@pytest.mark.parametrize(("subtype", "ihc", "ish"), list(itertools.product(NEGATIVE_SUBTYPES, IHC, ISH)))
def test_her2_low_option_for_her2_negative_subtypes(subtype, ihc, ish):
    expected = NEGATIVE_EXPECTED[(ihc, ish)]
    if expected.startswith("refused"):
        with pytest.raises(InvalidInputError) as caught:
            treatment_options(subtype=subtype, sites=["liver"], her2_ihc=ihc, her2_ish=ish)
        assert caught.value.field == expected.split()[1]
        return
    result = treatment_options(subtype=subtype, sites=["liver"], her2_ihc=ihc, her2_ish=ish)
    option = _option(result, "tdxd_her2_low")
    if expected == "left out":
        assert option is None and "tdxd_her2_low" in result.left_out
        assert "IHC 0" in _left_out_reason(result, "tdxd_her2_low").text
        assert result.her2_low is False
        return
    assert option is not None and "tdxd_her2_low" not in result.left_out
    her2_notes = [n for n in option.notes if "HER2" in n]
    if expected == "listed":
        assert her2_notes == [] and result.her2_low is True
    elif expected == "ask ISH":
        assert len(her2_notes) == 1 and "ISH" in her2_notes[0] and result.her2_low is None
    else:
        assert len(her2_notes) == 1 and "IHC score" in her2_notes[0] and result.her2_low is None


@pytest.mark.parametrize(("subtype", "ihc", "ish"), list(itertools.product(POSITIVE_SUBTYPES, IHC, ISH)))
def test_her2_positive_subtypes_never_get_the_her2_low_option(subtype, ihc, ish):
    expected = POSITIVE_EXPECTED[(ihc, ish)]
    if expected.startswith("refused"):
        with pytest.raises(InvalidInputError) as caught:
            treatment_options(subtype=subtype, sites=["liver"], her2_ihc=ihc, her2_ish=ish)
        assert caught.value.field == expected.split()[1]
        return
    result = treatment_options(subtype=subtype, sites=["liver"], her2_ihc=ihc, her2_ish=ish)
    assert _option(result, "tdxd_her2_low") is None and "tdxd_her2_low" not in result.left_out
    assert _option(result, "tdxd_her2_positive") is not None and result.her2_low is False


def test_ihc_spellings_are_accepted():
    assert treatment_options(subtype="hr+/her2-", sites=["bone"], her2_ihc="IHC 1+").her2_ihc == "1+"
    assert treatment_options(subtype="hr+/her2-", sites=["bone"], her2_ihc=0).her2_low is False  # type: ignore[arg-type]


# --- biomarker tests: positive lists, unknown lists with a note, negative leaves out ----------------------------

# option -> (subtype, the test parameter(s) it depends on, words the unknown-note must name)
SINGLE_TEST = {
    "parp_inhibitor": ("hr+/her2-", "gbrca", "germline BRCA1/2"),
    "immunotherapy": ("triple-negative", "pdl1", "PD-L1"),
    "endocrine_alpelisib": ("hr+/her2-", "pik3ca", "PIK3CA"),
    "endocrine_elacestrant": ("hr+/her2-", "esr1", "ESR1"),
}


@pytest.mark.parametrize("option_id", SINGLE_TEST)
@pytest.mark.parametrize("status", ["positive", "unknown", "negative"])
def test_single_test_options(option_id, status):
    subtype, parameter, words = SINGLE_TEST[option_id]
    result = treatment_options(subtype=subtype, sites=["liver"], **{parameter: status})
    option = _option(result, option_id)
    test_notes = [] if option is None else [n for n in option.notes if n.startswith("Needs")]
    if status == "positive":
        assert option is not None and test_notes == []
    elif status == "unknown":
        assert option is not None and len(test_notes) == 1 and words in test_notes[0]
    else:
        assert option is None and option_id in result.left_out
        reason = _left_out_reason(result, option_id)
        assert words in reason.text and "negative" in reason.text


def test_parp_inhibitor_is_for_both_her2_negative_subtypes_and_left_out_when_gbrca_negative():
    for subtype in NEGATIVE_SUBTYPES:
        assert _option(treatment_options(subtype=subtype, sites=["lung"], gbrca="positive"), "parp_inhibitor")
        assert "parp_inhibitor" in treatment_options(subtype=subtype, sites=["lung"], gbrca="-").left_out


def test_elacestrant_left_out_for_esr1_negative_says_why_and_that_the_result_may_be_old():
    result = treatment_options(subtype="hr+/her2-", sites=["bone"], esr1="negative")
    assert _option(result, "endocrine_elacestrant") is None
    text = _left_out_reason(result, "endocrine_elacestrant").text
    assert "ESR1 result is negative" in text and "out of date" in text
    assert "bidard-2022-emerald" in _left_out_reason(result, "endocrine_elacestrant").sources


@pytest.mark.parametrize(
    ("pik3ca", "akt1", "pten"), list(itertools.product(["positive", "negative", "unknown"], repeat=3))
)
def test_capivasertib_every_combination_of_pik3ca_akt1_pten(pik3ca, akt1, pten):
    # CAPItello-291: the option is for a tumour with a PIK3CA, AKT1 or PTEN alteration.
    results = {"PIK3CA": pik3ca, "AKT1": akt1, "PTEN": pten}
    result = treatment_options(subtype="hr+/her2-", sites=["bone"], pik3ca=pik3ca, akt1=akt1, pten=pten)
    option = _option(result, "endocrine_capivasertib")
    if "positive" in results.values():
        assert option is not None and not [n for n in option.notes if n.startswith("Needs")]
    elif set(results.values()) == {"negative"}:
        assert option is None and "all negative" in _left_out_reason(result, "endocrine_capivasertib").text
    else:
        (note,) = [n for n in option.notes if n.startswith("Needs")]
        for gene, status in results.items():
            assert (gene in note) is (status == "unknown")
    # SOLAR-1: alpelisib depends on PIK3CA alone.
    alpelisib = _option(result, "endocrine_alpelisib")
    assert (alpelisib is None) is (pik3ca == "negative")


# --- treatment history: notes only, never hiding an option ------------------------------------------------------


def test_without_a_history_there_are_no_line_notes():
    result = treatment_options(subtype="hr-/her2+", sites=["liver"])
    assert result.prior_treatments is None
    assert not [n for n in _option(result, "tdxd_her2_positive").notes if n.startswith("Usually")]


def test_destiny_breast03_line_from_the_history():
    partial = treatment_options(subtype="her2+", sites=["liver"], prior_treatments=["trastuzumab"])
    (note,) = _option(partial, "tdxd_her2_positive").notes
    assert note.startswith("Usually second line") and "not found in the recorded treatments: a taxane" in note
    both = treatment_options(subtype="her2+", sites=["liver"], prior_treatments=["taxane", "trastuzumab"])
    (note,) = _option(both, "tdxd_her2_positive").notes
    assert "recorded: trastuzumab and a taxane" in note


def test_an_empty_history_keeps_later_line_options_with_a_note():
    result = treatment_options(subtype="tnbc", sites=["lung"], prior_treatments=[])
    for option_id in ("sacituzumab_govitecan", "tdxd_her2_low"):
        notes = _option(result, option_id).notes
        assert any("not found in the recorded treatments: chemotherapy for metastatic disease" in n for n in notes)


def test_first_line_options_note_what_the_history_already_has():
    tnbc = treatment_options(
        subtype="tnbc", sites=["lung"], pdl1="positive", prior_treatments=["chemotherapy_metastatic"]
    )
    assert any("already include chemotherapy for metastatic disease" in n for n in _option(tnbc, "immunotherapy").notes)
    assert any(
        n.endswith("recorded: chemotherapy for metastatic disease.")
        for n in _option(tnbc, "sacituzumab_govitecan").notes
    )
    luminal = treatment_options(subtype="hr+/her2-", sites=["bone"], prior_treatments=["endocrine", "cdk46_inhibitor"])
    assert any("already include a CDK4/6 inhibitor" in n for n in _option(luminal, "endocrine_cdk46").notes)
    assert any(
        "recorded: endocrine therapy and a CDK4/6 inhibitor" in n
        for n in _option(luminal, "endocrine_elacestrant").notes
    )


# --- backward compatibility and the boundary ----------------------------------------------------------------------


def test_the_old_call_still_works_and_reports_unknown_tests():
    result = treatment_options(subtype="hr+/her2-", sites=["bone"])
    assert result.her2_ihc == "unknown" and result.her2_ish == "unknown" and result.her2_low is None
    assert result.biomarkers == dict.fromkeys(("gbrca", "pdl1", "pik3ca", "akt1", "pten", "esr1"), "unknown")
    assert result.left_out == [] and result.options[0].id == "endocrine_cdk46"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("her2_ihc", "4+"),
        ("her2_ihc", True),
        ("her2_ish", "maybe"),
        ("gbrca", "equivocal"),
        ("pdl1", "high"),
        ("pik3ca", 1),
        ("akt1", "mutated"),
        ("pten", "lost"),
        ("esr1", "yes"),
        ("prior_treatments", "taxane"),
        ("prior_treatments", ["radiotherapy"]),
    ],
)
def test_bad_values_are_refused_naming_the_field(field, value):
    with pytest.raises(InvalidInputError) as caught:
        treatment_options(subtype="hr+/her2-", sites=["bone"], **{field: value})
    assert caught.value.field == field and caught.value.allowed
