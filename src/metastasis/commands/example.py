"""``metastasis example``: run the library on a bundled example case (the main job of ``make run``)."""

from __future__ import annotations

import typer
from rich.panel import Panel

from metastasis.commands._common import out, print_disclaimer, print_json, reports_input_errors
from metastasis.commands.stage import render_stage
from metastasis.examples import example_names, load_example
from metastasis.staging import stage_breast

DEFAULT_EXAMPLE = "de-novo-bone-only"


@reports_input_errors
def example(
    name: str = typer.Argument(DEFAULT_EXAMPLE, help="Which bundled example to run."),
    list_: bool = typer.Option(False, "--list", help="List the bundled examples."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Assess a bundled example case and print the result (staging with reasons, sources and patient text)."""
    if list_:
        for item in example_names():
            out.print(f"{item}: {load_example(item)['title']}", markup=False)
        return
    case = load_example(name)
    result = stage_breast(**case["staging"])
    if as_json:
        print_json({"example": name, "title": case["title"], "staging": result.model_dump(mode="json")})
        return
    out.print(Panel(case["description"].strip(), title=case["title"], expand=False))
    out.print("\n[bold]Staging[/bold]")
    render_stage(result)
    out.print("\n[bold]For the patient[/bold]")
    out.print(result.explain(), markup=False)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    app.command("example")(example)
