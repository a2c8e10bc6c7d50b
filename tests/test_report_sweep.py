"""Every sample model's report, read the way a publisher would, by rules no report may break.

The pages are written as ``report --all`` writes them (every model's sections, with links to
its siblings, the facts JSON beside each page, the index), but without the notebook kernel
and the charts, which tests/test_model_report.py runs: here the prose, tables, quotes and
links are what is checked, for all 25 models. Each page must pass ``sabkit check`` (the
fact-checker, issue 11) with no contradiction, and the invariants below, each of which was
broken in some report before the report layer was rebuilt (issue 12).
"""

from __future__ import annotations

import html
import json
import re

import pytest

import sabkit
from sabkit.report import context, markup, quotes, rules
from sabkit.report.paths import file_stem
from sabkit.report.index_page import write_index
from sabkit.report.sections import (appendix, bottom_line, compares, cost, experience, glance,
                                    handover, header, instructions, method, safety,
                                    short_version, stability, traits, use_cases, verdict)

SAMPLE = sabkit.DEFAULT_DATA
SECTIONS = (header, verdict, method, short_version, handover, instructions, experience, safety,
            traits, stability, compares, cost, bottom_line, glance, use_cases, appendix)

pytestmark = pytest.mark.skipif(not (SAMPLE / "models.parquet").exists()
                                and not (SAMPLE / "models").is_dir(),
                                reason=f"no sample benchmark at {SAMPLE}")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """(out folder, {model: (page html, facts)}) for every model of the sample."""
    from sabkit.facts import all_facts

    out = tmp_path_factory.mktemp("sweep")
    pages = {}
    with sabkit.open(SAMPLE) as bench:
        docs = all_facts(bench)
        models = [d["model"] for d in docs]
        for f in docs:
            r = context.Report(f, quotes.findings(bench, f), bench, models)
            body = "".join(s.render(r) for s in SECTIONS)
            page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
                    f"{markup.esc(f['model'])}</title>{markup.style()}</head><body><main>"
                    f"{body}</main></body></html>")
            stem = file_stem(f["model"])
            (out / f"{stem}.html").write_text(page, encoding="utf-8")
            (out / f"{stem}.facts.json").write_text(json.dumps(f), encoding="utf-8")
            pages[f["model"]] = (page, f)
    write_index(out, models, SAMPLE)
    return out, pages


