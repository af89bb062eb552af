"""``metastasis sites | triage | options | learn | quiz``: the knowledge catalogue, symptom triage, treatment
options and patient education on the command line."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape
from rich.table import Table

from metastasis.assess.triage import TriageResult, symptom_vocabulary, triage
from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.knowledge import all_sites, bone_primaries, codes_for, facts
from metastasis.knowledge.education import HELP_NOW_DEFAULT, Explainer, explain, topic_groups
from metastasis.knowledge.guides import glossary, organisations, question_lists
from metastasis.knowledge.options import MENOPAUSAL, SUBTYPES, OptionsResult, treatment_options
from metastasis.knowledge.quiz import QuizScore, quiz_items, score_quiz

_JSON = typer.Option(False, "--json", help="Print the result as JSON.")
_SYMPTOMS = typer.Option([], "--symptom", "-s", help="A symptom code (repeat the option); see --list for the codes.")
_SITES = typer.Option(..., "--site", help="A metastatic site code (repeat); see `metastasis sites`.")
_URGENCY_STYLE = {"emergency_now": "bold red", "same_day": "bold yellow", "soon": "yellow", "routine": "green"}


@reports_input_errors
def sites(as_json: bool = _JSON) -> None:
    """List the metastatic-site catalogue with codes (unverified codes flagged) and bone primaries."""
    rows = [
        {
            "id": site.id,
            "name": site.name,
            "group": site.group.value,
            "parent": site.parent,
            "codes": [{**code.model_dump(mode="json"), "flagged": code.flagged} for code in codes_for(site.id)],
            "sources": list(site.sources),
        }
        for site in all_sites()
    ]
    primaries = [p.model_dump(mode="json") for p in bone_primaries()]
    if as_json:
        print_json({"sites": rows, "bone_primaries": primaries, "bone_rank": facts().bone_rank.model_dump()})
        return
    table = Table(title="Metastatic sites")
    for column in ("site", "group", "codes (! = unverified)"):
        table.add_column(column)
    for row in rows:
        codes = ", ".join(f"{c['system']} {c['code']}{' !' if c['flagged'] else ''}" for c in row["codes"])
        indent = "  " if row["parent"] else ""
        table.add_row(f"{indent}{row['id']}", row["group"], codes or "-")
    out.print(table)
    out.print(f"\n{facts().bone_rank.text} [dim]\\[{', '.join(facts().bone_rank.sources)}][/dim]")
    table = Table(title="Primaries that commonly spread to bone")
    for column in ("primary", "typical lesion", "check"):
        table.add_column(column)
    for p in bone_primaries():
        table.add_row(p.name, p.lesion_type.value, p.lesion_verification.value)
    out.print(table)
    print_disclaimer()


def render_triage(result: TriageResult) -> None:
    """Print a triage result: what to do now first, then rules, sites, work-up and evidence."""
    style = _URGENCY_STYLE[result.urgency.value]
    out.print(f"[{style}]Urgency: {result.urgency.value}[/{style}]")
    now = result.conditions[0].plain_action if result.conditions else result.what_to_do_now
    out.print("\n[bold]What to do now[/bold]")
    out.print(now, markup=False)
    for fired in result.fired_rules:
        out.print(f"  - {fired.patient_text}", markup=False)
    out.print(f"\n[dim]{result.notice}[/dim]")
    for condition in result.conditions:
        out.print(f"\n[bold]{escape(condition.title)}[/bold] ({condition.urgency.value}) - for the care team")
        out.print(f"  {condition.action}", markup=False)
        for fired in condition.rules:
            out.print(
                f"  - {fired.urgency.value}: {fired.rule} ({', '.join(fired.matched) or 'lab'}) "
                f"[{', '.join(fired.sources)}]",
                markup=False,
            )
    if result.sites:
        out.print("\n[bold]Sites the findings point to[/bold]")
        for site in result.sites:
            out.print(f"  {site.score:>2}  {site.site}: {', '.join(site.findings)}", markup=False)
    if result.workup:
        out.print("\n[bold]Suggested work-up (for the care team)[/bold]")
        for item in result.workup:
            tests = [*item.imaging, *item.labs, *([item.biopsy] if item.biopsy else [])]
            out.print(f"  {item.target}: {'; '.join(tests)}", markup=False)
        out.print(f"  first metastasis: {result.first_metastasis_note}", markup=False)
    print_evidence(result)
    print_disclaimer()


@reports_input_errors
def triage_command(
    symptom: list[str] = _SYMPTOMS,
    calcium: float | None = typer.Option(None, "--calcium", help="Total serum calcium (unit per --units)."),
    albumin: float | None = typer.Option(None, "--albumin", help="Serum albumin (g/L for si, g/dL conventional)."),
    units: str | None = typer.Option(None, "--units", help="si (mmol/L, g/L) or conventional (mg/dL, g/dL)."),
    uln: float | None = typer.Option(None, "--uln", help="Lab upper limit of normal for corrected calcium."),
    alp: float | None = typer.Option(None, "--alp", help="Alkaline phosphatase (give --alp-uln too)."),
    alp_uln: float | None = typer.Option(None, "--alp-uln", help="ALP upper limit of normal."),
    alt: float | None = typer.Option(None, "--alt", help="ALT (give --alt-uln too)."),
    alt_uln: float | None = typer.Option(None, "--alt-uln", help="ALT upper limit of normal."),
    ast: float | None = typer.Option(None, "--ast", help="AST (give --ast-uln too)."),
    ast_uln: float | None = typer.Option(None, "--ast-uln", help="AST upper limit of normal."),
    list_codes: bool = typer.Option(False, "--list", help="List the symptom codes and exit."),
    as_json: bool = _JSON,
) -> None:
    """Triage symptoms: urgency, what to do now, suspected sites and work-up (never a diagnosis)."""
    if list_codes:
        for code, label in symptom_vocabulary().items():
            out.print(f"{code:28} {label}", markup=False)
        return
    result = triage(
        symptom,
        calcium=calcium,
        albumin=albumin,
        units=units,
        uln=uln,
        alp=alp,
        alp_uln=alp_uln,
        alt=alt,
        alt_uln=alt_uln,
        ast=ast,
        ast_uln=ast_uln,
    )
    if as_json:
        print_json(result)
        return
    render_triage(result)


def render_options(result: OptionsResult) -> None:
    """Print the option families for a profile."""
    out.print(f"[bold]{result.notice}[/bold]\n")
    out.print(f"Subtype {result.subtype}; sites {', '.join(result.sites)}; pattern {result.pattern.value}")
    for option in result.options:
        out.print(f"\n[bold]{option.name}[/bold] ({option.family})")
        out.print(f"  {option.purpose}", markup=False)
        out.print(f"  Evidence: {option.evidence}", markup=False)
        for note in option.notes:
            out.print(f"  Note: {note}", markup=False)
        for caveat in option.caveats:
            out.print(f"  Caveat: {caveat}", markup=False)
        out.print(f"  [dim]\\[{', '.join(option.sources)}][/dim]")
    print_evidence(result)
    print_disclaimer()


_TEST = "positive, negative or unknown"


@reports_input_errors
def options(
    subtype: str = typer.Option(..., "--subtype", help=f"One of: {', '.join(SUBTYPES)} (or her2+, tnbc)."),
    site: list[str] = _SITES,
    menopausal: str = typer.Option("unknown", "--menopausal", help=f"One of: {', '.join(MENOPAUSAL)}."),
    mirels: int | None = typer.Option(None, "--mirels", help="Mirels total (4-12), if known."),
    sins: int | None = typer.Option(None, "--sins", help="SINS total (0-18), if known."),
    lesions: int | None = typer.Option(None, "--lesions", help="Number of metastatic lesions, if known."),
    her2_ihc: str = typer.Option("unknown", "--her2-ihc", help="HER2 IHC score: 0, 1+, 2+, 3+ or unknown."),
    her2_ish: str = typer.Option("unknown", "--her2-ish", help="HER2 ISH: positive, negative, equivocal, unknown."),
    gbrca: str = typer.Option("unknown", "--gbrca", help=f"Germline BRCA1/2 pathogenic variant: {_TEST}."),
    pdl1: str = typer.Option("unknown", "--pdl1", help=f"PD-L1 CPS 10 or more (22C3): {_TEST}."),
    pik3ca: str = typer.Option("unknown", "--pik3ca", help=f"PIK3CA mutation: {_TEST}."),
    akt1: str = typer.Option("unknown", "--akt1", help=f"AKT1 alteration: {_TEST}."),
    pten: str = typer.Option("unknown", "--pten", help=f"PTEN alteration: {_TEST}."),
    esr1: str = typer.Option("unknown", "--esr1", help=f"ESR1 mutation: {_TEST}."),
    as_json: bool = _JSON,
) -> None:
    """List treatment-option families for a case profile (to discuss with the care team)."""
    result = treatment_options(
        subtype=subtype,
        sites=site,
        menopausal_status=menopausal,
        mirels=mirels,
        sins=sins,
        lesion_count=lesions,
        her2_ihc=her2_ihc,  # type: ignore[arg-type]  # validated by treatment_options
        her2_ish=her2_ish,  # type: ignore[arg-type]
        gbrca=gbrca,  # type: ignore[arg-type]
        pdl1=pdl1,  # type: ignore[arg-type]
        pik3ca=pik3ca,  # type: ignore[arg-type]
        akt1=akt1,  # type: ignore[arg-type]
        pten=pten,  # type: ignore[arg-type]
        esr1=esr1,  # type: ignore[arg-type]
    )
    if as_json:
        print_json(result)
        return
    render_options(result)


def _print_topic_list() -> None:
    """The explainers by group: group title, then each topic id and title."""
    for group, explainers in topic_groups():
        out.print(f"\n[bold]{escape(group.title)}[/bold]")
        for explainer in explainers:
            out.print(f"  {explainer.id:32} {explainer.title}", markup=False)


def _print_explainer(explainer: Explainer) -> None:
    """One explainer as a reader sees it: the answer first, the text, what to do, when to get help, links."""
    out.print(f"[bold]{escape(explainer.title)}[/bold]\n")
    out.print(explainer.summary + "\n", markup=False)
    out.print("\n\n".join(explainer.paragraphs), markup=False)
    for section in explainer.sections:
        out.print(f"\n[bold]{escape(section.heading)}[/bold]")
        out.print("\n\n".join(section.paragraphs), markup=False)
    if explainer.you_can:
        out.print("\n[bold]What you can do or ask[/bold]")
        for item in explainer.you_can:
            out.print(f"- {item}", markup=False)
    out.print("\n[bold]Get help now[/bold]")
    out.print(explainer.help_now or HELP_NOW_DEFAULT, markup=False)
    out.print("See the red flags: metastasis learn red-flags", markup=False)
    if explainer.related:
        out.print("\n[bold]Related[/bold]: " + escape(", ".join(explain(t).title for t in explainer.related)))
    if explainer.next_step:
        out.print(f"[bold]Next[/bold]: metastasis learn {explainer.next_step.replace('_', '-')}")
    out.print(f"\n[dim]Sources: {', '.join(explainer.all_sources)}[/dim]")
    status = explainer.review.status.value.replace("_", " ")
    out.print(f"[dim]For the care team: {status} on {explainer.review.date} ({explainer.review.by})[/dim]")


def _print_glossary() -> None:
    for entry in glossary():
        out.print(f"[bold]{escape(entry.term)}[/bold]: {escape(entry.definition)}")


def _print_questions() -> None:
    for item in question_lists():
        out.print(f"\n[bold]{escape(item.title)}[/bold]")
        for question in item.questions:
            out.print(f"- {question}", markup=False)


def _print_organisations() -> None:
    for org in organisations():
        out.print(f"\n[bold]{escape(org.name)}[/bold] ({escape(org.country)}) {org.website}")
        for line in org.helps_with:
            out.print(f"- {line}", markup=False)
        if org.phone:
            out.print(
                f"Phone {org.phone}, {org.phone_hours} [dim](number as stated on a copy of its page: "
                f"{escape(org.phone_copy_date or '')})[/dim]"
            )


@reports_input_errors
def learn(
    topic: str | None = typer.Argument(None, help="Topic id; see --list."),
    list_topics: bool = typer.Option(False, "--list", help="List the topics, by group."),
    show_glossary: bool = typer.Option(False, "--glossary", help="The words the explainers use, defined."),
    show_questions: bool = typer.Option(False, "--questions", help="Questions to ask your care team."),
    find_help: bool = typer.Option(False, "--find-help", help="Organisations that help, and how to reach them."),
    as_json: bool = _JSON,
) -> None:
    """Read a plain-language explainer (what metastasis is, bone lesions, survival numbers...)."""
    extras = {"glossary": show_glossary, "questions": show_questions, "organisations": find_help}
    if any(extras.values()):
        if as_json:
            data = {"glossary": glossary, "questions": question_lists, "organisations": organisations}
            print_json({name: [m.model_dump(mode="json") for m in data[name]()] for name, on in extras.items() if on})
            return
        if show_glossary:
            _print_glossary()
        if show_questions:
            _print_questions()
        if find_help:
            _print_organisations()
        print_disclaimer()
        return
    if list_topics or topic is None:
        _print_topic_list()
        return
    explainer = explain(topic)
    if as_json:
        print_json(explainer)
        return
    _print_explainer(explainer)
    print_disclaimer()


def _print_score(result: QuizScore) -> None:
    for answer in result.answers:
        mark = "right" if answer.correct else f"wrong (answer: {answer.correct_answer})"
        out.print(f"- {answer.question} You said {answer.given}: {mark}.", markup=False)
        out.print(f"  {answer.explanation}", markup=False)
    out.print(f"\n[bold]Score: {result.score}/{result.total}[/bold]")


def _interactive() -> bool:
    """True when stdin is a terminal (the quiz then asks question by question)."""
    return sys.stdin.isatty()


def _ask(keys: list[str]) -> str:
    """Prompt until the answer is one of ``keys``."""
    while True:
        answer = str(typer.prompt(f"Your answer ({'/'.join(keys)})")).strip().lower()
        if answer in keys:
            return answer
        out.print(f"Please type one of: {', '.join(keys)}", markup=False)


@reports_input_errors
def quiz(
    answers: str | None = typer.Option(None, "--answers", help="Comma-separated answers for scripted use, e.g. b,a,b."),
    as_json: bool = _JSON,
) -> None:
    """Take the quiz on metastasis (interactive in a terminal; --answers for scripted use)."""
    if answers is None:
        if not _interactive():
            keys = ",".join("?" * len(quiz_items()))
            raise typer.BadParameter(f"not a terminal: give --answers {keys}", param_hint="--answers")
        given = []
        for number, item in enumerate(quiz_items(), start=1):
            out.print(f"\n[bold]{number}. {item.question}[/bold]")
            for key, text in item.choices.items():
                out.print(f"   {key}) {text}", markup=False)
            given.append(_ask(sorted(item.choices)))
    else:
        given = [part.strip() for part in answers.split(",")]
    result = score_quiz(given)
    if as_json:
        print_json(result)
        return
    _print_score(result)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add the knowledge commands to the CLI."""
    app.command("sites")(sites)
    app.command("triage")(triage_command)
    app.command("options")(options)
    app.command("learn")(learn)
    app.command("quiz")(quiz)
