#!/usr/bin/env python3
"""Keystroke-to-diagnostics latency of `inquest lsp` on a generated archive.

    python3 Benchmarks/lsp_latency.py [--count 1000] [--edits 50] [--section "Root Causes"] [--binary .build/release/inquest]

Generates an archive with Benchmarks/generate.py (COUNT postmortems, in a temporary folder unless
--archive names one), starts the language server, opens one postmortem and then sends EDITS
full-text changes (one character typed into the Summary, or --section, each time), timing each from sending
`didChange` to receiving the `publishDiagnostics` for that version. Prints the time to the first
diagnostics after `didOpen` (which reads the archive once: from the lint cache when the archive
has one, else every document parsed) and the median, 90th percentile and maximum per keystroke.
A measurement, not a test: numbers depend on the machine.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "Tests" / "lsp"))
from lsp_client import LSPClient  # noqa: E402


def measure(binary, archive, edits=50, section="Summary"):
    """Runs the measurement on an existing archive; returns a dict of milliseconds (`open`, the
    first diagnostics after didOpen; `median`, `p90`, `max` per keystroke) and the document."""
    archive = pathlib.Path(archive)
    documents = sorted((archive / "postmortems").rglob("*.md"))
    document = documents[len(documents) // 2]
    text = document.read_text(encoding="utf-8")
    uri = document.as_uri()
    client = LSPClient([str(binary), "lsp"], cwd=str(archive))
    try:
        client.request("initialize", {"processId": os.getpid(), "rootUri": archive.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        start = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 1, timeout=300)
        first = time.perf_counter() - start
        marker = f"## {section}\n\n"
        insert_at = text.index(marker) + len(marker)
        times = []
        for edit in range(edits):
            text = text[:insert_at] + "x" + text[insert_at:]
            version = edit + 2
            start = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})
            client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == version, timeout=60)
            times.append(time.perf_counter() - start)
        client.request("shutdown", None)
        client.notify("exit", None)
    finally:
        client.close()
    times_ms = sorted(t * 1000 for t in times)
    return {"open": first * 1000, "median": statistics.median(times_ms), "p90": times_ms[max(0, int(len(times_ms) * 0.9) - 1)],
            "max": times_ms[-1], "edits": len(times_ms), "document": str(document.relative_to(archive))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--binary", default=str(HERE.parent / ".build" / "release" / "inquest"))
    parser.add_argument("--archive", help="use (or create) the archive here instead of a temporary folder")
    parser.add_argument("--section", default="Summary",
                        help="the section typed into (default Summary; 'Root Causes' changes the archive's indexes at every keystroke)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        archive = pathlib.Path(args.archive or os.path.join(temporary, "archive"))
        if not (archive / "postmortems").exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--count", str(args.count), "--out", str(archive)],
                           check=True, stdout=subprocess.DEVNULL)
        result = measure(args.binary, archive, edits=args.edits, section=args.section)
    print(f"archive: {args.count} postmortems; document: {result['document']}")
    print(f"didOpen -> diagnostics (loads the archive): {result['open']:.0f} ms")
    print(f"keystroke -> diagnostics over {result['edits']} edits: median {result['median']:.1f} ms, "
          f"p90 {result['p90']:.1f} ms, max {result['max']:.1f} ms")


if __name__ == "__main__":
    main()
