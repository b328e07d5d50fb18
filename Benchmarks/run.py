#!/usr/bin/env python3
"""Inquest benchmark runner: `make bench` (N=10000) or `make bench N=1000`.

    python3 Benchmarks/run.py --count 10000 [--runs R] [--work DIR] [--timeout S] [--inquest BIN]
                              [--no-install] [--no-history]

Installs what it needs (hugo, cmark-gfm, time; apt-get, waiting for the dpkg lock), builds the
release `inquest` (own scratch path .build-bench), generates the synthetic archive
(Benchmarks/generate.py) and measures, side by side, in one run:

  * `inquest lint` against the `cmark-gfm` CLI rendering the same files (the parse floor), cold and
    run again (warm), and the author's loop: `lint CHANGED_FILE` and `lint --staged` with one change;
  * `inquest build` against Hugo with the minimal theme in Benchmarks/hugo/;
  * a rebuild after one postmortem changes (both site generators), and a re-lint of that file;
  * `inquest lint` and `inquest build` on 1,000 postmortems spread over 5,000 commits against the
    same files in one commit (git history: lint reads commit authors, build reads full history);

with wall, user, system time and peak RSS from `/usr/bin/time -v`, documents per second, ratios,
and PASS/MISS against the targets. The numbers are the median of --runs runs (default 3 for
N <= 2000, 1 above); whatever --runs says, a measurement that takes seconds (cold lint, cmark-gfm)
is the median of at least 3 runs and one that takes a fraction of a second (warm lint, `lint FILE`,
`lint --staged`, the rebuilds) of at least 5 (`quick_runs`), so that one slow run on a shared
machine does not decide a target. A Markdown copy of the results goes to WORK/results-N.md.
See Benchmarks/README.md for what is measured and how.
"""

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "Benchmarks")
SCRATCH = os.path.join(ROOT, ".build-bench")
CMARK_ARGS = ["cmark-gfm", "-e", "table", "-e", "tasklist", "-e", "strikethrough", "-e", "autolink"]
CMARK_BATCH = 500  # files per cmark-gfm process (xargs -n), well under ARG_MAX
TOOLS = [("hugo", "hugo"), ("cmark-gfm", "cmark-gfm"), ("/usr/bin/time", "time"), ("git", "git")]

TARGET_LINT_COLD = 3.0   # inquest lint CPU / cmark-gfm CPU, cold (issue 15)
TARGET_LINT_WARM = 0.5   # inquest lint wall, second run / cmark-gfm wall (2 cores each)
TARGET_LINT_ONE = 0.15   # seconds: `lint FILE` and `lint --staged` with one changed document
TARGET_BUILD = 0.25    # inquest build time / hugo time
TARGET_MEMORY = 0.5    # inquest build peak RSS / hugo peak RSS
TARGET_REBUILD = 0.3   # seconds, inquest build after one changed postmortem
TARGET_SERVE = 0.5     # seconds, `inquest serve`: save to visible at 1,000 postmortems (issue 15)


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Setup

def apt_install(packages):
    """apt-get update + install, waiting for the dpkg lock that another process may hold."""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    for attempt in range(1, 7):
        update = subprocess.run(sudo + ["apt-get"] + lock + ["update", "-qq"], env=env)
        if update.returncode == 0:
            install = subprocess.run(sudo + ["apt-get"] + lock + ["install", "-y", "-qq"] + packages, env=env)
            if install.returncode == 0:
                return
        log(f"apt-get did not finish (attempt {attempt}/6; the dpkg lock may be held); retrying in 30 s")
        time.sleep(30)
    sys.exit(f"could not install {' '.join(packages)}")


def ensure_tools(install):
    missing = sorted({pkg for cmd, pkg in TOOLS if shutil.which(cmd) is None})
    if missing:
        if not install:
            sys.exit(f"missing: {' '.join(missing)} (run without --no-install)")
        log(f"installing: {' '.join(missing)}")
        apt_install(missing)


