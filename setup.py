"""The wheel carries the sample benchmark: the build copies data/sample into the package as
``sabkit/sample``, so ``sabkit.open()`` works wherever the wheel is installed. Git holds the
files once, in data/sample, which a checkout reads directly (sabkit.io.benchmark)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLE = Path(__file__).resolve().parent / "data" / "sample"


class BuildWithSample(build_py):
    """build_py, plus data/sample copied to sabkit/sample (an editable install reads
    data/sample where it lies and needs no copy)."""

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


setup(cmdclass={"build_py": BuildWithSample})
