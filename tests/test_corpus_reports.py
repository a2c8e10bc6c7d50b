"""Reliability corpus, classes 4, 5 and 7: thin data, hostile names, error paths.

Valid but thin data must give a correct result: `facts` says what is missing, `report`
writes a short honest page, `report --all` goes on for the others and lists it. Names must
never share a file, overflow one, or reach the terminal with control characters, and in
HTML a right-to-left override stays inside its `<bdi>`. An output folder that cannot be
written is one line, with no traceback from the clean-up and no temporary file left.
"""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from sabkit.report import paths

from builders.corpus import (
    SAMPLE, copy_sample, one_line_error, rewrite, run, sample_sql,
)

MODEL = "glm-4.7"


def only_model(bench: Path, model: str = MODEL, name: str | None = None) -> Path:
    """``bench`` holding one model's runs (renamed ``name``); the other models removed."""
    name = name or model
    lit = "'" + name.replace("'", "''") + "'"
    rewrite(bench, "models", f"SELECT * REPLACE ({lit} AS model) FROM {{t}} "
                             f"WHERE model = '{model}'")
    rewrite(bench, "runs", f"SELECT * REPLACE ({lit} AS model) FROM {{t}} "
                           f"WHERE model = '{model}'")
    runs = f"(SELECT run_id FROM '{SAMPLE / 'runs.parquet'}' WHERE model = '{model}')"
    for table in ("messages", "tool_calls", "scores"):
        rewrite(bench, table, f"SELECT * FROM {{t}} WHERE run_id IN {runs}")
    return bench


def add_models(bench: Path, *names: str) -> None:
    """Models without a run, appended to ``bench``'s models table."""
    models, grown = bench / "models.parquet", bench / "models.new"
    rows = " UNION ALL ".join("SELECT '%s', 'acme', 'new', true, NULL, true, NULL"
                              % n.replace("'", "''") for n in names)
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{models}') UNION ALL {rows}) "
               f"TO '{grown}' (FORMAT parquet)")
    grown.replace(models)


# --- class 4: valid but thin data ----------------------------------------------------------

def test_a_model_with_no_run(tmp_path):
    bench = copy_sample(tmp_path)
    add_models(bench, "newbie")
    assert run("validate", bench).code == 0
    facts = run("facts", "newbie", "--data", bench)
    assert facts.code == 0
    assert "no run in this benchmark: nothing to report yet" in facts.out
    assert "no adversarial cases" not in facts.out
    page = run("report", "newbie", "--data", bench, "--out", tmp_path / "out")
    assert page.code == 0 and "nothing to report yet" in page.err
    html = (tmp_path / "out" / "newbie.html").read_text()
    assert "no run in this benchmark: nothing to report yet" in html


def test_a_right_to_left_override_stays_inside_its_name(tmp_path):
    bench = copy_sample(tmp_path)
    add_models(bench, "abc\u202edef <i>x</i>")
    assert run("report", "abc\u202edef <i>x</i>", "--data", bench,
               "--out", tmp_path / "out").code == 0
    page = next((tmp_path / "out").glob("abc*.html")).read_text()
    assert '<h1><bdi dir="auto">abc\u202edef &lt;i&gt;x&lt;/i&gt;</bdi>:' in page
    from sabkit.report.quotes import Quote

    quote = Quote("phantom", "t", "c1", 1, says="\u202eevil <b>", judge="\u202e")
    assert '<bdi dir="auto">\u202eevil &lt;b&gt;</bdi>' in quote.html()


def test_a_model_with_only_partial_runs(tmp_path):
    bench = copy_sample(tmp_path)
    rewrite(bench, "runs", f"SELECT * REPLACE (model <> '{MODEL}' AND complete AS complete) "
                           "FROM {t}")
    held, = sample_sql(f"SELECT count(*) FROM scores JOIN runs USING (run_id) "
                       f"WHERE model = '{MODEL}'")[0]
    facts = run("facts", MODEL, "--data", bench)
    assert facts.code == 0
    expected = f"no complete run: nothing to report yet; 3 partial runs hold {held:,} scored"
    assert expected in facts.out
    assert "unsafe actions" not in facts.out  # no figure stated for it at all
    page = run("report", MODEL, "--data", bench, "--out", tmp_path / "out")
    assert page.code == 0
    assert expected in (tmp_path / "out" / f"{MODEL}.html").read_text()
    # every other model keeps its own figures (its ranks on the board may move)
    other = json.loads(run("facts", "gpt-5.4", "--json", "--data", bench).out)
    clean = json.loads(run("facts", "gpt-5.4", "--json").out)
    for figure in ("resolution", "escalation", "over_escalation", "unsafe_actions", "score"):
        assert other[figure]["median"] == clean[figure]["median"], figure


