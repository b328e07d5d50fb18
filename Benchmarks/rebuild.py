#!/usr/bin/env python3
"""Rebuild rows of `make bench` (issue 15, build side): cold build against Hugo, then rebuilds into
the existing output after nothing changed, after one body edit, after one `root_causes` edit, and
(no target) after an edit of the Summary and of the Root Causes section, after one new postmortem
and after a title edit of an incident halfway through the archive.

    python3 Benchmarks/rebuild.py --inquest BIN --archive DIR [--work DIR] [--runs R] [--hugo]

Used by Benchmarks/run.py (`make bench`), and standalone to measure a given binary on an archive
that Benchmarks/generate.py wrote. Every edit is undone afterwards (the archive's files are
restored byte for byte), and each edit is a fresh one (a revision counter), so no two measured
rebuilds see the same input.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))

TARGET_NOOP = 0.5        # seconds, rebuild at N=10,000 with nothing changed
TARGET_BODY = 0.3        # seconds, rebuild at N=10,000 after one body edit
TARGET_CAUSES = 2.0      # seconds, rebuild at N=10,000 after one root_causes edit
TARGET_COLD_10K = 0.10   # cold build wall / Hugo wall at N=10,000
TARGET_COLD_1K = 0.5     # cold build wall / Hugo wall at N=1,000
TARGET_RSS = 0.4         # cold build peak RSS / Hugo peak RSS at N=10,000


class Sample:
    def __init__(self, wall, user, sys_, rss_kb):
        self.wall, self.user, self.sys, self.rss_kb = wall, user, sys_, rss_kb

    @property
    def cpu(self):
        return self.user + self.sys

    @property
    def mb(self):
        return self.rss_kb / 1024


def timed(command, cwd, work):
    """Wall from a monotonic clock; CPU and peak RSS from /usr/bin/time -v."""
    report = os.path.join(work, ".rebuild-time-v")
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", "-o", report] + command, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr.decode(errors="replace")[-2000:])
        sys.exit(f"command exited {result.returncode}: {' '.join(command)}")
    text = open(report).read()
    field = lambda name: float(re.search(re.escape(name) + r":\s*([\d.]+)", text).group(1))
    sample = Sample(wall, field("User time (seconds)"), field("System time (seconds)"), int(field("Maximum resident set size (kbytes)")))
    sample.stdout = result.stdout.decode(errors="replace")
    return sample


def median(samples):
    pick = lambda key: statistics.median(getattr(s, key) for s in samples)
    out = Sample(pick("wall"), pick("user"), pick("sys"), int(pick("rss_kb")))
    out.stdout = samples[-1].stdout
    return out


def newest_postmortem(archive):
    files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(archive, "postmortems"))
                   for f in fs if f.endswith(".md") and not f.startswith("_"))
    return files[-1]


def cause_ids(archive):
    text = open(os.path.join(archive, "postmortems", "causes.yml")).read()
    return re.findall(r"^\s*-\s*id:\s*([\w-]+)", text, re.M) or re.findall(r"^([\w-]+):\s*$", text, re.M)


class Edits:
    """The edits, applied to the newest postmortem (or beside it); `restore` puts its bytes back
    and removes the postmortems added."""

    def __init__(self, archive):
        self.path = newest_postmortem(archive)
        # An incident halfway through the archive, for the edit of an older incident's title.
        files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(archive, "postmortems"))
                       for f in fs if f.endswith(".md") and not f.startswith("_"))
        self.older = files[len(files) // 2]
        self.older_original = open(self.older, "rb").read()
        self.original = open(self.path, "rb").read()
        self.counter = 0
        self.added = []
        match = re.search(rb"^root_causes:\n  - ([\w-]+)\n", self.original, re.M)
        self.cause = match.group(1).decode() if match else None
        self.others = [c for c in cause_ids(archive) if c != self.cause]

    def body(self):
        self.counter += 1
        text = self.original.replace(b"## Resolution\n\n",
                                     b"## Resolution\n\nA follow-up check confirmed the fix (revision %d).\n\n" % self.counter, 1)
        open(self.path, "wb").write(text)

    def section(self, heading, sentence):
        """Adds a sentence at the top of a section (a different one each time)."""
        self.counter += 1
        marker = b"## %s\n\n" % heading
        text = self.original.replace(marker, marker + b"%s (revision %d).\n\n" % (sentence, self.counter), 1)
        if text == self.original:
            raise SystemExit(f"rebuild.py: {self.path} has no '{marker.decode().strip()}' section to edit")
        open(self.path, "wb").write(text)

    def summary(self):
        self.section(b"Summary", b"The first report came from a customer")

    def root_causes_text(self):
        self.section(b"Root Causes", b"The retry budget was shared by every caller")

    def older_title(self):
        """Edits the title of the incident halfway through the archive (another title each time):
        the pages that show it change, not the later pages of its cause, service and tag."""
        self.counter += 1
        match = re.search(rb"^title: (.*)$", self.older_original, re.M)
        if not match:
            raise SystemExit(f"rebuild.py: {self.older} has no title line to edit")
        value = match.group(1)
        suffix = b" (revision %d)" % self.counter
        edited = value[:-1] + suffix + b'"' if value.startswith(b'"') and value.endswith(b'"') else value + suffix
        open(self.older, "wb").write(self.older_original[:match.start(1)] + edited + self.older_original[match.end(1):])

    def add(self):
        """A new postmortem beside the newest, the same day (its copy under another file name);
        each call adds one more."""
        self.counter += 1
        self.added.append(self.path[:-len(".md")] + "-added-%d.md" % self.counter)
        open(self.added[-1], "wb").write(self.original)

    def causes(self):
        """Swaps the first root cause for another catalogue cause (a different one each time)."""
        self.counter += 1
        other = self.others[self.counter % len(self.others)]
        text = self.original.replace(b"root_causes:\n  - %s\n" % self.cause.encode(), b"root_causes:\n  - %s\n" % other.encode(), 1)
        open(self.path, "wb").write(text)

    def restore(self):
        open(self.path, "wb").write(self.original)
        open(self.older, "wb").write(self.older_original)
        for path in self.added:
            if os.path.exists(path):
                os.remove(path)
        self.added = []


def measure(inquest, archive, work, runs=1, hugo=True, log=lambda m: print(m, file=sys.stderr, flush=True)):
    """Returns {row: Sample}. The output folder is work/site-rebuild."""
    out = os.path.join(work, "site-rebuild")
    cmd = [inquest, "build", "--output", out]
    rows = {}

    def cold():
        samples = []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            # Cold means cold: no lint cache or search cache either (the git folder's `inquest/`,
            # or `.inquest-cache/` outside git).
            shutil.rmtree(os.path.join(archive, ".git", "inquest"), ignore_errors=True)
            shutil.rmtree(os.path.join(archive, ".inquest-cache"), ignore_errors=True)
            samples.append(timed(cmd, archive, work))
        return median(samples)

    rows["cold"] = cold()
    log(f"  inquest build (cold): {rows['cold'].wall:.2f} s wall, {rows['cold'].cpu:.2f} s CPU, {rows['cold'].mb:.0f} MB")
    if hugo:
        site = os.path.join(work, "site-rebuild-hugo")
        hugo_cmd = ["hugo", "--source", os.path.join(BENCH, "hugo"), "--contentDir", os.path.join(archive, "postmortems"),
                    "--destination", site, "--cacheDir", os.path.join(work, "hugo-cache"), "--noBuildLock", "--quiet"]
        os.environ["HUGO_RESOURCEDIR"] = os.path.join(work, "hugo-resources")
        samples = []
        for _ in range(runs):
            shutil.rmtree(site, ignore_errors=True)
            samples.append(timed(hugo_cmd, archive, work))
        rows["hugo"] = median(samples)
        log(f"  hugo (cold): {rows['hugo'].wall:.2f} s wall, {rows['hugo'].cpu:.2f} s CPU, {rows['hugo'].mb:.0f} MB")

    edits = Edits(archive)
    try:
        for name, edit in (("noop", None), ("body", edits.body), ("causes", edits.causes), ("summary", edits.summary),
                           ("rootcausestext", edits.root_causes_text), ("add", edits.add), ("oldertitle", edits.older_title)):
            samples = []
            # A rebuild takes a fraction of a second to a second or two: at least 5 runs at any N,
            # so one slow run on a shared machine does not decide its target (run.py's `quick_runs`).
            for _ in range(max(runs, 5)):
                if edit:
                    edit()
                samples.append(timed(cmd, archive, work))
            rows[name] = median(samples)
            line = rows[name].stdout.strip().splitlines()[:1]
            log(f"  inquest build after {name}: {rows[name].wall:.2f} s wall, {rows[name].cpu:.2f} s CPU, {rows[name].mb:.0f} MB  {line[0] if line else ''}")
            # Back to the archive as generated: the next row's build then sees one changed file
            # again (its edit), against a site built from the previous row's input.
            edits.restore()
    finally:
        edits.restore()
    return rows


def report(n, rows):
    """Markdown lines: the measurements and the targets with PASS/MISS."""
    verdict = lambda ok: "PASS" if ok else "MISS"
    labels = [("cold", "inquest build, cold (empty output)"), ("hugo", "hugo, cold"),
              ("noop", "inquest build again, nothing changed"), ("body", "inquest build after one body edit"),
              ("causes", "inquest build after one `root_causes` edit"),
              ("summary", "inquest build after an edit of the Summary section (no target)"),
              ("rootcausestext", "inquest build after an edit of the Root Causes section (no target)"),
              ("add", "inquest build after one new postmortem (no target)"),
              ("oldertitle", "inquest build after a title edit of an incident halfway through the archive (no target)")]
    lines = ["| rebuild measurement | wall s | CPU s | peak RSS MB |", "| --- | ---: | ---: | ---: |"]
    for key, label in labels:
        if key in rows:
            s = rows[key]
            lines.append(f"| {label} | {s.wall:.2f} | {s.cpu:.2f} | {s.rss_kb / 1024:,.0f} |")
    lines += ["", "| build target | measured | result |", "| --- | --- | --- |"]
    big = n >= 10000
    scale = "" if big else " (target set at N=10,000)"
    for key, target, label in (("noop", TARGET_NOOP, "no-op rebuild"), ("body", TARGET_BODY, "one body edit"),
                               ("causes", TARGET_CAUSES, "one `root_causes` edit")):
        s = rows[key]
        lines.append(f"| {label} ≤ {target} s{scale} | {s.wall:.2f} s wall, {s.cpu:.2f} s CPU | {verdict(s.wall <= target)} |")
    if "hugo" in rows:
        cold, hugo = rows["cold"], rows["hugo"]
        target = TARGET_COLD_10K if big else TARGET_COLD_1K
        r = cold.wall / hugo.wall if hugo.wall > 0 else float("inf")
        lines.append(f"| cold build ≤ {target}× Hugo's wall | {r:.2f}× ({cold.wall:.2f} s vs {hugo.wall:.2f} s) | {verdict(r <= target)} |")
        r = cold.rss_kb / hugo.rss_kb if hugo.rss_kb > 0 else float("inf")
        lines.append(f"| cold build peak RSS ≤ {TARGET_RSS}× Hugo's{scale} | {r:.2f}× ({cold.rss_kb / 1024:,.0f} MB vs {hugo.rss_kb / 1024:,.0f} MB) | {verdict(r <= TARGET_RSS)} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inquest", required=True)
    parser.add_argument("--archive", required=True)
    parser.add_argument("--work", default="/tmp/inquest-bench")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    archive = os.path.abspath(args.archive)
    n = sum(1 for _, _, fs in os.walk(os.path.join(archive, "postmortems")) for f in fs if f.endswith(".md") and not f.startswith("_"))
    rows = measure(os.path.abspath(args.inquest), archive, os.path.abspath(args.work), args.runs, hugo=not args.no_hugo)
    print("\n".join(report(n, rows)))


if __name__ == "__main__":
    main()
