"""The wheel carries the sample benchmark and the report template: the build copies
data/sample into the package as ``sabkit/sample`` and parametrized/model_report.ipynb as
``sabkit/report/model_report.ipynb``, so ``sabkit.open()`` and ``sabkit report`` work
wherever the wheel is installed. Git holds the files once, where a checkout reads them
directly (sabkit.io.benchmark, sabkit.report.export)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SAMPLE = ROOT / "data" / "sample"
TEMPLATE = ROOT / "parametrized" / "model_report.ipynb"


class BuildWithSample(build_py):
    """build_py, plus data/sample copied to sabkit/sample and the report template beside
    sabkit/report/export.py (an editable install reads both where they lie)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        files = sorted(f for f in SAMPLE.glob("*") if f.is_file())
        if not any(f.suffix == ".parquet" for f in files):
            raise SystemExit(f"sabkit build: no sample benchmark in {SAMPLE} "
                             "(run `sabkit synth` to write it, then build again)")
        target = Path(self.build_lib) / "sabkit" / "sample"
        self.mkpath(str(target))
        for f in files:
            self.copy_file(str(f), str(target / f.name))
        self.copy_file(str(TEMPLATE), str(Path(self.build_lib) / "sabkit" / "report" /
                                          TEMPLATE.name))


setup(cmdclass={"build_py": BuildWithSample})
