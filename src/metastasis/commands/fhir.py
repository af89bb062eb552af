"""``metastasis fhir``: read an mCODE FHIR bundle into a case, or write a case (and its assessment) as mCODE.

* ``metastasis fhir import BUNDLE.json [-o case.yaml] [--report] [--json]`` reads a FHIR R4 Bundle. Without
  ``-o`` the case is printed as YAML; ``--report`` lists what was mapped, ignored, conflicting and doubtful
  (on stderr when the case goes to stdout); ``--json`` prints the whole import result as JSON instead.
* ``metastasis fhir import BUNDLE.json --save --as EMAIL [--record ID --base-version N]`` imports it into the case
  store as a new record (owned by that account) or as the next version of record ID, if version N is still its
  current one; one line says which record and version were written.
* ``metastasis fhir export CASE.yaml [-o bundle.json] [--with-assessment] [--type collection|transaction]``
  writes the case as an mCODE Bundle (``application/fhir+json``).

Bad input (not a Bundle, no breast primary, a case with errors), and a store error (no such record, a version that
is no longer current, an account that may not do this), prints one line and exits with status 2.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console

from metastasis.commands._common import (
    check_output,
    err,
    out,
    print_disclaimer,
    print_json,
    printable,
    reports_input_errors,
    write_output,
)
from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.model import ImportResult

fhir_app = typer.Typer(
    name="fhir",
    help="Import an mCODE FHIR bundle as a case, or export a case (and its assessment) as mCODE FHIR.",
    no_args_is_help=True,
    add_completion=False,
)
_CASE_SUFFIXES = (".yaml", ".yml", ".json")
_SHOWN_IGNORED = 12


def import_bundle_file(path: Path) -> ImportResult:
    """Read a bundle file and import it (the one call behind `fhir import` without `--save`)."""
    from metastasis.interop.fhir import case_from_bundle
    from metastasis.interop.fhir.io import MAX_BUNDLE_BYTES, load_bundle

    return case_from_bundle(load_bundle(_bundle_bytes(path, MAX_BUNDLE_BYTES), source=printable(path)))


def print_import_report(result: ImportResult, console: Console) -> None:
    """What was mapped, ignored, in conflict and doubtful, in a few lines per kind."""
    console.print("[bold]Mapped[/bold]")
    for used in result.used:
        fields = ", ".join(used.fields) or "-"
        note = f" ({used.note})" if used.note else ""
        console.print(f"  {used.resource}: {fields}{note}", markup=False, highlight=False)
    if result.stage_group is not None:
        s = result.stage_group
        console.print(f"  recorded stage group: {s.stage} ({s.basis}) from {s.resource}", markup=False)
    console.print(f"\n[bold]Ignored[/bold] ({len(result.ignored)})")
    for (kind, message), count in Counter((f.path.split(".")[0], f.message) for f in result.ignored).most_common(
        _SHOWN_IGNORED
    ):
        console.print(f"  {count} x {kind}: {message}", markup=False, highlight=False)
    if result.conflicts:
        console.print("\n[bold]Conflicts[/bold] (the latest effective date wins)")
        for conflict in result.conflicts:
            dropped = "; ".join(f"{d.value} ({d.resource})" for d in conflict.dropped)
            line = f"  {conflict.field}: kept {conflict.kept.value} ({conflict.kept.resource}); not kept: {dropped}"
            console.print(line, markup=False, highlight=False)
    if result.warnings:
        console.print("\n[bold yellow]Warnings[/bold yellow]")
        for w in result.warnings:
            console.print(f"  {w.resource} {w.path}: {w.message}", markup=False, highlight=False)


def _check_save_options(
    save: bool, output: Path | None, record: int | None, base_version: int | None, acting: str | None
) -> None:
    for name, number in (("record", record), ("base-version", base_version)):
        if number is not None and number < 1:
            raise InvalidInputError(name, number, "a whole number from 1")
    if not save:
        for name, value in (("record", record), ("base-version", base_version), ("as", acting)):
            if value is not None:
                raise InvalidInputError(name, value, "only with --save (importing into the case store)")
        return
    if output is not None:
        raise InvalidInputError("output", printable(output), "no output file with --save (the case goes to the store)")
    if acting is None:
        raise InvalidInputError("as", None, "the email of the account the import acts as (--as EMAIL)")
    if record is None and base_version is not None:
        raise InvalidInputError("base-version", base_version, "only with --record (a new record starts at version 1)")
    if record is not None and base_version is None:
        raise InvalidInputError(
            "base-version", None, f"the version of record {record} the import replaces (metastasis records ...)"
        )


def _save(bundle: Path, acting: str, record: int | None, base_version: int | None, report: bool, as_json: bool) -> None:
    from metastasis.commands._store import open_store, reports_store_errors

    @reports_store_errors
    def save() -> None:
        from metastasis.interop.fhir.io import MAX_BUNDLE_BYTES, load_bundle
        from metastasis.interop.fhir.to_store import import_into_store
        from metastasis.store.watches import acting_user

        store = open_store()
        actor = acting_user(store, acting)
        raw = load_bundle(_bundle_bytes(bundle, MAX_BUNDLE_BYTES), source=printable(bundle))
        stored = import_into_store(store, actor, raw, record_id=record, base_version=base_version)
        if as_json:
            print_json(stored)
            return
        written = "created record" if stored.created else "added a version to record"
        out.print(f"{written} {stored.id}, version {stored.version}: {stored.reason}", markup=False)
        if report:
            print_import_report(stored.result, out)
        print_disclaimer()

    save()


def _bundle_bytes(path: Path, limit: int) -> bytes:
    """The bundle file's bytes, refused beyond ``limit`` (a pipe or device has no size, so the read is bounded)."""
    try:
        size = path.stat().st_size
        if size <= limit:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            size = len(data)
    except OSError as exc:
        raise InvalidInputError("bundle", printable(path), "a readable file", detail=exc.strerror) from None
    if size > limit:
        raise InvalidInputError("bundle", f"{size:,} bytes", f"at most {limit:,} bytes")
    return data


