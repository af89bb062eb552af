"""Performance status of a case: the latest ECOG or Karnofsky value, its descriptor and how it changed."""

from __future__ import annotations

from metastasis.assess.case._context import Context, day, head, recorded, wording
from metastasis.assess.case.models import PerformanceSection, SectionStatus, Statement
from metastasis.assess.performance import ecog, karnofsky

_LABEL = {"ecog": "ECOG", "karnofsky": "Karnofsky"}


def performance_section(ctx: Context) -> PerformanceSection:
    """The latest performance status; a worse value than the previous one on the same scale is stated."""
    case = ctx.case
    latest = case.latest_performance()
    if latest is None:
        ctx.not_run("performance", ["performance"])
        return PerformanceSection(**head("performance"), status=SectionStatus.NOT_ASSESSED)
    ctx.done("performance")
    result = ecog(grade=latest.value) if latest.scale == "ecog" else karnofsky(score=latest.value)
    label = _LABEL[latest.scale]
    path = ctx.performance_path(latest)
    when = day(latest.date) if latest.date else "an undated assessment"
    statements = [
        Statement(
            id="performance.latest",
            text=f"{label} {latest.value} ({when}): {result.description}",
            plain=wording(f"performance.{latest.scale}", date=when, value=latest.value),
            sources=tuple(result.sources),
            values=(recorded(label, latest.value, "", f"performance status on {when}", path),),
        )
    ]
    same_scale = [p for p in case.performance_status if p.scale == latest.scale and p.date and p is not latest]
    earlier = [p for p in same_scale if latest.date and p.date < latest.date]
    if earlier:
        previous = max(earlier, key=lambda p: p.date)
        worse = latest.value > previous.value if latest.scale == "ecog" else latest.value < previous.value
        if worse:
            statements.append(
                Statement(
                    id="performance.worse",
                    text=f"{label} worse: {previous.value} ({day(previous.date)}) -> {latest.value} ({when}).",
                    plain=wording("performance.worse", date=day(previous.date)),
                    sources=tuple(result.sources),
                    values=(
                        recorded(
                            f"Previous {label}",
                            previous.value,
                            "",
                            f"performance status on {day(previous.date)}",
                            ctx.performance_path(previous),
                        ),
                    ),
                )
            )
    return PerformanceSection(
        **head("performance"),
        latest=result,
        statements=statements,
        reasons=list(result.reasons),
        caveats=list(result.caveats),
    )
