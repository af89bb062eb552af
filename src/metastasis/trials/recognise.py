"""Recognise the concepts of one criterion's text: what it states, about what, in which direction.

Each :class:`Finding` is one statement about the patient ("ECOG is 0 or 1", "has had a taxane", "has brain
metastases") with ``negated`` set when the text denies it ("no prior taxane"). Recognising depends only on the
text, so it runs once per criterion and is cached; judging a finding against a case is
:mod:`metastasis.trials.judge`.

Example
-------
>>> [(f.concept, f.negated, f.params) for f in recognise("No known brain metastases").findings]
[('site.brain', True, {'qualified': False})]
>>> recognise("ECOG performance status of 0, 1 or 2").findings[0].params
{'allowed': (0, 1, 2)}
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from metastasis.trials.vocabulary import Vocabulary, vocabulary

_WORD_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "single": 1}
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|zero|one|two|three|four|five|six)"
_LE = (
    r"≤|=<|<=|</=|<\s*or\s*=|less than or equal to|lower than or equal to|no (?:more|greater|higher) than"
    r"|not (?:more|greater|higher) than|not exceed(?:ing)?|up to|a maximum of|maximum of|maximum|at most|within"
)
_GE = (
    r"≥|>=|=>|>/=|>\s*or\s*=|greater than or equal to|more than or equal to|higher than or equal to|at least"
    r"|no (?:less|fewer|lower) than|not (?:less|fewer|lower) than|a minimum of|minimum of|minimum"
)
_LT = r"<|less than|lower than|fewer than|below|under"
_GT = r">|greater than|more than|higher than|above|over|exceeding|exceeds"
_THRESHOLD = re.compile(rf"(?:({_LE})|({_GE})|({_LT})|({_GT})|=|:|of|is)?\s*{_NUMBER}", re.IGNORECASE)
_AFTER = re.compile(r"^\s*(?:or|and)\s+(less|lower|below|fewer|more|greater|higher|above|over)\b", re.IGNORECASE)
_RANGE = re.compile(rf"{_NUMBER}\s*(?:-|\u2013|to)\s*{_NUMBER}", re.IGNORECASE)
_LIST = re.compile(r"\b(\d)(?:\s*(?:,|or|and|,\s*or|/)\s*(\d))+\b")
_YEARS = re.compile(r"\byears?\b|\byrs?\b|\by/o\b", re.IGNORECASE)
# An age that belongs to someone else ("a dependent child <18 years of age", "relatives under 40").
_SOMEONE_ELSE = re.compile(r"\b(?:child|children|relatives?|partners?|sons?|daughters?|siblings?)\b", re.IGNORECASE)
# Words that bound an earlier treatment in time ("within 4 weeks", "in the last six months").
TIME_BOUND = re.compile(r"\b(?:within|in the (?:last|past)|weeks?|months?|days?|years?)\b", re.IGNORECASE)
# Classes named as the head noun after a narrower class ("anthracycline-based chemotherapy").
_HEAD_NOUNS = frozenset({"chemotherapy", "endocrine", "immunotherapy"})


def number(text: str) -> float:
    """A number as written in a criterion ("100,000", "1.5", "two")."""
    text = text.lower()
    return float(_WORD_NUMBERS[text]) if text in _WORD_NUMBERS else float(text.replace(",", ""))


def _op(match: re.Match[str]) -> str:
    for index, op in enumerate(("<=", ">=", "<", ">"), start=1):
        if match.group(index):
            return op
    return "="


@dataclass(frozen=True)
class Finding:
    """One statement of a criterion about the patient."""

    concept: str
    span: tuple[int, int]
    negated: bool = False
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Recognised:
    """The findings of one criterion and how they combine."""

    text: str
    findings: tuple[Finding, ...]
    any_of: bool  # two findings of one kind joined by "or" ("ECOG 0-1 or Karnofsky >= 70"): one true is enough
    covered: bool  # nothing but filler words is left once the findings are taken out
    conditional: bool
    permission: bool
    rest: str = ""
    denial: bool = False  # the text opens with "No" / "Not" / "None"
    loose: bool = False  # an "or" the findings do not explain, or several sentences: decided only when covered
    time_bound: bool = False  # earlier treatment limited in time: having had it does not settle the criterion


class _Claims:
    """Spans of the text already claimed by a concept."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


