"""The per-model deep report: its sections (``sections``, one module each, built on
``rules``, ``risks``, ``traits``, ``grammar`` and ``markup``), tables, charts and transcript
quotes, the papermill run and offline HTML export (``export``), and the index page."""

from sabkit.report.export import ReportFailed, report, report_all, run_notebook
from sabkit.report.paths import file_stem

__all__ = ["report", "report_all", "run_notebook", "file_stem", "ReportFailed"]
