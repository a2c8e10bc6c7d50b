"""The per-model deep report: its sentences (``prose``), tables, charts and transcript
quotes, the papermill run and offline HTML export (``export``), and the index page."""

from sabkit.report.export import ReportFailed, file_stem, report, report_all, run_notebook

__all__ = ["report", "report_all", "run_notebook", "file_stem", "ReportFailed"]