def build_inquest():
    """Release build in its own scratch path, as `make release` builds it (static Swift runtime;
    inquest-serve beside inquest for `inquest serve`); retries while other work in progress does
    not compile."""
    command = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", SCRATCH, "--product", "inquest"]
    for attempt in range(1, 11):
        log(f"building: {' '.join(command)}")
        result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode == 0:
            result = subprocess.run(command[:-1] + ["inquest-serve"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode == 0:
            binary = subprocess.run(command + ["--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
            return os.path.join(binary, "inquest")
        log(result.stdout[-3000:])
        log(f"release build did not succeed (attempt {attempt}/10); retrying in 60 s")
        time.sleep(60)
    sys.exit("could not build inquest")


def has_build_command(inquest):
    """`inquest build --output DIR` exists (the site generator is newer than the linter)."""
    top = subprocess.run([inquest, "--help"], capture_output=True, text=True).stdout
    if not re.search(r"^\s+build\b", top, re.M):
        return False
    sub = subprocess.run([inquest, "build", "--help"], capture_output=True, text=True)
    return sub.returncode == 0 and "--output" in sub.stdout


def generate(count, out, commits=0):
    command = [sys.executable, os.path.join(BENCH, "generate.py"), "--count", str(count), "--out", out]
    if commits:
        command += ["--commits", str(commits)]
    subprocess.run(command, check=True)


# --------------------------------------------------------------------------------------------
# Measurement

class Sample:
    def __init__(self, wall, user, sys_, rss_kb, status, timed_out=False):
        self.wall, self.user, self.sys, self.rss_kb, self.status = wall, user, sys_, rss_kb, status
        self.timed_out = timed_out

    @property
    def cpu(self):
        return self.user + self.sys


def timed(command, cwd, stdout=subprocess.DEVNULL, shell=False, ok=(0,), attempts=3):
    """Runs under /usr/bin/time -v; wall from a monotonic clock, CPU and peak RSS from time -v
    (for a process tree, the largest single process, as getrusage reports it). A run longer than
    --timeout is stopped (its own process group only) and reported as timed out."""
    report = os.path.join(WORK, ".time-v")
    if os.path.exists(report):
        os.remove(report)
    wrapped = ["/usr/bin/time", "-v", "-o", report] + (["sh", "-c", command] if shell else command)
    start = time.perf_counter()
    process = subprocess.Popen(wrapped, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        log(f"  timed out after {TIMEOUT} s: {command if shell else ' '.join(command)}")
        return Sample(TIMEOUT, 0.0, 0.0, 0, -9, timed_out=True)
    wall = time.perf_counter() - start
    text = open(report).read()
    field = lambda name: re.search(re.escape(name) + r":\s*([\d.]+)", text).group(1)
    sample = Sample(wall, float(field("User time (seconds)")), float(field("System time (seconds)")),
                    int(field("Maximum resident set size (kbytes)")), process.returncode)
    if process.returncode in (128 + signal.SIGTERM, 128 + signal.SIGKILL, 128 + signal.SIGINT) and attempts > 1:
        # Stopped by a signal from outside (a shared machine); measure again rather than fail.
        log(f"  run stopped by a signal (exit {process.returncode}); measuring again")
        return timed(command, cwd, stdout, shell, ok, attempts - 1)
    if process.returncode not in ok:
        log(stderr.decode(errors="replace")[-2000:])
        sys.exit(f"command exited {process.returncode}: {command}")
    return sample


def quick_runs(runs):
    """(short, quick): runs of a measurement taking seconds, and of one taking a fraction of a second."""
    return max(runs, 3), max(runs, 5)


def postmortem_files(root):
    """The postmortems under `root`/postmortems, as absolute paths, sorted (newest last)."""
    return sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(root, "postmortems"))
                  for f in fs if f.endswith(".md") and not f.startswith("_"))


class CommittedEdits:
    """Commits to a generated archive, dated after its HEAD; `restore` resets the branch and the
    working tree to the HEAD it started from."""

    def __init__(self, repository):
        self.repository = repository
        self.start = self.git("rev-parse", "HEAD").strip()
        self.branch = self.git("rev-parse", "--abbrev-ref", "HEAD").strip()
        self.time = int(self.git("log", "-1", "--format=%ct").strip())
        self.count = 0
        self.files = [os.path.relpath(f, repository) for f in postmortem_files(repository)]

    def git(self, *arguments, date=None):
        env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="Bench",
                   GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
        if date is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{date} +0000"
        return subprocess.run(["git", *arguments], cwd=self.repository, env=env, check=True, capture_output=True, text=True).stdout

    def edit_and_commit(self, path, message):
        self.count += 1
        with open(os.path.join(self.repository, path), "a") as handle:
            handle.write(f"\nA follow-up check confirmed the fix (revision {self.count}).\n")
        self.git("commit", "-q", "-a", "-m", message, date=self.time + 60 * self.count)

    def commit(self):
        self.edit_and_commit(self.files[-1 - self.count % 7], "Edit one postmortem")

    def merge(self):
        topic = f"topic-{self.count}"
        self.git("checkout", "-q", "-b", topic)
        self.edit_and_commit(self.files[len(self.files) // 2 - self.count % 7], "Edit on a branch")
        self.git("checkout", "-q", self.branch)
        self.edit_and_commit(self.files[-1 - self.count % 7], "Edit on main")
        self.count += 1
        self.git("merge", "-q", "--no-ff", "-m", f"Merge {topic}", topic, date=self.time + 60 * self.count)

    def restore(self):
        self.git("checkout", "-q", "-f", self.branch)
        self.git("reset", "-q", "--hard", self.start)


def measure(runs, command, cwd, before=None, **kwargs):
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(timed(command, cwd, **kwargs))
        if samples[-1].timed_out:
            return samples[-1]
    median = lambda key: statistics.median(getattr(s, key) for s in samples)
    return Sample(median("wall"), median("user"), median("sys"), int(median("rss_kb")), samples[-1].status)


# --------------------------------------------------------------------------------------------
# Reporting

def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout
    return {"nproc": os.cpu_count(), "memory": total, "cpu": cpu, "commit": commit + ("+dirty" if dirty.strip() else ""),
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "load": os.getloadavg()[0], "kernel": platform.release()}


def last_line(path, prefix):
    """The last line of a file starting with prefix (or None)."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    found = [line.strip() for line in text.splitlines() if line.strip().startswith(prefix)]
    return found[-1] if found else None


def div(a, b):
    """a / b, or infinity when b rounds to zero (tiny archives)."""
    return a / b if b > 0 else float("inf")


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    global WORK, TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=0, help="runs per measurement, median reported (default 3 for N <= 2000, else 1)")
    parser.add_argument("--work", default="/tmp/inquest-bench")
    parser.add_argument("--inquest", help="use this binary instead of building one")
    parser.add_argument("--no-install", action="store_true")
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one measured run is stopped (default 1800)")
    args = parser.parse_args()
    TIMEOUT = args.timeout
    n = args.count
    runs = args.runs or (3 if n <= 2000 else 1)
    # Runs of the measurements that are cheap enough to repeat at any N (module docstring).
    short, quick = quick_runs(runs)
    WORK = os.path.abspath(args.work)
    os.makedirs(WORK, exist_ok=True)

    ensure_tools(not args.no_install)
    inquest = os.path.abspath(args.inquest) if args.inquest else build_inquest()
    info = machine()
    if info["load"] > 0.5:
        log(f"note: load average is {info['load']:.2f} before the run; other processes compete for the {info['nproc']} cores")

    archive = os.path.join(WORK, f"archive-{n}")
    log(f"generating {n} postmortems in {archive}")
    generate(n, archive)
    files = postmortem_files(archive)
    total_bytes = sum(os.path.getsize(f) for f in files)
    file_list = os.path.join(WORK, f"files-{n}.txt")
    with open(file_list, "w") as out:
        out.write("\n".join(files) + "\n")

    rows = []  # (label, sample, docs)

    def row(label, sample, docs=n):
        rows.append((label, sample, docs))
        if sample.timed_out:
            log(f"  {label}: timed out after {TIMEOUT:.0f} s")
            return sample
        rate = docs / sample.wall if sample.wall > 0 and docs else 0
        log(f"  {label}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, {sample.rss_kb / 1024:.0f} MB"
            + (f", {rate:,.0f} docs/s" if rate else ""))
        return sample

    # Warm the page cache so neither tool pays for the first read.
    subprocess.run(f"xargs cat < {file_list} > /dev/null", shell=True)

    log(f"measuring (median of {runs} run{'s' if runs > 1 else ''} each; {short} of cold lint and cmark-gfm, {quick} of the quick rows)")
    # --strict: exit 0 only with no errors and no warnings, so the timed run also checks that the
    # generated archive is clean. Output (infos included) goes to /dev/null, as a terminal would.
    lint_cmd = [inquest, "lint", "--strict", "--no-color"]
    # --strict: a clean generated archive exits 0; warnings from rules newer than the generator
    # exit 1 and are still measured (the summary line below shows them).
    lint_ok = (0, 1)
    # Cold: the lint cache ($GIT_DIR/inquest/, README "The lint cache") removed before each run;
    # the last cold run leaves it filled for the warm run and the author's loop below.
    def clear_lint_cache(repository):
        return lambda: shutil.rmtree(os.path.join(repository, ".git", "inquest"), ignore_errors=True)
    lint = row("inquest lint (cold)", measure(short, lint_cmd, archive, before=clear_lint_cache(archive), ok=lint_ok))
    # A second run right after the first, nothing changed: answered from the lint cache.
    lint_warm = row("inquest lint (warm: run again, nothing changed)", measure(quick, lint_cmd, archive, ok=lint_ok))
    # The floor under every command: starting the process (dynamic loading, the Swift runtime,
    # libgit2's set-up) and printing the version. At 1,000 postmortems it is much of a warm lint.
    start = row("inquest --version (process start only, for scale)", measure(quick, [inquest, "--version"], archive), docs=0)
    quiet_out = os.path.join(WORK, "lint-quiet.txt")
    with open(quiet_out, "w") as out:
        lint_quiet = row("inquest lint --quiet (only errors printed)",
                         measure(short, lint_cmd + ["--quiet"], archive, before=clear_lint_cache(archive), stdout=out, ok=lint_ok))
    summary = open(quiet_out).read().strip().splitlines()[-1:] or ["?"]
    cmark = f"xargs -n {CMARK_BATCH} -P %d {' '.join(CMARK_ARGS)} < {file_list} > /dev/null"
    cmark1 = row("cmark-gfm, 1 process at a time (xargs -P1)", measure(short, cmark % 1, archive, shell=True))
    cmark2 = row("cmark-gfm, 2 processes (xargs -P2)", measure(short, cmark % 2, archive, shell=True))

    site_inquest = os.path.join(WORK, "site-inquest")
    site_hugo = os.path.join(WORK, "site-hugo")
    hugo_cmd = ["hugo", "--source", os.path.join(BENCH, "hugo"), "--contentDir", os.path.join(archive, "postmortems"),
                "--destination", site_hugo, "--cacheDir", os.path.join(WORK, "hugo-cache"), "--noBuildLock", "--quiet"]
    # Hugo writes generated resources next to its config by default; keep Benchmarks/hugo/ clean.
    os.environ["HUGO_RESOURCEDIR"] = os.path.join(WORK, "hugo-resources")
    build_available = has_build_command(inquest)
    build_cmd = [inquest, "build", "--output", site_inquest]
    build_log = os.path.join(WORK, "build-output.txt")  # "Built N pages (R rendered, U unchanged) …"
    clean = lambda path: (lambda: shutil.rmtree(path, ignore_errors=True))
    build = rebuild = None
    build_lines = []
    if build_available:
        with open(build_log, "w") as out:
            build = row("inquest build", measure(runs, build_cmd, archive, before=clean(site_inquest), stdout=out))
        build_lines.append(last_line(build_log, "Built"))
    else:
        log("  inquest build: not available")
    hugo = row("hugo", measure(runs, hugo_cmd, archive, before=clean(site_hugo)))
    count_pages = lambda root: sum(1 for _, _, fs in os.walk(root) for f in fs if f.endswith(".html"))
    size_mb = lambda root: sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(root) for f in fs) / 1e6

    # One postmortem changes: the newest one gains a sentence (still lint-clean). Both site
    # generators rebuild into their existing output; the linter re-lints that one file.
    changed = files[-1]
    original = open(changed, "rb").read()
    counter = [0]

    def touch():
        counter[0] += 1
        text = original.replace(b"## Resolution\n\n", b"## Resolution\n\nA follow-up check confirmed the fix (revision %d).\n\n" % counter[0], 1)
        open(changed, "wb").write(text)

    try:
        if build and not build.timed_out:
            with open(build_log, "w") as out:
                rebuild = row("inquest build, after 1 changed postmortem",
                              measure(quick, build_cmd, archive, before=touch, stdout=out), docs=0)
            build_lines.append(last_line(build_log, "Built"))
        rehugo = row("hugo, after 1 changed postmortem", measure(runs, hugo_cmd, archive, before=touch), docs=0)
        relint = row("inquest lint CHANGED_FILE, after 1 change", measure(
            quick, lint_cmd + [os.path.relpath(changed, archive)], archive, before=touch, ok=lint_ok), docs=0)

        # The pre-commit hook: the same change staged, `lint --staged` (archive-wide checks read the index).
        def touch_and_stage():
            touch()
            subprocess.run(["git", "add", os.path.relpath(changed, archive)], cwd=archive, check=True)
        staged = row("inquest lint --staged, 1 staged change", measure(
            quick, lint_cmd + ["--staged"], archive, before=touch_and_stage, ok=lint_ok), docs=0)
    finally:
        open(changed, "wb").write(original)
        subprocess.run(["git", "reset", "-q", "--", os.path.relpath(changed, archive)], cwd=archive)

    # The pull-request gate in CI: `lint --changed-since` in a fresh clone, cold and with the
    # previous run's caches restored into it (README, "CI"; same binary, so the same cache key).
    ci_clone = os.path.join(WORK, "ci-clone")
    shutil.rmtree(ci_clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", archive, ci_clone], check=True)
    ci_cmd = lint_cmd + ["--changed-since", "HEAD"]
    row("CI: inquest lint --changed-since HEAD in a fresh clone, no cache", measure(
        short, ci_cmd, ci_clone, before=clear_lint_cache(ci_clone), ok=lint_ok))

    def restore_cache():
        shutil.rmtree(os.path.join(ci_clone, ".git", "inquest"), ignore_errors=True)
        shutil.copytree(os.path.join(archive, ".git", "inquest"), os.path.join(ci_clone, ".git", "inquest"))
    # Each run in a clone of its own files: a checkout writes every file anew (new inodes and times).
    def fresh_clone_with_cache():
        shutil.rmtree(ci_clone, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", archive, ci_clone], check=True)
        restore_cache()
    row("CI: the same, the previous run's cache restored", measure(quick, ci_cmd, ci_clone, before=fresh_clone_with_cache, ok=lint_ok))
    shutil.rmtree(ci_clone, ignore_errors=True)

    # ---- BEGIN inquest serve (issue 15, deliverable 4; Benchmarks/serve_latency.py) ----
    # Save-to-visible latency of the preview at 1,000 postmortems (the target's size, whatever N).
    serve = None
    if build_available:
        serve_archive = archive if n == 1000 else os.path.join(WORK, "archive-1000")
        if serve_archive != archive:
            generate(1000, serve_archive)
        try:
            sys.path.insert(0, BENCH)
            import serve_latency
            serve = serve_latency.measure(inquest, serve_archive, edits=10)
            log(f"  inquest serve, save to visible: median {serve['median']:.3f} s, max {serve['max']:.3f} s over {serve['edits']} edits")
        except Exception as error:  # a missing `serve` command must not lose the other rows
            log(f"  inquest serve: not measured ({error})")
    # ---- END inquest serve ----

    # History: 1,000 postmortems whose final text is identical, written in 5,000 commits or in one.
    history = {}
    if not args.no_history:
        h_many, h_one = os.path.join(WORK, "history-5000"), os.path.join(WORK, "history-1")
        generate(1000, h_many, commits=5000)
        generate(1000, h_one, commits=1)
        history["lint"] = (row("history: inquest lint, 1,000 postmortems in 5,000 commits",
                               measure(runs, lint_cmd, h_many, before=clear_lint_cache(h_many), ok=lint_ok), docs=1000),
                           row("history: inquest lint, the same 1,000 in 1 commit",
                               measure(runs, lint_cmd, h_one, before=clear_lint_cache(h_one), ok=lint_ok), docs=1000))
        # One file, the cache warm (the cold rows above filled it): what reading commit authors
        # costs the author's loop when the history is long.
        def newest(repository):
            return os.path.relpath(postmortem_files(repository)[-1], repository)
        history["lint FILE"] = (row("history: inquest lint FILE (warm), 1,000 postmortems in 5,000 commits",
                                    measure(quick, lint_cmd + [newest(h_many)], h_many, ok=lint_ok), docs=0),
                                row("history: inquest lint FILE (warm), the same 1,000 in 1 commit",
                                    measure(quick, lint_cmd + [newest(h_one)], h_one, ok=lint_ok), docs=0))
        if build_available:
            out_dir = os.path.join(WORK, "site-history")
            cmd = [inquest, "build", "--output", out_dir]
            # Cold each time: no output and no caches (the history cache would otherwise answer
            # every run after the first, and the row would measure a warm build).
            def cold(repository):
                return lambda: (clean(out_dir)(), clear_lint_cache(repository)())
            history["build"] = (row("history: inquest build, 1,000 postmortems in 5,000 commits", measure(runs, cmd, h_many, before=cold(h_many)), docs=1000),
                                row("history: inquest build, the same 1,000 in 1 commit", measure(runs, cmd, h_one, before=cold(h_one)), docs=1000))
            # What a team's build on main costs once a change lands: a rebuild (the previous run's
            # output and caches kept) after one commit of one postmortem, and after a pull request
            # merged with a merge commit (one commit on its branch, one on main). Dated minutes
            # after HEAD, the same day, as consecutive commits of a team mostly are.
            landed = CommittedEdits(h_many)
            try:
                measure(1, cmd, h_many)  # the output and caches of the archive as generated
                row("history: inquest build after a commit, 1,000 postmortems in 5,000 commits",
                                             measure(quick, cmd, h_many, before=landed.commit), docs=0)
                row("history: inquest build after a merge commit, 1,000 postmortems in 5,000 commits",
                                            measure(quick, cmd, h_many, before=landed.merge), docs=0)
                # `publish` (the site of HEAD committed onto a branch), as a CI job on the main
                # branch runs it: once for the site it keeps, then after each commit.
                publish = [inquest, "publish", "--branch", "bench-pages"]
                measure(1, publish, h_many)
                row("history: inquest publish after a commit, 1,000 postmortems in 5,000 commits",
                    measure(quick, publish, h_many, before=landed.commit), docs=0)
            finally:
                landed.restore()

    # ----------------------------------------------------------------------------------------
    mb = lambda s: s.rss_kb / 1024
    done = lambda *samples: all(s is not None and not s.timed_out for s in samples)
    lines = []
    lines.append(f"### N = {n:,} postmortems ({total_bytes / n / 1024:.1f} KiB average, {total_bytes / 1e6:.1f} MB in total)")
    lines.append("")
    lines.append(f"Machine: {info['nproc']} cores, {info['memory']} RAM, {info['cpu']}; {info['date']}; "
                 f"commit {info['commit']}; load average before the run {info['load']:.2f}; "
                 f"median of {runs} run{'s' if runs > 1 else ''} ({short} for cold lint and cmark-gfm, {quick} for the "
                 f"warm lint, one-file lint and rebuild rows).")
    lines.append(f"`inquest lint` on the archive: `{summary[0]}`.")
    lines.append("")
    lines.append("| measurement | wall s | user s | sys s | CPU s | peak RSS MB | docs/s |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, s, docs in rows:
        if s.timed_out:
            lines.append(f"| {label} | > {TIMEOUT:.0f} (timed out) | | | | | |")
            continue
        rate = f"{docs / s.wall:,.0f}" if docs and s.wall > 0 else ""
        lines.append(f"| {label} | {s.wall:.2f} | {s.user:.2f} | {s.sys:.2f} | {s.cpu:.2f} | {mb(s):,.0f} | {rate} |")
    if not build_available:
        lines.append("| inquest build | inquest build: not available | | | | | |")
    lines.append("")
    lines.append(f"Output: Hugo {count_pages(site_hugo):,} HTML pages, {size_mb(site_hugo):,.0f} MB"
                 + (f"; inquest build {count_pages(site_inquest):,} HTML pages, {size_mb(site_inquest):,.0f} MB" if build else "") + ".")
    for line in build_lines:
        if line:
            lines.append(f"`inquest build` said: `{line}`")
    lines.append("")
    lines.append("| target | measured | result |")
    lines.append("| --- | --- | --- |")
    r = div(lint.cpu, cmark1.cpu)
    lines.append(f"| cold `inquest lint` CPU ≤ {TARGET_LINT_COLD:.0f}× cmark-gfm CPU | {r:.1f}× ({lint.cpu:.2f} s vs {cmark1.cpu:.2f} s) | {verdict(r <= TARGET_LINT_COLD)} |")
    r = div(lint_warm.wall, cmark2.wall)
    lines.append(f"| warm `inquest lint` wall ≤ {TARGET_LINT_WARM}× cmark-gfm wall (both on 2 cores) | {r:.1f}× ({lint_warm.wall:.2f} s vs {cmark2.wall:.2f} s; process start alone {start.wall:.3f} s) | {verdict(r <= TARGET_LINT_WARM)} |")
    lines.append(f"| `inquest lint CHANGED_FILE` ≤ {TARGET_LINT_ONE} s (target set at N=10,000) | {relint.wall:.2f} s wall, {relint.cpu:.2f} s CPU, {mb(relint):,.0f} MB | {verdict(relint.wall <= TARGET_LINT_ONE)} |")
    lines.append(f"| `inquest lint --staged`, 1 staged change ≤ {TARGET_LINT_ONE} s (target set at N=10,000) | {staged.wall:.2f} s wall, {staged.cpu:.2f} s CPU, {mb(staged):,.0f} MB | {verdict(staged.wall <= TARGET_LINT_ONE)} |")
    if not build_available:
        lines.append("| `inquest build` wall ≤ 0.25× Hugo | inquest build: not available | n/a |")
        lines.append("| `inquest build` peak RSS ≤ 0.5× Hugo | inquest build: not available | n/a |")
        lines.append(f"| rebuild after 1 changed postmortem ≤ 0.3 s | inquest build: not available (Hugo {rehugo.wall:.2f} s) | n/a |")
    elif not done(build):
        lines.append(f"| `inquest build` wall ≤ 0.25× Hugo | > {TIMEOUT:.0f} s (timed out) vs {hugo.wall:.2f} s | MISS |")
        lines.append("| `inquest build` peak RSS ≤ 0.5× Hugo | timed out | MISS |")
        lines.append("| rebuild after 1 changed postmortem ≤ 0.3 s | not run (first build timed out) | MISS |")
    else:
        r = div(build.wall, hugo.wall)
        lines.append(f"| `inquest build` wall ≤ 0.25× Hugo | {r:.2f}× ({build.wall:.2f} s vs {hugo.wall:.2f} s) | {verdict(r <= TARGET_BUILD)} |")
        r = div(build.rss_kb, hugo.rss_kb)
        lines.append(f"| `inquest build` peak RSS ≤ 0.5× Hugo | {r:.2f}× ({mb(build):,.0f} MB vs {mb(hugo):,.0f} MB) | {verdict(r <= TARGET_MEMORY)} |")
        if done(rebuild):
            lines.append(f"| rebuild after 1 changed postmortem ≤ 0.3 s | {rebuild.wall:.2f} s (Hugo {rehugo.wall:.2f} s) | {verdict(rebuild.wall <= TARGET_REBUILD)} |")
        else:
            lines.append(f"| rebuild after 1 changed postmortem ≤ 0.3 s | > {TIMEOUT:.0f} s (timed out) | MISS |")
    # ---- BEGIN inquest serve (issue 15, deliverable 4) ----
    if serve:
        lines.append(f"| `inquest serve`: save to visible in the page ≤ {TARGET_SERVE} s (1,000 postmortems, median of {serve['edits']}) | "
                     f"{serve['median']:.3f} s (p90 {serve['p90']:.3f} s, max {serve['max']:.3f} s) | {verdict(serve['median'] <= TARGET_SERVE)} |")
    else:
        lines.append(f"| `inquest serve`: save to visible in the page ≤ {TARGET_SERVE} s (1,000 postmortems) | not measured | MISS |")
    # ---- END inquest serve ----
    lines.append("")
    lines.append("| ratio | value |")
    lines.append("| --- | ---: |")
    lines.append(f"| inquest lint / cmark-gfm, wall (2 cores each) | {div(lint.wall, cmark2.wall):.1f}× |")
    lines.append(f"| inquest lint / cmark-gfm, wall (inquest on 2 cores, cmark-gfm on 1) | {div(lint.wall, cmark1.wall):.1f}× |")
    lines.append(f"| inquest lint / cmark-gfm, CPU | {div(lint.cpu, cmark1.cpu):.1f}× |")
    lines.append(f"| inquest lint --quiet / cmark-gfm, wall (2 cores each) | {div(lint_quiet.wall, cmark2.wall):.1f}× |")
    lines.append(f"| inquest lint / cmark-gfm, peak RSS | {div(lint.rss_kb, cmark1.rss_kb):.1f}× |")
    lines.append(f"| inquest lint warm / cold, wall | {div(lint_warm.wall, lint.wall):.2f}× |")
    if done(build):
        lines.append(f"| inquest build / hugo, wall | {div(build.wall, hugo.wall):.2f}× |")
        lines.append(f"| inquest build / hugo, CPU | {div(build.cpu, hugo.cpu):.2f}× |")
        lines.append(f"| inquest build / hugo, peak RSS | {div(build.rss_kb, hugo.rss_kb):.2f}× |")
    if done(rebuild, rehugo):
        lines.append(f"| inquest build / hugo, rebuild after 1 change | {div(rebuild.wall, rehugo.wall):.2f}× |")
    for tool, (many, one) in history.items():
        if done(many, one):
            lines.append(f"| history: inquest {tool}, 5,000 commits / 1 commit (1,000 postmortems) | "
                         f"{div(many.wall, one.wall):.2f}× ({many.wall - one.wall:+.2f} s) |")
    if done(build, hugo):
        # Issue 15, build side: cold build against Hugo, no-op / body-edit / root_causes-edit
        # rebuilds (Benchmarks/rebuild.py; it restores the archive's files afterwards).
        sys.path.insert(0, BENCH)
        import rebuild as rebuild_rows
        log("measuring rebuilds (Benchmarks/rebuild.py)")
        measured = rebuild_rows.measure(inquest, archive, WORK, runs, hugo=False, log=log)
        measured["hugo"] = hugo
        lines += ["", f"#### Rebuilds at N = {n:,} (issue 15 targets)", ""] + rebuild_rows.report(n, measured)
    # The language server on this archive (no targets in issue 15: reported for the editor loop).
    # Its session starts from the lint cache, warm after the lint rows above.
    try:
        sys.path.insert(0, BENCH)
        import lsp_latency
        lsp = {section: lsp_latency.measure(inquest, archive, edits=20, section=section) for section in ("Summary", "Root Causes")}
        lines += ["", f"#### Language server at N = {n:,} (`Benchmarks/lsp_latency.py`, lint cache warm; no target)", "",
                  "| measurement | median | p90 | max |", "| --- | ---: | ---: | ---: |",
                  f"| open a postmortem → first diagnostics | {lsp['Summary']['open']:.0f} ms | | |"]
        for section, result in lsp.items():
            lines.append(f"| keystroke in {section} → diagnostics ({result['edits']} keystrokes) | {result['median']:.1f} ms | "
                         f"{result['p90']:.1f} ms | {result['max']:.1f} ms |")
        log(f"  inquest lsp: open {lsp['Summary']['open']:.0f} ms; keystroke {lsp['Summary']['median']:.1f} ms (Summary), "
            f"{lsp['Root Causes']['median']:.1f} ms (Root Causes)")
    except Exception as error:  # the editor rows must not lose the others
        log(f"  inquest lsp: not measured ({error})")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(WORK, f"results-{n}.md"), "w") as out:
        out.write(text + "\n")
    log(f"\n(written to {os.path.join(WORK, f'results-{n}.md')})")


WORK = "/tmp/inquest-bench"
TIMEOUT = 1800.0

if __name__ == "__main__":
    main()