def test_an_empty_scores_table_gives_every_model_a_short_page(tmp_path):
    bench = copy_sample(tmp_path)
    rewrite(bench, "scores", "SELECT * FROM {t} LIMIT 0")
    valid = run("validate", bench)
    assert valid.code == 0 and "0 complete, 75 partial" in valid.out
    facts = run("facts", "--all", "--data", bench)
    assert facts.code == 0
    assert facts.out.count("no complete run: nothing to report yet") == 25
    out = tmp_path / "out"
    every = run("report", "--all", "--data", bench, "--out", out)
    assert every.code == 0, every.err
    assert every.err.count("(a short page says so)") == 25
    assert len(list(out.glob("*.html"))) == 26  # 25 pages and the index
    index = (out / "index.html").read_text()
    assert index.count('<a href="') == 25


def test_one_model_benchmark_and_hostile_names_in_one_report_all(tmp_path):
    """One model with runs (named with an escape sequence, a right-to-left override, markup
    and 130+ characters), beside models without a run whose names map to one file name:
    the notebook runs, every model gets its own page, the index lists them all."""
    hostile = ("team/\u202eevil\x1b[31m<b>bold</b> " + "x" * 130)
    bench = only_model(copy_sample(tmp_path), name=hostile)
    add_models(bench, "team/model", "team model", "team_model")
    facts = run("facts", "--all", "--data", bench)
    assert facts.code == 0 and "\x1b" not in facts.text and "\u202e" not in facts.text
    assert "team/evil[31m<b>bold</b>" in facts.out  # the name, its controls stripped
    ours = json.loads(run("facts", hostile, "--json", "--data", bench).out)
    clean = json.loads(run("facts", MODEL, "--json").out)
    for figure in ("resolution", "escalation", "unsafe_actions", "phantom_actions"):
        assert ours[figure]["median" if "median" in ours[figure] else "count"] == \
            clean[figure]["median" if "median" in clean[figure] else "count"], figure
    out = tmp_path / "out"
    every = run("report", "--all", "--data", bench, "--out", out)
    assert every.code == 0, every.err
    assert "\x1b" not in every.text
    pages = sorted(p.name for p in out.glob("*.html") if p.name != "index.html")
    assert len(pages) == 4 and all(len(p.encode()) < 120 for p in pages)
    assert "team_model.html" in pages  # a safe name keeps its plain file name
    page = (out / paths.file_stem(hostile)).with_suffix(".html").read_text()
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    # the prose's own isolation of names is the report layer's (issue 12): quotes.isolate
    index = (out / "index.html").read_text()
    assert index.count('<a href="') == 4
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


