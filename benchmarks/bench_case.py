"""Throughput of case validation and I/O (run: `make bench` or `python benchmarks/bench_case.py`).

Validates the bundled example cases (valid path) and a case with many problems (the salvage path that still
runs every rule), parses YAML and JSON text, and generates the JSON Schema; prints rates.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from metastasis.domain import case_json_schema, loads_case, validate_case
from metastasis.examples.cases import example_case_names, example_case_text, load_example_case

BROKEN = {
    "schema_version": "1.0",
    "patient": {"age_at_diagnosis": "sixty", "sex": "male", "menopausal_status": "premenopausal"},
    "tumour": {"t": "T5", "m": "cM0", "grade": 4, "size_mm": 12},
    "dates": {"diagnosis": "2024-03-04", "metastasis": "2023-11-01", "surgery": "2024-01-01"},
    "metastatic_sites": [{"site": "liver"}, {"site": "lever"}],
    "bone_lesions": [{"site": "ribs", "spine": {"level": "T8"}}, {"site": "spine_lumbar", "spine": {"level": "T8"}}],
    "labs": [
        {"analyte": "calcium", "value": 2.9, "date": "2024-05-02"},
        {"analyte": "calcium", "value": 11.2, "unit": "mmol/L", "date": "2024-05-02"},
    ],
    "treatments": [{"kind": "chemotherapy", "start": "2024-05-01", "end": "2024-04-01"}],
    "events": [{"kind": "pathological_fracture", "date": "2023-01-01"}, {"kind": "spinal_cord_compression"}],
}


def rate(label: str, unit: str, count: int, call: Callable[[], object], per_call: int = 1) -> None:
    call()  # warm caches (vocabularies, data files)
    start = time.perf_counter()
    for _ in range(count):
        call()
    elapsed = time.perf_counter() - start
    done = count * per_call
    print(f"{label}: {done} in {elapsed:.2f} s = {done / elapsed:,.0f} {unit}/s")


def main() -> None:
    names = example_case_names()
    valid = [load_example_case(name).model_dump(mode="json") for name in names]
    yaml_texts = [example_case_text(name) for name in names]
    json_texts = [load_example_case(name).to_json() for name in names]
    problems = len(validate_case(BROKEN).problems)

    n = len(names)
    rate("validate_case, valid examples", "cases", 400, lambda: [validate_case(data) for data in valid], n)
    rate(f"validate_case, broken case ({problems} problems)", "cases", 1000, lambda: validate_case(BROKEN))
    rate("load from YAML text", "cases", 200, lambda: [loads_case(t, fmt="yaml") for t in yaml_texts], n)
    rate("load from JSON text", "cases", 400, lambda: [loads_case(t, fmt="json") for t in json_texts], n)
    cases = [load_example_case(name) for name in names]
    rate("write JSON and YAML", "cases", 200, lambda: [(c.to_json(), c.to_yaml()) for c in cases], n)
    rate("case_json_schema", "schemas", 50, lambda: json.dumps(case_json_schema()))


if __name__ == "__main__":
    main()
