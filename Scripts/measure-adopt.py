#!/usr/bin/env python3
"""Measures `inquest adopt` on the real archives in ../shared/corpora (the development set).

For each corpus: copy it into a temporary git repository (never into the project), lint it,
run `inquest adopt --write-config`, lint again, and print lint diagnostics by rule before and
after, per document and in total. Skips cleanly when ../shared/corpora is absent.

Usage: python3 Scripts/measure-adopt.py [--binary .build/debug/inquest] [--per-document]
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(os.path.dirname(ROOT), "shared", "corpora")


def lint(binary, repo):
    run = subprocess.run([binary, "lint", "--format", "json"], cwd=repo, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"lint failed ({run.returncode}): {run.stderr}")
    by_file = collections.defaultdict(collections.Counter)
    for diagnostic in json.loads(run.stdout)["diagnostics"]:
        by_file[diagnostic["file"]][diagnostic["rule"]] += 1
    return by_file


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Archive Import", GIT_AUTHOR_EMAIL="import@example.com",
               GIT_COMMITTER_NAME="Archive Import", GIT_COMMITTER_EMAIL="import@example.com",
               GIT_CONFIG_NOSYSTEM="1", HOME=repo)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def measure(binary, corpus, per_document):
    with tempfile.TemporaryDirectory(prefix="inquest-adopt-") as base:
        repo = os.path.join(base, "repo")
        folder = os.path.join(repo, "postmortems")
        shutil.copytree(os.path.join(CORPORA, corpus), folder, ignore=shutil.ignore_patterns("LICENSE"))
        for dirpath, _, names in os.walk(repo):
            os.chmod(dirpath, 0o755)
            for name in names:
                os.chmod(os.path.join(dirpath, name), 0o644)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "import")
        before = lint(binary, repo)
        adopt = subprocess.run([binary, "adopt", "--write-config"], cwd=repo, capture_output=True, text=True)
        if adopt.returncode != 0:
            sys.exit(f"adopt failed ({adopt.returncode}): {adopt.stderr}")
        after = lint(binary, repo)
        again = subprocess.run([binary, "adopt", "--dry-run"], cwd=repo, capture_output=True, text=True)
        idempotent = again.returncode == 0 and again.stdout == ""
        files = sorted(set(before) | set(after))
        total_before, total_after = collections.Counter(), collections.Counter()
        for name in files:
            total_before.update(before[name])
            total_after.update(after[name])
        print(f"## {corpus}: {len(files)} documents with diagnostics; second run changes nothing: {idempotent}")
        print("| rule | before | after |")
        print("| --- | --- | --- |")
        for rule in sorted(set(total_before) | set(total_after)):
            print(f"| `{rule}` | {total_before[rule]} | {total_after[rule]} |")
        print(f"| total | {sum(total_before.values())} | {sum(total_after.values())} |")
        if per_document:
            print()
            for name in files:
                rules = sorted(set(before[name]) | set(after[name]))
                cells = ", ".join(f"{rule} {before[name][rule]}→{after[name][rule]}" for rule in rules)
                print(f"- {os.path.basename(name)}: {cells}")
        print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "inquest"))
    parser.add_argument("--per-document", action="store_true")
    options = parser.parse_args()
    if not os.path.isdir(CORPORA):
        print(f"skipped: no development set at {CORPORA}")
        return
    binary = os.path.abspath(options.binary)
    for corpus in sorted(os.listdir(CORPORA)):
        if os.path.isdir(os.path.join(CORPORA, corpus)):
            measure(binary, corpus, options.per_document)


if __name__ == "__main__":
    main()
