"""The local trial store: import one study, an API page or JSON Lines; a newer version replaces an older one."""

from __future__ import annotations

import copy
import json

import pytest

from metastasis.errors import InvalidInputError
from metastasis.trials import TrialStore, read_studies
from tests.trials.conftest import RECORDS


def test_import_json_lines_then_reimport_changes_nothing(tmp_path, records):
    store = TrialStore(tmp_path / "trials.jsonl")
    first = store.add(read_studies(RECORDS))
    assert len(first.added) == 69 and not first.updated
    again = TrialStore(tmp_path / "trials.jsonl")  # read back from the file
    assert len(again.studies()) == 69
    assert again.get("nct01922921").title.startswith("Vaccine Therapy")
    second = again.add(read_studies(RECORDS))
    assert len(second.unchanged) == 69 and not second.added


def test_one_study_and_an_api_page(tmp_path, records):
    single = tmp_path / "one.json"
    single.write_text(json.dumps(records[0]), encoding="utf-8")
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": records[1:4], "nextPageToken": "x"}), encoding="utf-8")
    assert [s.nct_id for s in read_studies(single)] == [records[0]["protocolSection"]["identificationModule"]["nctId"]]
    assert len(read_studies(page)) == 3


def test_newer_version_replaces_and_the_change_is_recorded(tmp_path, records):
    store = TrialStore(tmp_path / "trials.jsonl")
    store.add(read_studies(RECORDS))
    newer = copy.deepcopy(records[5])
    newer["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2099-01-01", "type": "ACTUAL"}
    newer["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(newer), encoding="utf-8")
    result = store.add(read_studies(path))
    nct_id = newer["protocolSection"]["identificationModule"]["nctId"]
    assert result.updated == [nct_id]
    assert TrialStore(tmp_path / "trials.jsonl").get(nct_id).overall_status == "RECRUITING"
    change = json.loads(store.changes_path.read_text(encoding="utf-8").splitlines()[-1])
    assert change["nct_id"] == nct_id and change["new_version"] == "2099-01-01"
    older = copy.deepcopy(records[5])
    older["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "1999-01-01", "type": "ACTUAL"}
    path.write_text(json.dumps(older), encoding="utf-8")
    assert store.add(read_studies(path)).older == [nct_id]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("{not json\n", "line 1"),
        ('{"protocolSection": {}}\n', "protocolSection.identificationModule"),
        ("[1, 2]", "bad.jsonl"),  # a JSON array: the file is named, a study object is asked for
    ],
)
def test_bad_files_name_where(tmp_path, content, field):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        read_studies(path)
    assert field in caught.value.field


def test_an_import_through_a_store_read_earlier_keeps_what_another_import_added(tmp_path, records):
    path = tmp_path / "trials.jsonl"
    server = TrialStore(path)
    assert server.studies() == ()  # read (and kept) before the other import
    TrialStore(path).add(read_studies_of(tmp_path, records[:2]))
    server.add(read_studies_of(tmp_path, records[2:3]))
    ids = {r["protocolSection"]["identificationModule"]["nctId"] for r in records[:3]}
    assert {s.study.nct_id for s in TrialStore(path).studies()} == ids
    assert {s.study.nct_id for s in server.studies()} == ids


def read_studies_of(tmp_path, chosen: list[dict]):
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": chosen}), encoding="utf-8")
    return read_studies(page)
