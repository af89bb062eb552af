"""The published JSON Schema: versioned, self-documenting, listing the reused vocabularies, and accepting the
bundled examples (checked by a small JSON Schema walker written here, since no validator is a dependency)."""

import json
from typing import Any

import pytest

from metastasis import DISCLAIMER
from metastasis.domain import CASE_SCHEMA_VERSION, case_json_schema
from metastasis.examples.cases import example_case_names, load_example_case


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return case_json_schema()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node


def _prop(schema: dict, model: str, field: str) -> dict:
    node = schema["$defs"][model]["properties"][field]
    if "anyOf" in node:
        node = next(option for option in node["anyOf"] if option.get("type") != "null")
    return _resolve(schema, node)


def test_header(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert DISCLAIMER in schema["$comment"]
    assert CASE_SCHEMA_VERSION == "1.1"
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1"]  # 1.1 added optional fields only
    assert "schema_version" in schema["required"]
    assert schema["additionalProperties"] is False
    json.dumps(schema)  # plain JSON


def test_every_field_is_described(schema):
    undocumented = [
        f"{name}.{field}"
        for name, node in [("Case", schema), *schema["$defs"].items()]
        for field, spec in node.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []


def test_every_record_refuses_unknown_fields(schema):
    models = [node for node in schema["$defs"].values() if node.get("type") == "object"]
    assert len(models) >= 12
    assert all(node.get("additionalProperties") is False for node in models)


def test_reused_vocabularies_are_listed(schema):
    # SINS (Fisher 2010): location, pain, alignment, collapse, posterolateral choices.
    assert _prop(schema, "SpinalDetails", "location")["enum"] == ["junctional", "mobile", "semi_rigid", "rigid"]
    assert _prop(schema, "SpinalDetails", "pain")["enum"] == ["mechanical", "occasional", "none"]
    assert _prop(schema, "SpinalDetails", "collapse")["enum"] == [
        "gt_50",
        "lt_50",
        "no_collapse_gt_50_involved",
        "none",
    ]
    # Bilsky 2010: six grades, written as labels.
    assert _prop(schema, "SpinalDetails", "escc_grade")["enum"] == ["0", "1a", "1b", "1c", "2", "3"]
    # Mirels 1989: site, pain and size choices.
    assert _prop(schema, "BoneLesion", "limb")["enum"] == ["upper_limb", "lower_limb", "peritrochanteric"]
    assert _prop(schema, "BoneLesion", "pain")["enum"] == ["mild", "moderate", "functional"]
    assert _prop(schema, "BoneLesion", "size_fraction")["enum"] == [
        "lt_one_third",
        "one_third_to_two_thirds",
        "gt_two_thirds",
    ]
    assert _prop(schema, "BoneLesion", "lesion_type")["enum"] == ["osteolytic", "osteoblastic", "mixed"]
    sites = _prop(schema, "MetastaticSite", "site")["enum"]
    assert {"bone", "spine_thoracic", "long_bones", "liver", "lung", "brain", "nodes_regional"} <= set(sites)
    bone_sites = set(_prop(schema, "BoneLesion", "site")["enum"])
    assert {"spine", "pelvis", "ribs", "long_bones"} <= bone_sites
    assert not {"liver", "lung", "brain"} & bone_sites
    symptoms = _prop(schema, "SymptomReport", "id")["enum"]
    assert {"back_pain_radiating", "limb_weakness", "confusion", "excessive_thirst"} <= set(symptoms)
    assert "leg_weakness" not in symptoms  # aliases are accepted on input but not published
    assert _prop(schema, "Patient", "menopausal_status")["enum"] == ["premenopausal", "postmenopausal", "unknown"]
    assert _prop(schema, "Tumour", "detection")["enum"] == ["screen", "clinical", "unknown"]


def test_receptor_values(schema):
    assert _prop(schema, "Tumour", "er")["enum"] == ["positive", "negative", "unknown"]
    assert "equivocal" in _prop(schema, "Tumour", "her2")["enum"]
    grade = _prop(schema, "Tumour", "grade")
    assert (grade["minimum"], grade["maximum"]) == (1, 3)


def test_units_per_analyte(schema):
    rules = {
        rule["if"]["properties"]["analyte"]["const"]: rule["then"]["properties"]["unit"]["enum"]
        for rule in schema["$defs"]["LabResult"]["allOf"]
    }
    assert rules["calcium"] == ["mg/dL", "mmol/L"]
    assert rules["albumin"] == ["g/dL", "g/L"]
    assert rules["ionised_calcium"] == ["mmol/L"]
    assert set(rules["alt"]) == set(rules["ast"]) == set(rules["alp"]) == {"U/L", "µkat/L"}
    assert rules["bilirubin"] == ["mg/dL", "µmol/L"]
    assert schema["$defs"]["LabResult"]["required"] == ["analyte", "value", "unit", "date"]


def test_event_date_is_required_in_a_case(schema):
    assert schema["$defs"]["SkeletalRelatedEvent"]["required"] == ["date", "kind"]


# --- a small JSON Schema walker (the keywords this schema uses) ----------------------------------------


def _errors(schema: dict, node: dict, value: Any, path: str) -> list[str]:
    node = _resolve(schema, node)
    if "anyOf" in node:
        options = [_errors(schema, option, value, path) for option in node["anyOf"]]
        return [] if any(not found for found in options) else [f"{path}: no anyOf option matches {value!r}"]
    found: list[str] = []
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    kind = node.get("type")
    if kind in kinds and not isinstance(value, kinds[kind]):
        return [f"{path}: expected {kind}"]
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return [f"{path}: expected integer"]
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return [f"{path}: expected number"]
    if "enum" in node and value not in node["enum"]:
        found.append(f"{path}: {value!r} not in enum")
    if "const" in node and value != node["const"]:
        found.append(f"{path}: {value!r} != const")
    if "minimum" in node and value < node["minimum"]:
        found.append(f"{path}: below minimum")
    if "maximum" in node and value > node["maximum"]:
        found.append(f"{path}: above maximum")
    if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
        found.append(f"{path}: not above exclusiveMinimum")
    if isinstance(value, dict) and (kind == "object" or "properties" in node):
        properties = node.get("properties", {})
        found += [f"{path}.{key}: required" for key in node.get("required", []) if key not in value]
        for key, item in value.items():
            if key not in properties:
                if node.get("additionalProperties") is False:
                    found.append(f"{path}.{key}: not allowed")
                continue
            found += _errors(schema, properties[key], item, f"{path}.{key}")
        for rule in node.get("allOf", []):
            if not _errors(schema, rule["if"], value, path):
                found += _errors(schema, rule["then"], value, path)
    if kind == "array":
        found += [e for i, item in enumerate(value) for e in _errors(schema, node["items"], item, f"{path}[{i}]")]
    return found


@pytest.mark.parametrize("name", example_case_names())
def test_bundled_examples_satisfy_the_published_schema(schema, name):
    data = json.loads(load_example_case(name).to_json())
    assert _errors(schema, schema, data, "$") == []


def test_the_walker_catches_what_the_schema_forbids(schema):
    data = json.loads(load_example_case("hypercalcaemia").to_json())
    data["labs"][0]["unit"] = "g/L"
    data["symptoms"][0]["id"] = "sore"
    del data["schema_version"]
    assert _errors(schema, schema, data, "$") == [
        "$.schema_version: required",
        "$.labs[0].unit: 'g/L' not in enum",
        "$.symptoms[0].id: 'sore' not in enum",
    ]