def text(fragment: str) -> str:
    inline = re.sub(r"</?(strong|em|code|span|a|b)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


def prose_only(page: str) -> str:
    """The page's own words: no style, no quoted transcript text, no appendix."""
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    page = page[:page.find('<h2 id="sab-appendix') if 'id="sab-appendix' in page else len(page)]
    page = re.sub(r'<p class="sab-quoted">.*?</p>', " ", page, flags=re.S)
    return text(page)


def test_sweep_covers_every_model(folder):
    _, pages = folder
    assert len(pages) == 25


def test_no_contradiction_in_any_report(folder):
    """``sabkit check`` ties every figure-bearing claim to the facts: none may contradict."""
    from sabkit.check import check

    out, pages = folder
    bad = {}
    with sabkit.open(SAMPLE) as bench:
        for model, (page, _) in pages.items():
            claims = check(bench, page, model)
            wrong = claims.filter(claims["verdict"] == "contradicted")
            if wrong.height:
                bad[model] = wrong.select("claim", "data", "figure", "text").rows()[:5]
    assert not bad, bad


def _ordinal(n: int) -> str:
    return "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def test_ordinals_are_english(folder):
    _, pages = folder
    for model, (page, _) in pages.items():
        for n, suffix in re.findall(r"\b(\d+)(st|nd|rd|th)\b", prose_only(page)):
            assert suffix == _ordinal(int(n)), (model, f"{n}{suffix}")


def test_no_rule_internals_raw_ids_or_missing_values(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        words = prose_only(re.sub(r"<code>.*?</code>", "", page))
        assert "by the rules" not in words, model
        assert not re.search(r"\b(nan|None|null|NaN)\b", words), model
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", words), (
            model, re.search(r"\b[a-z]+_[a-z_]+\b", words).group())


def test_no_sentence_starts_with_an_intent_or_trap_name(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        names = set(f["unsafe_actions"]["by_trap"]) | set(f["resolution"]["by_intent"]) | set(
            f["escalation"]["by_intent"])
        for sentence in re.split(r"(?<=[.!?])\s+", prose_only(page)):
            assert not any(sentence.startswith(n + " ") for n in names), (model, sentence)


def test_no_local_path_and_no_folder_name_as_the_benchmark(folder):
    out, pages = folder
    for model, (page, _) in pages.items():
        for leak in (str(out), str(SAMPLE), "/tmp/", "/home/", "/work/"):
            assert leak not in page, (model, leak)
        assert not re.search(rf"\b{SAMPLE.name}\b", prose_only(page)), model
    index = (out / "index.html").read_text(encoding="utf-8")
    assert str(SAMPLE) not in index and str(out) not in index
    assert not re.search(rf"\b{SAMPLE.name}\b", text(index))


def test_every_link_resolves(folder):
    out, pages = folder
    for model, (page, _) in pages.items():
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        for href in re.findall(r'href="([^"]+)"', page):
            if href.startswith("#"):
                assert href[1:] in ids, (model, href)
            else:
                assert (out / html.unescape(href)).is_file(), (model, href)
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', index)
    assert len(links) == 25 and all((out / html.unescape(h)).is_file() for h in links)


def test_no_quote_twice_in_a_report(folder):
    _, pages = folder
    for model, (page, _) in pages.items():
        lines = re.findall(r'<em class="sab-(?:says|think)">(.*?)</em>',
                           page[:page.find('id="sab-appendix')])
        assert len(lines) == len(set(lines)), (model, [x for x in lines if lines.count(x) > 1])


def test_quotes_differ_between_reports(folder):
    """A quote is chosen for its model: no line is quoted in most reports."""
    _, pages = folder
    seen: dict[str, int] = {}
    for page, _ in pages.values():
        for line in set(re.findall(r'<em class="sab-says">(.*?)</em>', page)):
            seen[line] = seen.get(line, 0) + 1
    assert max(seen.values()) <= len(pages) // 2, max(seen.items(), key=lambda kv: kv[1])


def test_value_pick_only_for_board_models_in_the_top_half(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        said = "a value pick" in prose_only(page).replace("call it a value pick", "")
        s = f["score"]
        if said:
            assert f["display"]["board"] and s["rank"] <= s["of"] / 2, model
        if rules.bottom_quartile(s["rank"], s["of"]) or not f["display"]["board"]:
            assert not said, model


def test_only_one_model_is_the_highest(folder):
    _, pages = folder
    highest = [m for m, (page, _) in pages.items()
               if "the highest-scoring agent on the board" in prose_only(page)]
    assert len(highest) <= 1, highest


def test_callout_verdict_and_bottom_line_name_the_same_risk(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        words = prose_only(page)
        m = re.search(r"Its biggest risk: (.*?)\. ", words)
        if m is None:
            assert "No single risk stands out." in words, model
            continue
        assert f"Its real costs: {m.group(1)}" in words, model


def test_glance_escalation_agrees_with_the_runs(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        row = re.search(r"Escalates the cases that truly need a human</td><td>(.*?)</td>", page)
        cell = text(row.group(1))
        e = f["escalation"]
        if cell.startswith("100%"):
            assert all(x == e["cases"] for x in e["escalated_per_run"]), (model, cell)
        else:
            assert ", ".join(str(x) for x in e["escalated_per_run"]) in cell, (model, cell)


def test_ties_in_prose_are_ties_in_the_table(folder):
    _, pages = folder
    for model, (page, f) in pages.items():
        verdicts = {c["model"]: c["verdict"] for c in f["compare"]["nearest"]}
        words = prose_only(page)
        m = re.search(r"significantly higher than (.*?)\.", words)
        for other in (m.group(1) if m else "").replace(" and ", ", ").split(", "):
            if other in verdicts:
                assert verdicts[other] == "better", (model, other)
        m = re.search(r"On quality it is a statistical tie with (.*?)[.(]", words)
        for other in (m.group(1) if m else "").replace(" and ", ", ").split(", "):
            if other.strip() in verdicts:
                assert verdicts[other.strip()] == "tie", (model, other)
