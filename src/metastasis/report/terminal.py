"""The whole-case report in the terminal (Rich): alerts first for clinicians, what to do now first for patients."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from metastasis.assess.case import Report
from metastasis.report.view import SECTION_STATUS_WORDS, Audience, ItemView, ReportView, build_view

_STYLE = {"emergency": "bold white on red", "high": "bold red", "moderate": "bold yellow", "low": "cyan"}


def _refs(numbers: list[int]) -> str:
    return f" [dim]\\[{', '.join(map(str, numbers))}][/dim]" if numbers else ""


def _mark(unverified: bool) -> str:
    return " [yellow](unverified)[/yellow]" if unverified else ""


def _item(console: Console, item: ItemView, clinician: bool) -> None:
    label = f"[bold]{escape(item.label)}:[/bold] " if item.label else ""
    console.print(f"  - {label}{escape(item.text)}{_refs(item.refs)}{_mark(item.unverified)}")
    for value in item.values:
        where = f": {escape(value.detail)}" if clinician else ""
        paths = "".join(f" {p}" for p in value.paths) if clinician else ""
        console.print(
            f"      [dim]{escape(value.label)} = {escape(value.display)} ({value.provenance}{where}{escape(paths)})"
            f"{_refs(value.refs)}[/dim]"
        )


def _alerts(console: Console, view: ReportView, clinician: bool) -> None:
    console.rule("Alerts" if clinician else "Warning signs")
    if not view.alerts:
        console.print("No alert fired." if clinician else "No warning signs were found in this report.")
    for alert in view.alerts:
        style = _STYLE[alert.severity]
        console.print(
            f"[{style}] {alert.severity_label.upper()} [/{style}] [bold]{escape(alert.title)}[/bold]"
            f"{_mark(alert.unverified)}"
        )
        console.print(f"  {escape(alert.text)}{_refs(alert.refs)}")
        if clinician:
            console.print(f"  [dim]Rule: {escape(alert.rule or '')}[/dim]")
            records = escape(" ".join(alert.paths))
            console.print(f"  [dim]Dates: {', '.join(alert.dates) or '-'}; records: {records}[/dim]")
        console.print(f"  {'Action' if clinician else 'What to do'}: {escape(alert.action)}")


def _actions(console: Console, view: ReportView) -> None:
    console.rule("What to do now")
    for number, action in enumerate(view.actions, start=1):
        style = _STYLE[action.severity]
        label = f"[{style}]{action.severity_label}[/{style}]"
        console.print(f"{number}. {label}: {escape(action.text)}{_refs(action.refs)}")


def print_report(report: Report, *, audience: Audience = "clinician", console: Console | None = None) -> None:
    """Print the report for one audience on ``console`` (default: standard output)."""
    console = console or Console(highlight=False)
    view = build_view(report, audience)
    clinician = audience == "clinician"
    heading = f"{escape(view.subtitle)} - {'clinician' if clinician else 'patient'} view"
    body = escape(view.summary) if clinician and view.summary else escape(view.disclaimer)
    console.print(Panel(body, title=f"[bold]{escape(view.title)}[/bold]", subtitle=heading, expand=True))
    if clinician:
        _alerts(console, view, clinician)
        _actions(console, view)
    else:
        _actions(console, view)
        _alerts(console, view, clinician)
    for section in view.sections:
        console.rule(escape(section.title))
        if clinician:
            note = f": {escape(section.note)}" if section.note else ""
            console.print(f"[dim]{SECTION_STATUS_WORDS[section.status]}{note}[/dim]")
        for item in section.items:
            _item(console, item, clinician)
        for table_view in section.tables:
            table = Table(title=escape(table_view.caption), title_justify="left", show_lines=False)
            for header in table_view.header:
                table.add_column(escape(header))
            for row in table_view.rows:
                table.add_row(*(escape(cell) for cell in row))
            console.print(table)
        for figure in section.figures:
            console.print(f"  [dim]Figure (HTML report): {escape(figure.caption)}[/dim]")
        if section.caveats:
            console.print("  [dim]Caveats:[/dim]")
            for caveat in section.caveats:
                console.print(f"  [dim]- {escape(caveat)}[/dim]")
    if view.questions:
        console.rule("Questions to ask your care team")
        for question in view.questions:
            console.print(f"  - {escape(question)}")
    if view.missing:
        console.rule(escape(view.missing_intro))
        if view.missing_note:
            console.print(escape(view.missing_note))
        for missing in view.missing:
            where = f" [dim]{escape(missing.path)} ({', '.join(missing.needed_by)})[/dim]" if clinician else ""
            console.print(f"  - {escape(missing.item)}{where}")
    if view.not_applicable:
        console.rule("Not applicable to this case")
        for line in view.not_applicable:
            console.print(f"  - {escape(line)}")
    console.rule("Caveats" if clinician else "Please note")
    for caveat in view.caveats:
        console.print(f"  - {escape(caveat)}")
    console.rule("References" if clinician else "Where the information comes from")
    for ref in view.references:
        status = f"[yellow]{ref.verification}[/yellow]" if ref.unverified else ref.verification
        link = f" {ref.link}" if ref.link else ""
        tail = f"[dim]({ref.id}; [/dim]{status}[dim])[/dim]"
        console.print(f"  {ref.number}. {escape(ref.citation)}{escape(link)} {tail}")


def terminal_text(report: Report, *, audience: Audience = "clinician", width: int = 110) -> str:
    """The terminal rendering as plain text (no colours), e.g. for tests or a text file."""
    console = Console(record=True, width=width, file=_Null(), highlight=False, color_system=None)
    print_report(report, audience=audience, console=console)
    return console.export_text()


class _Null:
    """A file that discards what is written (the recording console keeps its own copy)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None
