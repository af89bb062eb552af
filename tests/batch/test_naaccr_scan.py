"""The fast NAACCR XML scanner gives exactly the tree parser's rows, or hands the file to it.

Every file is read twice: by ``read_naaccr`` (the scanner where it can prove the file plain) and by the lxml
reader alone; the tables, the counts and the root attributes must be equal. Unusual forms (comments, CDATA,
references, other attributes, CRLF, items after tumours, broken nesting) must either be read plainly with the
same result or be handed to the tree parser, never read differently.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pytest

from metastasis.batch import naaccr, naaccr_scan
from metastasis.batch.codes import items
from metastasis.batch.naaccr import NS, NaaccrInfo, read_naaccr
from metastasis.errors import InvalidInputError

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(DATA.glob("naaccr-xml-sample-*.xml.gz"))
TREE_READER = naaccr._read_tree  # the lxml reader alone (kept before any test replaces it with a spy)


def _tree(path: Path, all_sites: bool = False) -> tuple[pa.Table, NaaccrInfo]:
    spec = items()
    info = NaaccrInfo()
    batches = TREE_READER(
        path,
        info,
        None,
        {i.naaccr_id: k for k, i in enumerate(spec) if i.parent == "Patient"},
        {i.naaccr_id: k for k, i in enumerate(spec) if i.parent == "Tumor"},
        all_sites,
        1 << 16,
        pa.schema([(i.column, pa.string()) for i in spec]),
    )
    return pa.Table.from_batches(list(batches)), info


def _read(path: Path, **kwargs) -> tuple[pa.Table, NaaccrInfo]:
    info = NaaccrInfo()
    return pa.Table.from_batches(list(read_naaccr(path, info=info, **kwargs))), info


@pytest.fixture
def tree_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = naaccr._read_tree

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(naaccr, "_read_tree", spy)
    return calls


def _same(path: Path, all_sites: bool = False) -> None:
    fast, fast_info = _read(path, all_sites=all_sites)
    tree, tree_info = _tree(path, all_sites=all_sites)
    assert fast.equals(tree)
    assert (fast_info.patients, fast_info.tumours, fast_info.breast_tumours) == (
        tree_info.patients,
        tree_info.tumours,
        tree_info.breast_tumours,
    )
    assert fast_info.attributes == tree_info.attributes


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("all_sites", [False, True])
def test_real_samples_are_scanned_and_equal_the_tree_parser(sample, all_sites, tree_calls):
    _same(sample, all_sites)
    assert not tree_calls  # the registry library's own output is the plain form


def _file(tmp_path: Path, body: str, head: str = "", name: str = "x.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<NaaccrData xmlns="{NS}" recordType="A" '
        f'baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-250.xml">\n{body}</NaaccrData>\n',
        encoding="utf-8",
        newline="",
    )
    return path


def _patient(pid: str, site: str = "C504", t: str = "p2", extra: str = "") -> str:
    return (
        f'<Patient><Item naaccrId="patientIdNumber">{pid}</Item><Tumor><Item naaccrId="primarySite">{site}</Item>'
        f'<Item naaccrId="tnmPathT">{t}</Item>{extra}</Tumor></Patient>\n'
    )


PLAIN_VARIANTS = {
    "indented with CRLF": '  <Patient>\r\n    <Item naaccrId="patientIdNumber">1</Item>\r\n    <Tumor>\r\n'
    '      <Item naaccrId="primarySite">C501</Item>\r\n    </Tumor>\r\n  </Patient>\r\n',
    "empty items": '<Patient><Item naaccrId="patientIdNumber">7</Item><Tumor>'
    '<Item naaccrId="primarySite">C509</Item><Item naaccrId="tnmPathT"/><Item naaccrId="ki67"></Item>'
    "</Tumor></Patient>\n",
    "patient item after its tumours": '<Patient><Tumor><Item naaccrId="primarySite">C502</Item></Tumor>'
    '<Item naaccrId="patientIdNumber">late</Item></Patient>\n',
    "two tumours, one not breast": '<Patient><Item naaccrId="patientIdNumber">9</Item><Tumor>'
    '<Item naaccrId="primarySite">C619</Item></Tumor><Tumor><Item naaccrId="primarySite">C508</Item>'
    '<Item naaccrId="tnmPathT">p1</Item><Item naaccrId="tnmPathT">p3</Item></Tumor></Patient>\n',
    "root items and unicode": '<Item naaccrId="registryId">0000001234</Item>\n'
    + _patient("Zoë", extra='<Item naaccrId="textRemarks">café &gt; 2 cm</Item>').replace("&gt;", ">"),
    "text with quote, > and />": _patient("1", extra='<Item naaccrId="textRemarks">a "b" > c /> d</Item>'),
}


@pytest.mark.parametrize("body", PLAIN_VARIANTS.values(), ids=PLAIN_VARIANTS.keys())
def test_plain_variants_are_scanned_with_the_tree_parsers_result(tmp_path, body, tree_calls):
    path = _file(tmp_path, body)
    _same(path, all_sites=False)
    _same(path, all_sites=True)
    assert not tree_calls


UNUSUAL_BODIES = {
    "comment": _patient("1") + "<!-- <Patient><Tumor></Tumor></Patient> -->\n",
    "CDATA": _patient("1", t="<![CDATA[p2]]>"),
    "entity reference": _patient("1", t="p&#50;"),
    "other attribute": _patient("1").replace("<Tumor>", '<Tumor id="x">'),
    "prefixed element": _patient("1").replace("<Tumor>", f'<n:Tumor xmlns:n="{NS}">').replace("</Tumor>", "</n:Tumor>"),
    "processing instruction": _patient("1") + "<?registry hint?>\n",
    "item with a child": _patient("1", t="p<b/>2"),
    "naaccrNum attribute": _patient("1").replace('naaccrId="tnmPathT"', 'naaccrId="tnmPathT" naaccrNum="880"'),
    "single-quoted attribute": _patient("1").replace('naaccrId="tnmPathT"', "naaccrId='tnmPathT'"),
}


@pytest.mark.parametrize("body", UNUSUAL_BODIES.values(), ids=UNUSUAL_BODIES.keys())
def test_unusual_forms_go_to_the_tree_parser(tmp_path, body, tree_calls):
    path = _file(tmp_path, _patient("0") * 3 + body + _patient("2"))
    _same(path)
    assert tree_calls


def test_doctype_goes_to_the_tree_parser(tmp_path, tree_calls):
    path = _file(tmp_path, _patient("1"), head="<!DOCTYPE NaaccrData>\n")
    _same(path)
    assert tree_calls


def test_a_late_unusual_block_restarts_without_duplicates(tmp_path, monkeypatch, tree_calls):
    monkeypatch.setattr(naaccr_scan, "BLOCK_BYTES", 256)  # many blocks: the first ones are given out
    body = "".join(_patient(str(i)) for i in range(40)) + _patient("x", t="p&#50;") + _patient("y")
    path = _file(tmp_path, body)
    batches = list(read_naaccr(path, batch_rows=3))
    assert tree_calls
    table = pa.Table.from_batches(batches)
    tree, _ = _tree(path)
    assert table.equals(tree)
    assert table.column("patient_id").to_pylist()[-2:] == ["x", "y"]
    assert table.column("tnm_path_t").to_pylist()[-2] == "p2"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (_patient("1") + "<Patient><Tumor></Patient>\n", "mismatch"),
        (_patient("1").replace("</Tumor>", ""), "mismatch"),
        (_patient("1") + "</Item>\n", "Opening and ending tag mismatch"),
        (_patient("1", t="p2\x01"), "PCDATA invalid Char"),
    ],
)
def test_broken_files_get_the_tree_parsers_error(tmp_path, body, detail):
    path = _file(tmp_path, body)
    with pytest.raises(InvalidInputError) as caught:
        list(read_naaccr(path))
    assert caught.value.field == "file" and detail in str(caught.value)


def test_gzip_and_a_cut_file(tmp_path):
    body = "".join(_patient(str(i)) for i in range(50))
    plain = _file(tmp_path, body)
    packed = tmp_path / "x.xml.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    _same(packed)
    cut = tmp_path / "cut.xml"
    cut.write_bytes(plain.read_bytes()[:-40])
    with pytest.raises(InvalidInputError, match="invalid file"):
        list(read_naaccr(cut))
