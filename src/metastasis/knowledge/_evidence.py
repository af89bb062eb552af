"""Small helpers to turn cited sources into reasons and caveats."""

from __future__ import annotations

from collections.abc import Iterable

from metastasis.evidence import Reason, Verification, get_source


def unverified_caveats(reasons: Iterable[Reason]) -> list[str]:
    """One caveat per unverified source cited by the reasons, in order of first citation.

    Example
    -------
    >>> from metastasis.evidence import Reason
    >>> unverified_caveats([Reason(rule="x", text="y", sources=("eso-esmo-abc5",))])[0][:40]
    'Rule x rests in part on an unverified so'
    """
    seen: set[str] = set()
    caveats: list[str] = []
    for reason in reasons:
        for source_id in reason.sources:
            if source_id in seen:
                continue
            seen.add(source_id)
            if get_source(source_id).verification is Verification.UNVERIFIED:
                caveats.append(
                    f"Rule {reason.rule} rests in part on an unverified source ({source_id}); "
                    "check it before relying on it."
                )
    return caveats