def test_a_model_with_one_run_no_traps_and_no_cost_tiers_gets_its_full_report(tmp_path):
    """Valid and unusual at once: one complete run (no spread to show), no adversarial
    case in the benchmark, no cost tier anywhere. The notebook runs to its end and states
    the model's own figures as the clean facts do."""
    bench = copy_sample(tmp_path)
    later = f"(SELECT run_id FROM '{SAMPLE / 'runs.parquet'}' WHERE model = '{MODEL}' " \
            "AND run_index > 1)"
    traps = f"(SELECT case_id FROM '{SAMPLE / 'cases.parquet'}' WHERE category = 'adversarial')"
    rewrite(bench, "models", "SELECT * REPLACE (NULL::VARCHAR AS cost_tier) FROM {t}")
    rewrite(bench, "cases", "SELECT * FROM {t} WHERE category <> 'adversarial'")
    rewrite(bench, "runs", f"SELECT * FROM {{t}} WHERE run_id NOT IN {later}")
    for table in ("messages", "tool_calls", "scores"):
        rewrite(bench, table, f"SELECT * FROM {{t}} WHERE run_id NOT IN {later} "
                              f"AND case_id NOT IN {traps}")
    resolved, = sample_sql(
        f"SELECT avg(resolved::INT) FROM scores JOIN runs USING (run_id) JOIN cases "
        f"USING (case_id) WHERE model = '{MODEL}' AND run_index = 1 AND category = 'solvable'")[0]
    doc = json.loads(run("facts", MODEL, "--json", "--data", bench).out)
    assert doc["runs"]["n"] == 1 and doc["cases"]["adversarial"] == 0
    assert doc["resolution"]["median"] == pytest.approx(resolved, abs=5e-4)
    result = run("report", MODEL, "--data", bench, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert (tmp_path / "out" / f"{MODEL}.ipynb").is_file()  # the notebook ran, not a short page


def test_file_stems_are_distinct_and_short():
    names = ["team/model", "team model", "team_model", "team:model", "a" * 300,
             "a" * 299 + "b", ".hidden", "模型"]
    stems = [paths.file_stem(n) for n in names]
    assert len(set(stems)) == len(names)
    assert all(len(s) <= paths.MAX_STEM + 11 and not s.startswith(".") for s in stems)
    assert paths.file_stem("gemma-4-31b@no-reasoning") == "gemma-4-31b@no-reasoning"


# --- class 5: control characters before the terminal --------------------------------------

def test_control_characters_never_reach_the_terminal(tmp_path):
    """A case id with an escape sequence: the summary strips it, the JSON keeps it escaped,
    an error naming it strips it."""
    bench = copy_sample(tmp_path)
    evil = "\x1b]0;owned\x07\x1b[2J\u202e"
    rewrite(bench, "models", f"SELECT * REPLACE (CASE WHEN model = '{MODEL}' THEN "
                             f"'{MODEL}{evil}' ELSE model END AS model) FROM {{t}}")
    rewrite(bench, "runs", f"SELECT * REPLACE (CASE WHEN model = '{MODEL}' THEN "
                           f"'{MODEL}{evil}' ELSE model END AS model) FROM {{t}}")
    text = run("facts", f"{MODEL}{evil}", "--data", bench)
    assert text.code == 0 and f"{MODEL}]0;owned[2J" in text.out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", text.text)
    doc = run("facts", f"{MODEL}{evil}", "--json", "--data", bench)
    assert json.loads(doc.out)["model"] == f"{MODEL}{evil}"  # piped: exact
    unknown = run("facts", f"nope{evil}", "--data", bench)
    assert unknown.code == 2 and "\x1b" not in unknown.err


def test_terminal_json_is_escaped_not_stripped():
    from sabkit.cli.terminal import json_safe
    from sabkit.untrusted import strip_controls as clean

    text = json.dumps({"m": "a\u202eb\x9bc"}, ensure_ascii=False)
    assert json.loads(json_safe(text)) == {"m": "a\u202eb\x9bc"}
    assert clean(json_safe(text)) == json_safe(text)
    assert clean("a\x1b[31mb\tc\n") == "a[31mb\tc\n"
    assert clean("a\rb") == "a\rb" and clean("a\rb", returns=False) == "ab"


# --- class 7: error paths -----------------------------------------------------------------

def _no_tmp(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if ".tmp" in p.name], list(folder.rglob("*"))


def test_out_naming_a_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("keep me")
    result = run("report", MODEL, "--out", target)
    one_line_error(result, str(target), "is a file; name a folder")
    assert len(result.err.strip().splitlines()) == 1
    assert target.read_text() == "keep me"
    below = run("report", MODEL, "--out", target / "sub")
    one_line_error(below, str(target / "sub"), "Not a directory", "name a folder")


def test_out_that_cannot_be_written(tmp_path):
    result = run("report", MODEL, "--out", "/proc/sabkit-reports")
    one_line_error(result, "cannot write to --out /proc/sabkit-reports", "name a folder")
    assert len(result.err.strip().splitlines()) == 1


def test_a_full_disk_while_writing_the_page_keeps_the_last_report(tmp_path, monkeypatch):
    bench = copy_sample(tmp_path)
    add_models(bench, "newbie")
    out = tmp_path / "out"
    assert run("report", "newbie", "--data", bench, "--out", out).code == 0
    before = (out / "newbie.html").read_text()
    real = Path.write_text

    def full(self, *a, **k):
        if self.name.endswith(".html"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "write_text", full)
    result = run("report", "newbie", "--data", bench, "--out", out)
    one_line_error(result, "No space left on device", "is unchanged")
    assert len(result.err.strip().splitlines()) == 1
    assert (out / "newbie.html").read_text() == before
    _no_tmp(out)


# --- class 6 (the report's side): a killed run's temporary files ----------------------------

def test_temporary_files_of_a_killed_run_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    leftovers = [out / f".newbie.{dead.pid}.tmp.ipynb", out / f".newbie.facts.{dead.pid}.tmp.json"]
    for path in leftovers:
        path.write_text("{")
    bench = copy_sample(tmp_path)
    add_models(bench, "newbie")
    assert run("report", "newbie", "--data", bench, "--out", out).code == 0
    _no_tmp(out)


def test_two_names_with_one_file_name_get_two_reports(tmp_path):
    bench = copy_sample(tmp_path)
    add_models(bench, "team/model", "team model")
    out = tmp_path / "out"
    for name in ("team/model", "team model"):
        assert run("report", name, "--data", bench, "--out", out).code == 0
    pages = {p.name: p.read_text() for p in out.glob("*.html")}
    assert len(pages) == 2
    assert sum(">team/model<" in t for t in pages.values()) == 1
    assert sum(">team model<" in t for t in pages.values()) == 1