def _negated(vocab: Vocabulary, text: str, start: int) -> bool:
    before = text[max(0, start - vocab.window) : start]
    breaks = list(vocab.clause_break.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    before = vocab.not_negation.sub(" ", before)
    return bool(vocab.negation.search(before))


def _clause_after(vocab: Vocabulary, text: str, end: int, limit: int = 80) -> str:
    after = text[end : end + limit]
    cut = re.search(r";|\.(?!\d)|(?<!than )\bor\b(?!\s+equal)(?=\s+[A-Za-z]{4,})", after)
    return after[: cut.start()] if cut else after


def _performance(text: str, end: int, low: int, high: int) -> tuple[tuple[int, ...], int] | None:
    """The grades a performance statement allows, read just after its keyword, and where the reading ends."""
    window = text[end : end + 50]
    cut = re.search(r";|\.(?!\d)|\bKarnofsky\b|\bKPS\b|\bECOG\b", window)
    window = window[: cut.start()] if cut else window
    found = _RANGE.search(window)
    if found and found.start() < 25:
        a, b = int(number(found.group(1))), int(number(found.group(2)))
        if low <= a <= b <= high:
            step = 1 if high <= 5 else 10
            return tuple(v for v in range(low, high + 1, step) if a <= v <= b), end + found.end()
    listed = _LIST.search(window)
    if listed and high <= 5 and listed.start() < 25:
        values = tuple(sorted({int(v) for v in re.findall(r"\d", listed.group(0))}))
        if all(low <= v <= high for v in values):
            return values, end + listed.end()
    threshold = _THRESHOLD.search(window)
    if threshold is None or threshold.start() > 25:
        return None
    value = number(threshold.group(5))
    if not low <= value <= high or value != int(value):
        return None
    op = "="
    for index, name in enumerate(("<=", ">=", "<", ">"), start=1):
        if threshold.group(index):
            op = name
    trailing = _AFTER.match(window[threshold.end() :])
    if trailing:
        op = "<=" if trailing.group(1).lower() in ("less", "lower", "below", "fewer") else ">="
    step = 1 if high <= 5 else 10
    values = range(low, high + 1, step)
    v = int(value)
    chosen = {
        "<=": [x for x in values if x <= v],
        ">=": [x for x in values if x >= v],
        "<": [x for x in values if x < v],
        ">": [x for x in values if x > v],
        "=": [v],
    }[op]
    return tuple(chosen), end + threshold.end() + (trailing.end() if trailing else 0)


def _age(text: str, start: int, end: int) -> tuple[dict[str, Any], int, int] | None:
    """An age limit near an age word: ``min``/``max`` (or exclusive), ``at_diagnosis`` when it says so."""
    window_start = max(0, start - 30)
    window = text[window_start : end + 40]
    if not _YEARS.search(window) and "adult" not in window.lower():
        return None
    if _SOMEONE_ELSE.search(text[max(0, start - 40) : end + 10]):
        return None
    read = _age_limits(window, window_start)
    if read is not None and re.search(r"\bat (?:the time of )?diagnosis\b", window, re.IGNORECASE):
        read[0]["at_diagnosis"] = True
    return read


def _age_limits(window: str, window_start: int) -> tuple[dict[str, Any], int, int] | None:
    found = _RANGE.search(window)
    if found and _YEARS.search(window[found.end() : found.end() + 12]):
        lo, hi = number(found.group(1)), number(found.group(2))
        if 0 <= lo <= hi <= 120:
            return {"min": lo, "max": hi}, window_start + found.start(), window_start + found.end()
    for threshold in _THRESHOLD.finditer(window):
        value = number(threshold.group(5))
        if not 10 <= value <= 120:
            continue
        op = "="
        for index, name in enumerate(("<=", ">=", "<", ">"), start=1):
            if threshold.group(index):
                op = name
        tail = window[threshold.end() : threshold.end() + 30].lower()
        if op == "=" and re.search(r"\b(?:years?|yrs?)(?: of age| old)?\s+(?:or|and)\s+(?:older|above|over)", tail):
            op = ">="
        elif op == "=" and re.search(
            r"\b(?:years?|yrs?)(?: of age| old)?\s+(?:or|and)\s+(?:younger|below|under)", tail
        ):
            op = "<="
        if op == "=":
            continue
        params = {
            "<=": {"max": value},
            "<": {"max_exclusive": value},
            ">=": {"min": value},
            ">": {"min_exclusive": value},
        }
        return params[op], window_start + threshold.start(), window_start + threshold.end()
    return None


def _lab_threshold(vocab: Vocabulary, clause: str) -> dict[str, Any] | None:
    """Comparator, value and unit (or ULN multiple) of the first threshold in ``clause``; ``end`` is where it ends."""
    for threshold in _THRESHOLD.finditer(clause):
        op = "="
        for index, name in enumerate(("<=", ">=", "<", ">"), start=1):
            if threshold.group(index):
                op = name
        if op == "=" and not re.search(r"[=:]", threshold.group(0)):
            continue
        value = number(threshold.group(5))
        tail = clause[threshold.end() : threshold.end() + 40]
        trailing = _AFTER.match(tail)
        if trailing:
            op = "<=" if trailing.group(1).lower() in ("less", "lower", "below", "fewer") else ">="
        uln = re.match(
            r"^\s*(?:x|\u00d7|\*|times|-?fold)?\s*(?:the\s+)?(?:institutional\s+)?"
            r"(?:upper limit of (?:the )?normal|ULN)(?:\s*\(ULN\))?",
            tail,
            re.I,
        )
        if uln:
            return {"op": op, "value": value, "uln": True, "end": threshold.end() + uln.end()}
        unit, length = _unit(vocab, tail)
        return {"op": op, "value": value, "unit": unit, "end": threshold.end() + length}
    return None


def _unit(vocab: Vocabulary, tail: str) -> tuple[str | None, int]:
    """The unit at the start of ``tail`` (canonical spelling) and how many characters it takes."""
    lead = len(tail) - len(tail.lstrip())
    head = tail.lstrip().lower().replace("μ", "µ")
    for spelling in sorted(vocab.units, key=len, reverse=True):
        squeezed = spelling.replace(" ", "")
        taken = 0
        matched = 0
        while taken < len(head) and matched < len(squeezed):
            if head[taken] == " ":
                taken += 1
                continue
            if head[taken] != squeezed[matched]:
                break
            taken += 1
            matched += 1
        if matched == len(squeezed):
            return vocab.units[spelling], lead + taken
    return None, 0


def _lines(text: str, start: int) -> dict[str, Any] | None:
    """A limit on earlier lines or regimens, read in the words before the word 'lines' or 'regimens'."""
    before = text[max(0, start - 60) : start]
    cut = list(re.finditer(r"[;.]", before))
    if cut:
        before = before[cut[-1].end() :]
    found = _RANGE.search(before)
    if found:
        return {"min": number(found.group(1)), "max": number(found.group(2))}
    pair = re.search(rf"{_NUMBER}\s+or\s+{_NUMBER}\s+(?:\w+\s+){{0,3}}$", before, re.I)
    if pair:
        return {"min": number(pair.group(1)), "max": number(pair.group(2))}
    for threshold in re.finditer(rf"(?:({_LE})|({_GE})|({_LT})|({_GT}))\s*{_NUMBER}", before, re.I):
        value = number(threshold.group(5))
        op = _op(threshold)
        return {"<=": {"max": value}, "<": {"max": value - 1}, ">=": {"min": value}, ">": {"min": value + 1}}[op]
    trailing = re.search(rf"{_NUMBER}\s+or\s+(more|fewer|less)\b", before, re.I)
    if trailing:
        value = number(trailing.group(1))
        return {"min": value} if trailing.group(2).lower() == "more" else {"max": value}
    return None


def _recognise(vocab: Vocabulary, text: str) -> list[Finding]:
    claims = _Claims()
    found: list[Finding] = []

    def add(concept: str, match: re.Match[str] | tuple[int, int], params: dict[str, Any] | None = None) -> None:
        start, end = match if isinstance(match, tuple) else match.span()
        claims.take(start, end)
        found.append(Finding(concept, (start, end), _negated(vocab, text, start), params or {}))

    for name, pattern in vocab.receptors.items():
        for match in pattern.finditer(text):
            if claims.free(*match.span()):
                add(f"receptor.{name}", match)
    for name, concept in vocab.sites.items():
        for match in concept.pattern.finditer(text):
            if claims.free(*match.span()):
                near = text[max(0, match.start() - 30) : match.end()]
                add(f"site.{name}", match, {"qualified": bool(vocab.site_qualifiers.search(near))})
    if (lines_match := vocab.lines.search(text)) and re.search(
        r"\b(?:prior|previous|earlier|received|lines? of)\b", text, re.I
    ):
        limit = _lines(text, lines_match.start())
        if limit is not None:
            setting = vocab.prior_metastatic.search(text)
            kind = None
            window = text[max(0, lines_match.start() - 60) : lines_match.end() + 40].lower()
            if "chemo" in window:
                kind = "chemotherapy"
            elif "endocrine" in window or "hormon" in window:
                kind = "endocrine"
            start = max(0, lines_match.start() - 40)
            end = setting.end() if setting and setting.start() >= lines_match.start() else lines_match.end()
            claims.take(start, end)
            found.append(Finding("prior.lines", (start, end), False, {**limit, "kind": kind}))
    for name, concept in vocab.prior_classes.items():
        for match in concept.pattern.finditer(text):
            if not claims.free(*match.span()):
                continue
            before = text[max(0, match.start() - 70) : match.start()]
            breaks = list(re.finditer(r"[;.]", before))
            if breaks:
                before = before[breaks[-1].end() :]
            if not vocab.prior_before.search(before):
                continue
            narrower = [
                i
                for i, f in enumerate(found)
                if f.concept.startswith("prior.") and 0 <= match.start() - f.span[1] <= 20
            ]
            if name in _HEAD_NOUNS and narrower:  # "anthracycline-based chemotherapy": one class, not two
                claims.take(*match.span())
                head = found[narrower[-1]]
                found[narrower[-1]] = Finding(head.concept, (head.span[0], match.end()), head.negated, head.params)
                continue
            clause = _clause_after(vocab, text, match.end(), 60)
            setting = vocab.prior_metastatic.search(clause)
            end = match.end() + setting.end() if setting else match.end()
            contexts = list(vocab.prior_before.finditer(before))
            context = contexts[-1]
            offset = match.start() - len(before)
            for each in contexts:
                claims.take(offset + each.start(), offset + each.end())
            claims.take(match.start(), end)
            found.append(
                Finding(
                    f"prior.{name}",
                    (match.start(), end),
                    _negated(vocab, text, offset + context.start()),
                    {"metastatic": bool(setting), "context": (offset + contexts[0].start(), offset + context.end())},
                )
            )
    for name, concept in vocab.labs.items():
        for match in concept.pattern.finditer(text):
            if not claims.free(*match.span()):
                continue
            clause = _clause_after(vocab, text, match.end(), 90)
            threshold = _lab_threshold(vocab, clause)
            if threshold is None:
                continue
            end = match.end() + threshold.pop("end")
            claims.take(*match.span())
            found.append(Finding(f"lab.{name}", (match.start(), end), False, threshold))
    for scale, pattern, low, high in (("ecog", vocab.ecog, 0, 5), ("karnofsky", vocab.karnofsky, 0, 100)):
        for match in pattern.finditer(text):
            if not claims.free(*match.span()):
                continue
            read = _performance(text, match.end(), low, high)
            if read is None:
                continue
            allowed, end = read
            add(f"performance.{scale}", (match.start(), end), {"allowed": allowed})
    for match in vocab.demographics["age"].finditer(text):
        if not claims.free(*match.span()):
            continue
        read = _age(text, match.start(), match.end())
        if read is not None:
            params, start, end = read
            add("age", (min(start, match.start()), max(end, match.end())), params)
            break
    subject = bool(vocab.demographics["sex_as_subject"].search(text))
    for name in ("sex_female", "sex_male", "postmenopausal", "premenopausal"):
        if subject:  # "partners of premenopausal women", "female patients who are pregnant"
            continue
        for match in vocab.demographics[name].finditer(text):
            if claims.free(*match.span()):
                add(name.replace("sex_", "sex."), match)
    for match in vocab.life_expectancy.finditer(text):
        if claims.free(*match.span()):
            add("life_expectancy", (match.start(), min(len(text), match.end() + 40)))
    for match in vocab.measurable.finditer(text):
        if claims.free(*match.span()):
            add("measurable", match)
    setting_spans: list[tuple[int, int]] = []
    accepts: set[str] = set()
    undecided = False
    negated = False
    names: list[str] = []
    for name, concept in vocab.settings.items():
        for match in concept.pattern.finditer(text):
            if claims.free(*match.span()):
                claims.take(*match.span())
                setting_spans.append(match.span())
                names.append(name)
                accepts |= concept.accepts
                undecided |= not concept.accepts
                negated |= _negated(vocab, text, match.start()) and name != "early"
    if setting_spans:
        span = (min(s for s, _ in setting_spans), max(e for _, e in setting_spans))
        params = {"accepts": tuple(sorted(accepts)), "undecided": undecided, "names": tuple(dict.fromkeys(names))}
        found.append(Finding("setting", span, negated, params))
    return sorted(found, key=lambda f: f.span)


def _kind(concept: str) -> str:
    return concept.split(".")[0]


def _alternatives(vocab: Vocabulary, text: str, rest: str, findings: tuple[Finding, ...]) -> tuple[bool, bool]:
    """Whether two neighbouring findings of one kind are joined by "or" with no item break between them, and
    whether the text holds an "or" (or several sentences) that the findings do not explain."""
    ors = [m.start() for m in vocab.alternative.finditer(rest)]
    ordered = sorted(findings, key=lambda f: f.span)
    any_of = False
    for left, right in itertools.pairwise(ordered):
        if _kind(left.concept) != _kind(right.concept) or left.concept == right.concept:
            continue
        between = text[left.span[1] : right.span[0]]
        joined = any(left.span[1] <= o < right.span[0] for o in ors) and not re.search(r";|\.\s", between)
        # "HER2+, HER2-low or HER2-ultralow": a comma list closed by "or" in the same clause
        after = text[right.span[1] : right.span[1] + 40]
        listed = between.strip() == "," and bool(re.match(r"^[^;.]*?\bor\b", after, re.IGNORECASE))
        any_of = any_of or joined or listed
    sentences = len(re.findall(r"[.;]\s+\S", text.strip())) > 0
    loose = (bool(ors) and not any_of) or sentences
    return any_of, loose


@lru_cache(maxsize=65536)
def recognise(text: str) -> Recognised:
    """The findings of one criterion (cached by text).

    Parameters
    ----------
    text:
        One criterion as written (escapes already removed).

    Returns
    -------
    Recognised
        Its findings, whether they are alternatives (``any_of``), whether the text holds nothing else
        (``covered``), and whether it is conditional or a permission.
    """
    vocab = vocabulary()
    findings = tuple(_recognise(vocab, text))
    chars = list(text)
    for finding in findings:
        for start, end in (finding.span, finding.params.get("context", (0, 0))):
            chars[start:end] = " " * (end - start)
    rest = "".join(chars)
    any_of, loose = _alternatives(vocab, text, rest, findings)
    words = [w for w in re.findall(r"[a-z][a-z\-]*[a-z]|[a-z]", rest.lower()) if len(w) > 2 and w not in vocab.filler]
    if findings and all(f.concept.startswith("prior.") for f in findings):
        # a time limit only narrows an earlier treatment (time_bound keeps "had it" from settling it)
        words = [w for w in words if not TIME_BOUND.fullmatch(w) and w not in _WORD_NUMBERS and w != "last"]
    return Recognised(
        text=text,
        findings=findings,
        any_of=any_of,
        loose=loose,
        time_bound=bool(TIME_BOUND.search(rest)),
        covered=not words,
        conditional=bool(vocab.condition.search(text)),
        permission=bool(vocab.permission.search(text)),
        rest=" ".join(words),
        denial=bool(re.match(r"\s*(?:no|not|none|never)\b", text, re.IGNORECASE)),
    )
