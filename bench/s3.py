"""What reading a benchmark from object storage costs, against the same files on local disk.

    python bench/s3.py BENCHMARK_FOLDER [--repeat 3]

Starts moto's S3 server on 127.0.0.1 (``moto[server]``, the test extra), partitions the
benchmark by model (``sabkit partition``) and uploads it, then times `sabkit validate` and
`sabkit facts --all --json` on the local hive copy and on ``s3://bench/...`` (endpoint and
credentials in the AWS environment variables, as a user sets them), each as its own process,
the cache off for both (a benchmark at a URL is never cached). Prints one Markdown table;
the server is stopped at the end. A local server measures the reader's own cost (requests,
pyarrow's decoding, no pruning of the footers); a real store adds its network latency.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    import pyarrow.fs as pafs

    port = _port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="sabkit-s3-"))
    try:
        hive = work / "hive"
        subprocess.run([str(BIN / "sabkit"), "partition", str(args.data), "--out", str(hive)],
                       check=True, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        fs = pafs.S3FileSystem(endpoint_override=endpoint, scheme="http", access_key="bench",
                               secret_key="bench", region="us-east-1",
                               allow_bucket_creation=True)
        fs.create_dir("bench")
        started = time.perf_counter()
        pafs.copy_files(str(hive), "bench/hive", destination_filesystem=fs)
        upload = time.perf_counter() - started
        env = {**os.environ, "SABKIT_CACHE": "off", "AWS_ENDPOINT_URL": endpoint,
               "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
               "AWS_REGION": "us-east-1"}
        rows = []
        for label, cmd in (("sabkit validate", ["validate"]),
                           ("sabkit facts --all --json", ["facts", "--all", "--json", "--data"])):
            times = {}
            for where, path in (("local disk", str(hive)), ("S3 (moto)", "s3://bench/hive")):
                run = [str(BIN / "sabkit"), *cmd, path]
                _timed(run, env)  # warm-up
                times[where] = statistics.median(_timed(run, env) for _ in range(args.repeat))
            rows.append(f"| {label} | {times['local disk']:.2f} | {times['S3 (moto)']:.2f} | "
                        f"{times['S3 (moto)'] / times['local disk']:.2f}x |")
        print(f"{args.data.name}, hive layout, uploaded in {upload:.1f} s; median of "
              f"{args.repeat} runs, cache off, load {os.getloadavg()[0]:.1f}\n")
        print("| command | local disk s | S3 (moto, 127.0.0.1) s | S3 / local |\n|---|---|---|---|")
        print("\n".join(rows))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
