#!/usr/bin/env python3
"""Save-to-visible latency of `inquest serve` on a generated archive.

    python3 Benchmarks/serve_latency.py [--count 1000] [--edits 10] [--binary .build/release/inquest]
                                        [--archive DIR] [--json]

Generates an archive with Benchmarks/generate.py (COUNT postmortems; in a temporary folder unless
--archive names one), starts `inquest serve --port 0` on it and opens one postmortem's page the
way a browser does. Then, EDITS times: a sentence with a new marker word is saved into the
page's document, and the clock runs from the moment the save returns until the page shows the
marker, measured as the open page experiences it: its reload request (`/_inquest/changes`)
answers, then the page is fetched again (repeated until the marker is there). Prints the time to
the first page and the median, 90th percentile and maximum per edit; --json prints them as one
JSON object instead. The document is restored afterwards. A measurement, not a test.
"""
import argparse
import json
import os
import pathlib
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
TARGET = 0.5  # seconds from save to visible at 1,000 postmortems (issue 15)


def fetch(url, timeout=60):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cache-Control": "no-store"}), timeout=timeout) as response:
        return response.read().decode("utf-8")


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (Linux /proc), or None elsewhere."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def start_server(binary, archive, log):
    process = subprocess.Popen([os.path.abspath(binary), "serve", "--port", "0"], cwd=archive, stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("http://"):
        process.kill()
        sys.exit(f"inquest serve did not print its URL (got {line!r})")
    return process, line


def measure(binary, archive, edits=10, log=subprocess.DEVNULL):
    """Runs the measurement on an existing archive; returns a dict of seconds. `log` receives the
    server's standard error (one line per update with the server's own time for it)."""
    archive = pathlib.Path(archive)
    documents = sorted(p for p in (archive / "postmortems").rglob("*.md") if not p.name.startswith("_"))
    document = documents[len(documents) // 2]
    original = document.read_bytes()
    started = time.perf_counter()
    process, base = start_server(binary, archive, log)
    try:
        page_url = f"{base}postmortems/{document.stem}.html"
        page = fetch(page_url)
        first = time.perf_counter() - started
        version = int(re.search(r'data-inquest-version="(\d+)"', page).group(1))
        times = []
        cpu = []
        for edit in range(edits):
            marker = f"servebenchmarker{edit}x{os.getpid()}"
            text = original.replace(b"## Summary\n\n", b"## Summary\n\nThe %s sentence was added for the benchmark.\n\n" % marker.encode(), 1)
            assert text != original, "no '## Summary' section to edit"
            answer = {}
            # The open page's long poll, sent before the save as the browser's is.
            poll = threading.Thread(target=lambda: answer.update(json.loads(fetch(f"{base}_inquest/changes?since={version}"))))
            poll.start()
            time.sleep(0.05)
            cpu_before = cpu_seconds(process.pid)
            with open(document, "wb") as out:
                out.write(text)
            saved = time.perf_counter()
            poll.join(timeout=60)
            while True:
                body = fetch(page_url)
                if marker in body:
                    break
                time.sleep(0.005)
            times.append(time.perf_counter() - saved)
            cpu_after = cpu_seconds(process.pid)
            if cpu_before is not None and cpu_after is not None:
                cpu.append(cpu_after - cpu_before)
            version = int(re.search(r'data-inquest-version="(\d+)"', body).group(1))
            time.sleep(0.2)
    finally:
        document.write_bytes(original)
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            status = None
    times.sort()
    return {
        "documents": len(documents),
        "first_page": first,
        "median": statistics.median(times),
        "p90": times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))],
        "max": times[-1],
        "edits": len(times),
        # CPU the server spent from the save to the page showing it (also counts its idle
        # polling meanwhile): what the latency would be on an idle machine, bounded below.
        "cpu_median": statistics.median(cpu) if cpu else None,
        "load_average": os.getloadavg()[0],
        "exit_status": status,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--binary", default=str(HERE.parent / ".build" / "release" / "inquest"))
    parser.add_argument("--archive", help="use (or create) the archive here instead of a temporary folder")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--log", help="write the server's standard error here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        archive = pathlib.Path(args.archive or os.path.join(temporary, "archive"))
        if not (archive / "postmortems").exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--count", str(args.count), "--out", str(archive)],
                           check=True, stdout=subprocess.DEVNULL)
        log = open(args.log, "w") if args.log else subprocess.DEVNULL
        result = measure(args.binary, archive, args.edits, log)
    if args.json:
        print(json.dumps(result))
        return
    print(f"inquest serve, {result['documents']:,} postmortems: first page {result['first_page']:.2f} s after start; "
          f"save to visible over {result['edits']} edits: median {result['median']:.3f} s, p90 {result['p90']:.3f} s, "
          f"max {result['max']:.3f} s (target <= {TARGET} s: {'PASS' if result['median'] <= TARGET else 'MISS'}); "
          + (f"server CPU per edit: median {result['cpu_median']:.3f} s; " if result['cpu_median'] is not None else "")
          + f"load average {result['load_average']:.1f}; "
          f"exit status after SIGINT {result['exit_status']}")


if __name__ == "__main__":
    main()