@reports_input_errors
def import_(
    bundle: Path = typer.Argument(..., help="FHIR R4 Bundle (JSON) with mCODE resources."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the case to this file (.yaml or .json)."),
    report: bool = typer.Option(False, "--report", help="List what was mapped, ignored, in conflict, doubtful."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole import result as JSON."),
    save: bool = typer.Option(False, "--save", help="Import into the case store (a new record, or --record)."),
    record: int | None = typer.Option(None, "--record", help="With --save: add a version to this record."),
    base_version: int | None = typer.Option(
        None, "--base-version", help="With --record: the version the import replaces (refused if not current)."
    ),
    acting: str | None = typer.Option(None, "--as", help="With --save: the email of the account that imports."),
) -> None:
    """Read an mCODE FHIR bundle into a case (or, with --save, into the case store)."""
    _check_save_options(save, output, record, base_version, acting)
    if save:
        assert acting is not None
        _save(bundle, acting, record, base_version, report, as_json)
        return
    if output is not None:
        if output.suffix.lower() not in _CASE_SUFFIXES:
            raise InvalidInputError("output", printable(output), "a file ending .yaml, .yml or .json")
        check_output(output)
    result = import_bundle_file(bundle)
    if as_json:
        print_json(result)
        return
    if output is not None:
        text = result.case.to_json() if output.suffix.lower() == ".json" else result.case.to_yaml()
        write_output(output, text)
        out.print(f"Wrote the case to {printable(output)}", markup=False)
        if report:
            print_import_report(result, out)
        print_disclaimer()
        return
    typer.echo(result.case.to_yaml(), nl=False)
    if report:
        print_import_report(result, err)


@reports_input_errors
def export(
    case_file: Path = typer.Argument(..., help="Case file (.json, .yaml or .yml); see `metastasis schema`."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the bundle to this file (JSON)."),
    with_assessment: bool = typer.Option(
        False, "--with-assessment", help="Add the stage group, risk scores and report (DiagnosticReport)."
    ),
    bundle_type: str = typer.Option("collection", "--type", help="collection or transaction."),
) -> None:
    """Write a case as an mCODE FHIR bundle."""
    from metastasis.domain.io import load_case
    from metastasis.interop.fhir import bundle_from_case
    from metastasis.interop.fhir.exporter import BUNDLE_TYPES

    if bundle_type not in BUNDLE_TYPES:
        raise InvalidInputError("type", bundle_type, BUNDLE_TYPES)
    if output is not None:
        check_output(output)
    case = load_case(case_file)
    bundle = bundle_from_case(case, bundle_type=bundle_type, with_assessment=with_assessment)  # type: ignore[arg-type]
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        write_output(output, text)
        out.print(f"Wrote {len(bundle['entry'])} resources to {printable(output)}", markup=False)
        print_disclaimer()
        return
    typer.echo(text, nl=False)


fhir_app.command("import")(import_)
fhir_app.command("export")(export)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.add_typer(fhir_app, name="fhir")
