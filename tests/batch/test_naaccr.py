"""NAACCR XML in and out: the real sample files (synthetic people) read, mapped, staged and written back."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pyarrow as pa
import pytest
from lxml import etree

from metastasis.batch.codes import map_tumours
from metastasis.batch.naaccr import DERIVED_ITEMS, NS, NaaccrInfo, read_naaccr, write_naaccr
from metastasis.errors import InvalidInputError
from metastasis.staging.batch import stage_breast_batch

DATA = Path(__file__).parent / "data"
# patients / tumours / breast (C50x) tumours, typed from ../shared/data/naaccr/PROVENANCE.md
COUNTS = {
    "naaccr-xml-sample-v220-abstract-100.xml.gz": (96, 100, 10, "A", "220"),
    "naaccr-xml-sample-v230-incidence-100.xml.gz": (90, 100, 17, "I", "230"),
    "naaccr-xml-sample-v240-abstract-100.xml.gz": (93, 100, 19, "A", "240"),
    "naaccr-xml-sample-v250-abstract-100.xml.gz": (90, 100, 6, "A", "250"),
    "naaccr-xml-sample-v250-incidence-10.xml.gz": (10, 10, 2, "I", "250"),
}


def _read(path: Path, **kwargs: object) -> tuple[pa.Table, NaaccrInfo]:
    info = NaaccrInfo()
    return pa.Table.from_batches(list(read_naaccr(path, info=info, **kwargs))), info


@pytest.mark.parametrize(("name", "expected"), COUNTS.items())
def test_every_version_and_record_type_reads_every_patient_and_breast_tumour(name, expected):
    patients, tumours, breast, record_type, version = expected
    table, info = _read(DATA / name)
    assert (info.patients, info.tumours, info.breast_tumours, table.num_rows) == (patients, tumours, breast, breast)
    assert info.record_type == record_type and info.base_dictionary_uri.endswith(f"naaccr-dictionary-{version}.xml")
    assert all(site.startswith("C50") for site in table.column("primary_site").to_pylist())
    staged = stage_breast_batch(map_tumours(table))
    assert staged.num_rows == breast  # rows in = rows out, errors included
    assert staged.column("patient_id").to_pylist() == table.column("patient_id").to_pylist()


def test_all_sites_keeps_every_tumour_in_file_order():
    table, info = _read(DATA / "naaccr-xml-sample-v250-incidence-10.xml.gz", all_sites=True)
    assert table.num_rows == info.tumours == 10
    assert table.column("patient_id").to_pylist()[0] == "00000001"


def test_a_tumour_with_tnm_items_is_mapped_and_staged():
    table, _ = _read(DATA / "naaccr-xml-sample-v230-incidence-100.xml.gz")
    staged = stage_breast_batch(map_tumours(table)).to_pylist()
    row = next(r for r in staged if r["patient_id"] == "00000053")
    # in the file: tnmPathT p1A, tnmPathN p3A, tnmPathM c0 (clinical c1B c3 c0); no grade or receptor items
    assert (row["tnm_path_t"], row["tnm_path_n"], row["tnm_path_m"]) == ("p1A", "p3A", "c0")
    assert (row["t"], row["n"], row["m"]) == ("pT1A", "pN3A", "cM0")
    assert row["grade"] is None and row["grade_note"] == "Grade Pathological not recorded; Grade Clinical not recorded"
    assert (row["anatomic_stage"], row["prognostic_stage"], row["basis"], row["error"]) == (
        "IIIC",
        None,
        "pathological",
        None,
    )


def test_a_tumour_without_tnm_gets_an_error_and_a_note_not_a_missing_row():
    table, _ = _read(DATA / "naaccr-xml-sample-v250-incidence-10.xml.gz")
    staged = stage_breast_batch(map_tumours(table)).to_pylist()
    assert len(staged) == 2
    for row in staged:
        assert row["t"] is None and row["t_note"] == "TNM Path T not recorded; TNM Clin T not recorded"
        assert row["error"].startswith("invalid t: None") and row["anatomic_stage"] is None


def test_gzip_is_recognised_by_content_not_name(tmp_path):
    plain = tmp_path / "registry.xml"
    plain.write_bytes(gzip.decompress((DATA / "naaccr-xml-sample-v240-abstract-100.xml.gz").read_bytes()))
    hidden = tmp_path / "registry-gz.xml"
    hidden.write_bytes((DATA / "naaccr-xml-sample-v240-abstract-100.xml.gz").read_bytes())
    assert _read(plain)[0].equals(_read(hidden)[0])
    assert _read(plain)[0].num_rows == 19


def test_small_batches_give_the_same_rows():
    whole, _ = _read(DATA / "naaccr-xml-sample-v240-abstract-100.xml.gz")
    batches = list(read_naaccr(DATA / "naaccr-xml-sample-v240-abstract-100.xml.gz", batch_rows=4))
    assert len(batches) > 2
    assert pa.Table.from_batches(batches).equals(whole)


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"not xml at all", "Start tag expected"),
        (b"<Other xmlns='http://naaccr.org/naaccrxml'/>", "no NaaccrData element"),
        (b"<Patient xmlns='http://naaccr.org/naaccrxml'/>", "the root element is"),
        (b"<NaaccrData xmlns='http://naaccr.org/naaccrxml'><Patient>", "Premature end"),
        (b"", "no element found"),
    ],
)
def test_a_file_that_is_not_naaccr_xml_is_an_input_error(tmp_path, content, detail):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as info:
        list(read_naaccr(path))
    assert info.value.field == "file" and detail in str(info.value)


def test_a_truncated_gzip_file_is_an_input_error(tmp_path):
    path = tmp_path / "cut.xml.gz"
    path.write_bytes((DATA / "naaccr-xml-sample-v250-abstract-100.xml.gz").read_bytes()[:5000])
    with pytest.raises(InvalidInputError, match="invalid file"):
        list(read_naaccr(path))


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE NaaccrData [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<NaaccrData xmlns="{NS}"><Patient><Item naaccrId="patientIdNumber">&x;</Item>'
        '<Tumor><Item naaccrId="primarySite">C504</Item></Tumor></Patient></NaaccrData>'
    )
    table, _ = _read(path)
    assert "TOP-SECRET" not in str(table.to_pylist())


def _tumours(xml: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(xml)
    found = []
    for patient in root.iter(f"{{{NS}}}Patient"):
        pid = patient.findtext(f"{{{NS}}}Item[@naaccrId='patientIdNumber']")
        for tumour in patient.iter(f"{{{NS}}}Tumor"):
            values = {i.get("naaccrId"): i.text or "" for i in tumour.iter(f"{{{NS}}}Item")}
            found.append({"patient": pid, **values})
    return found


def test_results_written_back_into_each_breast_tumour(tmp_path):
    source = DATA / "naaccr-xml-sample-v240-abstract-100.xml.gz"
    table, _ = _read(source)
    staged = stage_breast_batch(map_tumours(table))
    target = io.BytesIO()
    assert write_naaccr(source, target, staged.to_batches(max_chunksize=5)) == 19
    before, after = _tumours(gzip.decompress(source.read_bytes())), _tumours(target.getvalue())
    assert len(before) == len(after) == 100
    results = iter(staged.to_pylist())
    for old, new in zip(before, after, strict=True):
        added = {k: v for k, v in new.items() if k not in old}
        assert {k: new[k] for k in old} == old  # nothing the registry wrote is changed
        if not old["primarySite"].startswith("C50"):
            assert added == {}
            continue
        row = next(results)
        expected = {DERIVED_ITEMS[c]: str(row[c]) for c in DERIVED_ITEMS if row[c] is not None}
        assert added == expected
    root = etree.fromstring(target.getvalue())
    assert root.get("userDictionaryUri") == "urn:metastasis:naaccr:batch-staging:1"
    assert root.get("baseDictionaryUri").endswith("naaccr-dictionary-240.xml")
    out = tmp_path / "out.xml"
    out.write_bytes(target.getvalue())
    assert _read(out)[0].equals(table)  # the written file reads back the same


def test_results_out_of_order_are_refused():
    source = DATA / "naaccr-xml-sample-v250-incidence-10.xml.gz"
    table, _ = _read(source)
    staged = stage_breast_batch(map_tumours(table))
    reversed_rows = staged.take([1, 0])
    with pytest.raises(InvalidInputError, match="invalid results"):
        write_naaccr(source, io.BytesIO(), reversed_rows.to_batches())
    with pytest.raises(InvalidInputError, match="invalid results"):
        write_naaccr(source, io.BytesIO(), pa.concat_tables([staged, staged]).to_batches())
