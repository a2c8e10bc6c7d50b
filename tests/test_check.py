"""`sabkit check` against the reference reports, doctored copies of them, and bad input.

Truth is independent of the checker: the reference reports' figures are the ones
tests/test_facts_sample.py maps to the data (its xfails are the seeds' known disagreements),
and each doctored figure's right value is the one the untouched report states.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sabkit
from sabkit.cli.main import main

SAMPLE = sabkit.DEFAULT_DATA
REFERENCE = Path("/work/shared/reference-reports")
# every test reads the sample (the CLI ones open it themselves): skipped with it
pytestmark = [pytest.mark.skipif(not REFERENCE.exists(), reason="no reference reports"),
              pytest.mark.usefixtures("sample")]


@pytest.fixture(scope="module")
def bench(sample):
    return sample


def _text(name: str) -> str:
    return (REFERENCE / f"{name}.md").read_text(encoding="utf-8")


# The seeds' documented disagreements with the sample (tests/test_facts_sample.py xfails).
KNOWN = {"gemma-4-31b": {(21, "five models"), (49, "36%")},
         "gemini-3.1-pro": {(29, "95%")}}


@pytest.mark.parametrize("model", ["gemma-4-31b", "gemini-3.1-pro"])
def test_reference_reports_tie_and_flag_only_the_known_disagreements(bench, model):
    frame = sabkit.check(bench, _text(model))
    tied = frame.filter(frame["verdict"] != "unverified").height
    print(f"\n{model}: {frame.height} claims, {tied} tied ({tied / frame.height:.0%})")
    assert frame.height >= 60
    assert tied / frame.height >= 0.9
    flagged = {(r["line"], r["claim"]) for r in
               frame.filter(frame["verdict"] == "contradicted").iter_rows(named=True)}
    assert flagged == KNOWN[model]


# (line, the figure as the report writes it, the doctored figure, the data's value shown)
DOCTORED = [
    (40, "7 forbidden actions", "9 forbidden actions", "7"),  # a count
    (23, "≈10% over-escalation", "≈25% over-escalation", "10%"),  # a percentage
    (59, "second-widest", "fifth-widest", "rank 2 of 24"),  # a rank
    (86, "≈0.82 (", "≈0.71 (", "0.82"),  # a score, in the at-a-glance table
    (103, "**0.50**", "**0.70**", "0.50"),  # a table cell: damaged item resolution
    (71, "3.24 agent", "3.90 agent", "3.24"),  # a per-conversation figure
]


def test_a_doctored_draft_is_flagged_where_it_was_changed_and_nowhere_else(bench):
    lines = _text("gemma-4-31b").splitlines()
    for line, before, after, _ in DOCTORED:
        assert before in lines[line - 1], (line, before)
        lines[line - 1] = lines[line - 1].replace(before, after, 1)
    frame = sabkit.check(bench, "\n".join(lines), "gemma-4-31b")
    flagged = {r["line"]: r for r in
               frame.filter(frame["verdict"] == "contradicted").iter_rows(named=True)}
    known = {line for line, _ in KNOWN["gemma-4-31b"]}
    for line, _, after, data in DOCTORED:
        assert line in flagged, f"line {line}: '{after}' not flagged"
        assert flagged[line]["data"] == data
        assert flagged[line]["claim"].replace("≈", "") in after.replace("*", "")
    assert set(flagged) - known == {line for line, *_ in DOCTORED}


def test_the_cli_exit_codes_and_json(tmp_path, capsys):
    good = tmp_path / "good.md"
    good.write_text("# gemma-4-31b\n\nSentiment ≈0.94; it holds ≈16 of 18.\n", encoding="utf-8")
    assert main(["check", str(good), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "gemma-4-31b"
    assert [c["verdict"] for c in out["claims"]] == ["verified", "verified"]
    bad = tmp_path / "bad.md"
    bad.write_text("# gemma-4-31b\n\nSentiment ≈0.50.\n", encoding="utf-8")
    page = tmp_path / "marked.html"
    assert main(["check", str(bad), "--html", str(page)]) == 1
    assert "the data says 0.94" in capsys.readouterr().out
    assert 'class="contradicted"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ("# gemma-4-32b\n\nIt resolves 80%.\n".encode(),
     "unknown model 'gemma-4-32b' (from the draft's title); did you mean gemma-4-31b"),
    ("# A report\n\nIt resolves 80%.\n".encode(), "title ('A report') names no model"),
    ("# gemma-4-31b\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n".encode(),
     "line 5: a table row with 3 cells under a header of 2"),
    ("# gemma-4-31b\n\n| a | b |\n| 1 | 2 |\n".encode(), "line 3: a table row with no header"),
])
def test_bad_drafts_get_one_line_and_exit_2(tmp_path, capsys, content, message):
    draft = tmp_path / "draft.md"
    draft.write_bytes(content)
    assert main(["check", str(draft)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_draft_without_figures_says_so(tmp_path, capsys):
    draft = tmp_path / "draft.md"
    draft.write_text("# gemma-4-31b\n\nA calm and careful agent.\n", encoding="utf-8")
    assert main(["check", str(draft)]) == 0
    assert "no figure-bearing claim" in capsys.readouterr().out


def test_the_html_output_escapes_the_draft(bench, tmp_path):
    from sabkit.check import claims_of, output

    text = "# gemma-4-31b\n\n<script>alert(1)</script> Sentiment ≈0.94 at $ tier.\n"
    page = output.as_html(claims_of(bench, text), "draft.md")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&#36;" in page  # kept from MathJax


# Generated reports that check clean today; the report issue widens this to every model.
# gemma-4-31b is left out: its callout writes escalation with reasoning off as the median of
# its runs (≈79%) where the registry, with the reference report, reads the pooled 78%.
CLEAN = ["gemini-3.1-pro", "gpt-5.4-mini"]


@pytest.fixture(scope="module", params=CLEAN)
def generated(request, tmp_path_factory):
    from sabkit.report.export import report

    out = tmp_path_factory.mktemp(request.param)
    return request.param, report(request.param, SAMPLE, out).html.read_text(encoding="utf-8")


def test_a_generated_report_checks_clean(bench, generated):
    model, page = generated
    frame = sabkit.check(bench, page)
    tied = frame.filter(frame["verdict"] != "unverified").height
    print(f"\n{model} report: {frame.height} claims, {tied} tied ({tied / frame.height:.0%})")
    assert frame.height >= 150
    assert tied / frame.height >= 0.7
    assert frame.filter(frame["verdict"] == "contradicted").is_empty(), \
        frame.filter(frame["verdict"] == "contradicted").rows()


def test_an_edited_report_html_is_flagged_on_its_line(bench, generated):
    """The short version's "(median 88.6)" edited in the HTML: flagged on that line, with
    the value the untouched report wrote."""
    model, page = generated
    m = re.search(r"on judge score \(median (\d+\.\d)\)", page)
    assert m, "the short version states the median judge score"
    line = page[:m.start()].count("\n") + 1
    edited = page[:m.start(1)] + "12.3" + page[m.end(1):]
    frame = sabkit.check(bench, edited, model)
    flagged = frame.filter(frame["verdict"] == "contradicted")
    assert flagged.select("line", "claim", "data").rows() == [(line, "12.3", m.group(1))]


def test_a_missing_draft_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere.md")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "nowhere.md" in err and len(err.strip().splitlines()) == 1


def test_the_terminal_gets_no_control_characters(tmp_path, capsys):
    draft = tmp_path / "draft.md"
    draft.write_text("# gemma-4-31b\n\n\x1b[2J\x1b]0;pwned\x07Sentiment ≈0.50.\n",
                     encoding="utf-8")
    assert main(["check", str(draft)]) == 1
    out = capsys.readouterr().out
    assert "≈0.50" in out and "\x1b" not in out and "\x07" not in out
