"""The profile rules of the option catalogue: HER2-low, biomarker tests and the treatment history.

Each rule looks at one option and the profile and says whether the option is left out (with the reason) and
which notes it gets. An unknown result never hides an option: it adds a note naming the test that decides it.
The treatment history only adds notes ("usually after ..."), because a recorded history is often incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from metastasis.domain.biomarkers import ReceptorStatus, her2_low

TestName = Literal["gbrca", "pdl1", "pik3ca", "akt1", "pten", "esr1"]
PriorTreatment = Literal[
    "chemotherapy_metastatic", "taxane", "trastuzumab", "endocrine", "aromatase_inhibitor", "cdk46_inhibitor"
]

TESTS: Mapping[str, tuple[str, str]] = {
    # name: (what a note asks for, what the result is called)
    "gbrca": ("a germline BRCA1/2 test", "germline BRCA1/2"),
    "pdl1": ("a PD-L1 test (22C3 assay; positive at a CPS of 10 or more)", "PD-L1 (22C3 CPS)"),
    "pik3ca": ("a PIK3CA test", "PIK3CA"),
    "akt1": ("an AKT1 test", "AKT1"),
    "pten": ("a PTEN test", "PTEN"),
    "esr1": ("an ESR1 test (often on ctDNA, a blood sample)", "ESR1"),
}
"""The tests an option can depend on (``applies.biomarkers`` in options.yaml, parameters of treatment_options)."""

PRIOR_TREATMENTS: Mapping[str, str] = {
    "chemotherapy_metastatic": "chemotherapy for metastatic disease",
    "taxane": "a taxane",
    "trastuzumab": "trastuzumab",
    "endocrine": "endocrine therapy",
    "aromatase_inhibitor": "an aromatase inhibitor",
    "cdk46_inhibitor": "a CDK4/6 inhibitor",
}
"""Treatments a history can record (``applies.after``/``before`` in options.yaml)."""

assert set(TESTS) == set(get_args(TestName)) and set(PRIOR_TREATMENTS) == set(get_args(PriorTreatment))


@dataclass
class Verdict:
    """What the rules say of one option: left out (with why), and the notes it gets."""

    left_out: str | None = None
    notes: list[str] = field(default_factory=list)


def _joined(words: Sequence[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def her2_low_rule(ihc: str | None, ish: ReceptorStatus) -> Verdict:
    """An option for HER2-low disease: left out at IHC 0, a note when the score (or the ISH at 2+) is not known.

    Example
    -------
    >>> her2_low_rule("0", ReceptorStatus.UNKNOWN).left_out
    'HER2 IHC 0 is not HER2-low (IHC 1+, or 2+ with negative ISH); IHC 0 tumours were not in the trial'
    """
    low = her2_low(ihc, ish)
    if low is True:
        return Verdict()
    if low is False:
        return Verdict(
            left_out=f"HER2 IHC {ihc} is not HER2-low (IHC 1+, or 2+ with negative ISH); IHC 0 tumours were not in "
            "the trial"
        )
    if ihc is None:
        note = "Ask for the HER2 IHC score: this option is for HER2-low disease (IHC 1+, or 2+ with negative ISH)."
    else:
        note = "Needs the HER2 ISH result: IHC 2+ counts as HER2-low only when ISH is negative."
    return Verdict(notes=[note])


def biomarker_rule(tests: Sequence[str], results: Mapping[str, ReceptorStatus], if_negative: str = "") -> Verdict:
    """An option for a positive result of at least one of ``tests``: left out when all are negative.

    Example
    -------
    >>> unknown = dict.fromkeys(TESTS, ReceptorStatus.UNKNOWN)
    >>> biomarker_rule(["gbrca"], unknown).notes
    ['Needs a germline BRCA1/2 test: the result is not known here, and this option is for a positive result.']
    """
    if any(results[name] is ReceptorStatus.POSITIVE for name in tests):
        return Verdict()
    if all(results[name] is ReceptorStatus.NEGATIVE for name in tests):
        names = [TESTS[name][1] for name in tests]
        why = (
            f"the {names[0]} result is negative"
            if len(names) == 1
            else f"the {_joined(names)} results are all negative"
        )
        return Verdict(left_out=f"{why}; {if_negative}" if if_negative else why)
    asks = [TESTS[name][0] for name in tests if results[name] is not ReceptorStatus.NEGATIVE]
    return Verdict(
        notes=[f"Needs {_joined(asks, 'or')}: the result is not known here, and this option is for a positive result."]
    )


def history_notes(
    history: frozenset[str] | None, *, after: Sequence[str], before: Sequence[str], usually: str
) -> list[str]:
    """Notes comparing the recorded treatments with the line an option usually takes (none without a history).

    Example
    -------
    >>> history_notes(frozenset({"taxane"}), after=["trastuzumab", "taxane"], before=[], usually="second line")
    ['Usually second line; not found in the recorded treatments: trastuzumab.']
    """
    if history is None:
        return []
    notes: list[str] = []
    if after:
        missing = [PRIOR_TREATMENTS[key] for key in after if key not in history]
        if missing:
            notes.append(f"Usually {usually}; not found in the recorded treatments: {_joined(missing)}.")
        else:
            notes.append(f"Usually {usually}; recorded: {_joined([PRIOR_TREATMENTS[key] for key in after])}.")
    present = [PRIOR_TREATMENTS[key] for key in before if key in history]
    if present:
        notes.append(f"Usually {usually}; the recorded treatments already include {_joined(present)}.")
    return notes
