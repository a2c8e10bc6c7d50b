"""A benchmark in S3, for real: the test starts moto's S3 server on 127.0.0.1, uploads the
sample in the hive layout, and opens ``s3://`` with the endpoint and credentials in the
standard AWS environment variables, as a user would (docs/scaling.md). Without DuckDB's
httpfs extension (not on PyPI; it cannot load here) sabkit reads through pyarrow."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sabkit
from sabkit.errors import ContractError
from sabkit.facts import all_facts
from sabkit.io import remote
from sabkit.io.partition import partition_by_model

BUCKET = "team-bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def endpoint():
    """moto's S3 server on a free port of 127.0.0.1, stopped when the module's tests end."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed (test extra)")
    exe = shutil.which("moto_server", path=str(Path(sys.executable).parent)) \
        or shutil.which("moto_server")
    if exe is None:
        pytest.skip("moto_server is not on PATH: install moto[server] (the test extra)")
    port = _free_port()
    server = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"moto's S3 server did not start on 127.0.0.1:{port}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not _answers(port), "the S3 server is stopped"


@pytest.fixture(scope="module")
def uploaded(endpoint, tmp_path_factory) -> Path:
    """The sample in the hive layout, locally and uploaded to s3://team-bench/bench."""
    import pyarrow.fs as pafs

    hive = partition_by_model(sabkit.DEFAULT_DATA, tmp_path_factory.mktemp("s3") / "hive")
    fs = pafs.S3FileSystem(endpoint_override=endpoint, scheme="http", access_key="tester",
                           secret_key="secret", region="us-east-1", allow_bucket_creation=True)
    fs.create_dir(BUCKET)
    pafs.copy_files(str(hive), f"{BUCKET}/bench", destination_filesystem=fs)
    return hive


@pytest.fixture
def aws_env(endpoint, monkeypatch) -> dict:
    env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "tester",
           "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def test_s3_benchmark_validates_and_gives_the_local_figures(uploaded, aws_env):
    url = f"s3://{BUCKET}/bench"
    with sabkit.open(url, recheck=True) as b:
        if b.reader == remote.HTTPFS:
            pytest.skip("DuckDB's httpfs loads here; this test is about the pyarrow reader")
        assert b.reader == remote.PYARROW
        summary = str(b.summary())
        in_s3 = all_facts(b)
    with sabkit.open(uploaded) as local:
        local_summary = str(local.summary())
        on_disk = all_facts(local)
    assert summary.replace(url, "X") == local_summary.replace(str(uploaded), "X") + \
        "\n  read by     pyarrow S3FileSystem"
    assert "messages    92,956" in summary  # docs/sample-data.md

    def without_path(docs):
        return [{k: v for k, v in d.items() if k != "data"} for d in docs]

    assert len(in_s3) == 25 and without_path(in_s3) == without_path(on_disk)


def test_s3_prunes_partitions_by_model(uploaded, aws_env):
    """A filter on ``model`` reaches the pyarrow dataset: one partition's rows come back,
    as many as the local hive folder of that model holds."""
    import duckdb

    model = "gemma-4-31b"
    local_rows = duckdb.sql(
        f"SELECT count(*) FROM '{uploaded}/messages/model={model}/*.parquet'").fetchall()[0][0]
    with sabkit.open(f"s3://{BUCKET}/bench", validate=False) as b:
        rows = b.con.sql("SELECT count(*) FROM messages WHERE model = $m",
                         params={"m": model}).fetchall()[0][0]
    assert rows == local_rows > 0


def test_sabkit_validate_on_the_command_line(uploaded, aws_env):
    out = subprocess.run([sys.executable, "-m", "sabkit.cli", "validate",
                          f"s3://{BUCKET}/bench"], capture_output=True, text=True,
                         env={**os.environ, **aws_env}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"s3://{BUCKET}/bench: valid" in out.stdout
    assert "read by     pyarrow S3FileSystem" in out.stdout


def test_a_missing_benchmark_in_s3_is_named(uploaded, aws_env):
    with pytest.raises(ContractError, match="missing table: no models.parquet"):
        sabkit.open(f"s3://{BUCKET}/no-such-bench")
