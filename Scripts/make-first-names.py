#!/usr/bin/env python3
"""Generates Sources/InquestBlameless/FirstNameData.swift, the first-name lexicon of the blameless rules.

Run once by hand when the list should change; the output is committed, so builds and CI never
need the inputs:

    python3 -m pip install names==0.3.0        # ships the US Census 1990 first-name files
    apt-get install wamerican                  # /usr/share/dict/words, to drop everyday words
    python3 Scripts/make-first-names.py > Sources/InquestBlameless/FirstNameData.swift

Source: the 1990 US Census name-frequency files `dist.male.first` and `dist.female.first`
(a work of the US government, public domain), as shipped in the PyPI package `names` 0.3.0
(MIT). A first name is dropped when it is a term common in postmortems (STOP), a frequent name
that is also an everyday word starting sentences ("Will", "Mark", "May", "Grant": AMBIGUOUS), or
a rarer name whose lowercase form is an everyday English word in /usr/share/dict/words. Dropped
names still count when configured in `blameless.people`. The output is deterministic (sorted).
"""
import importlib.util
import os
import sys

STOP = {
    # product, tool and infrastructure names that are also census first names
    "jenkins", "travis", "circle", "buddy", "drone", "harness", "ruby", "helm", "consul", "vault", "nova",
    "kafka", "flux", "argo", "ansible", "terra", "claude", "devin", "hugo",
    "mercedes", "tesla", "alexa", "siri", "cortana", "echo", "zoom", "slack", "teams", "gitlab",
    "sentry", "grafana", "loki", "tempo", "mimir", "jaeger", "envoy", "linkerd", "cilium", "calico",
    "traefik", "kong", "apache", "redis", "mongo", "cassandra", "elastic", "kibana", "logstash",
    "beats", "celery", "django", "flask", "rails", "sidekiq", "resque", "jest", "mocha", "karma",
    "jasmine", "chai", "sinon", "cypress", "selenium", "puppet", "chef", "salt", "vagrant", "packer",
    "nomad", "boundary", "waypoint", "sherlock", "watson", "dell", "lenovo", "ara", "ami", "cron", "lambda",
    "aurora", "athena", "neptune", "dynamo", "hermes", "apollo", "artemis", "atlas", "delta", "sierra",
    "india", "golf", "hotel", "kilo", "lima", "alpha", "bravo", "foxtrot", "tango", "uniform", "whiskey",
    "xray", "yankee", "zulu",
    # months, days and seasons
    "january", "february", "april", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "summer", "autumn", "winter", "spring",
    # words of running prose that the dictionary lists only capitalised
    "christian", "german", "english", "french", "america", "asia", "africa", "china", "georgia",
    "virginia", "carolina", "dakota", "florida", "indiana", "jersey", "kansas", "kentucky", "london",
    "paris", "sydney", "york", "cleveland", "houston", "phoenix", "austin", "dallas", "denver",
    "ireland", "israel", "lorraine", "madison", "memphis", "orlando", "savannah",
    "easter", "christmas", "king", "major", "young", "long", "love", "joy", "hope", "page", "post",
    "ok", "la", "le", "de", "del", "an", "in", "on", "so", "ma", "pa", "ha", "lu", "ai", "ml", "ci",
    "cd", "pr", "qa", "ops", "dev", "sre", "dba", "api", "aws", "gcp", "dns", "tls", "ssl", "ssh",
}

# Frequent first names that are also everyday words and start sentences or name things in
# postmortems ("Will", "Mark the ticket", "Grant access", "Max connections"): never names here.
AMBIGUOUS = {
    "mark", "frank", "jack", "dale", "ray", "don", "bill", "dean", "glen", "gene", "angel", "lance", "guy",
    "max", "grant", "earnest", "earl", "rose", "ruby", "crystal", "dawn", "grace", "holly", "sue",
    "rosemary", "pearl", "joy", "penny", "brandy", "violet", "misty", "sandy", "iris", "opal", "pat",
    "will", "may", "chase", "drew", "art", "bob", "rich", "price", "page", "lane", "cliff", "hope",
    "faith", "june", "april", "august", "summer", "ivy", "lily", "daisy", "hazel", "heather", "melody",
    "victor", "homer", "warren", "wade", "sherry", "brad", "chad", "patsy", "patty", "flora", "viola",
    "robin", "carol",
}
# A name in the first TOP lines of a census file is kept even when it is a dictionary word
# ("john", "peter", "terry"): as a capitalised subject of an action verb it is almost always a person.
TOP = 400


def census_dir():
    spec = importlib.util.find_spec("names")
    if spec is None or not spec.origin:
        sys.exit("make-first-names: install the PyPI package 'names' (python3 -m pip install names==0.3.0)")
    return os.path.dirname(spec.origin)


def main():
    words_path = "/usr/share/dict/words"
    if not os.path.exists(words_path):
        sys.exit("make-first-names: needs /usr/share/dict/words (apt-get install wamerican)")
    everyday = set()
    with open(words_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            word = line.strip()
            if word and word[0].islower():
                everyday.add(word.lower().replace("'s", ""))
    folder = census_dir()
    names = set()
    for filename in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(folder, filename), encoding="ascii") as handle:
            for rank, line in enumerate(handle):
                parts = line.split()
                if not parts:
                    continue
                name = parts[0].lower()
                if len(name) < 3 or not name.isalpha() or name in STOP or name in AMBIGUOUS:
                    continue
                if name in everyday and rank >= TOP:
                    continue
                names.add(name)
    ordered = sorted(names)
    out = sys.stdout
    out.write("// Generated by Scripts/make-first-names.py from the 1990 US Census first-name files\n")
    out.write("// (US government work, public domain) as shipped in the PyPI package `names` 0.3.0 (MIT).\n")
    out.write("// Everyday English words are left out (see the script). Do not edit by hand.\n\n")
    out.write("extension WordClass {\n")
    out.write(f"    /// {len(ordered)} first names, lowercase: a capitalised one in subject position is a person.\n")
    out.write("    static let censusFirstNames: Set<String> = Set(\"\"\"\n")
    line = "        "
    for name in ordered:
        if len(line) + len(name) + 1 > 110:
            out.write(line.rstrip() + "\n")
            line = "        "
        line += name + " "
    out.write(line.rstrip() + "\n")
    # Split on the bytes: splitting 35 KB character by character cost a one-file lint 8%.
    out.write("        \"\"\".utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A }).map { String(decoding: $0, as: UTF8.self) })\n")
    out.write("}\n")


if __name__ == "__main__":
    main()
