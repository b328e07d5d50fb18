#!/usr/bin/env python3
"""Checks a built site the way its readers meet it at scale.

    python3 Scripts/check-site.py SITE [--max-page-kb 300] [--max-first-query-kb 300]

Reports the largest generated pages (HTML, feed), fails when one is larger than the budget,
reports what the search page downloads before the first query can run (search.html, its
scripts, the search manifest and the shards a one-word query loads), and checks every relative
link and fragment of every HTML page (0 broken links). Standard library only.
"""

import argparse
import html.parser
import os
import sys
import urllib.parse


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if key in attrs and attrs[key] is not None:
                self.links.append(attrs[key])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--max-page-kb", type=int, default=300)
    parser.add_argument("--max-first-query-kb", type=int, default=300)
    args = parser.parse_args()
    root = os.path.abspath(args.site)

    sizes = []
    pages = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if rel.startswith(".git" + os.sep) or rel.startswith("assets" + os.sep):
                continue
            size = os.path.getsize(path)
            if name.endswith((".html", ".xml", ".js")):
                sizes.append((size, rel))
            if name.endswith(".html"):
                pages[rel] = path
    sizes.sort(reverse=True)
    failures = []
    print(f"{len(pages)} HTML pages, {len(sizes)} generated pages and scripts")
    print("largest:")
    for size, rel in sizes[:8]:
        print(f"  {size / 1024:8.1f} KB  {rel}")
    for size, rel in sizes:
        # Search shards are budgeted by the first-query check below, pages by this one.
        if size > args.max_page_kb * 1024 and not rel.startswith("search" + os.sep):
            failures.append(f"{rel} is {size / 1024:.0f} KB (budget {args.max_page_kb} KB)")

    # First query: the search page, the scripts it loads, the manifest and the shards the query
    # "database" needs (search.js loads shards by the first letters of each stemmed term).
    first = 0
    for rel in ("search.html", "assets/search.js", "assets/site.js", "assets/site.css", "search/manifest.js"):
        path = os.path.join(root, rel)
        if os.path.exists(path):
            first += os.path.getsize(path)
    shard_folder = os.path.join(root, "search")
    shard = None
    if os.path.isdir(shard_folder):
        for candidate in ("t-da.js", "t-d.js"):
            path = os.path.join(shard_folder, candidate)
            if os.path.exists(path):
                shard = path
                break
        legacy = None
    else:
        legacy = os.path.join(root, "search-index.js")
    if shard:
        first += os.path.getsize(shard)
    elif legacy and os.path.exists(legacy):
        first += os.path.getsize(legacy)
    print(f"first query download (page, scripts, manifest, one shard): {first / 1024:.1f} KB")
    if first > args.max_first_query_kb * 1024:
        failures.append(f"first query downloads {first / 1024:.0f} KB (budget {args.max_first_query_kb} KB)")

    # Links and fragments.
    ids = {}
    links = {}
    for rel, path in pages.items():
        parser = Links()
        with open(path, encoding="utf-8") as handle:
            parser.feed(handle.read())
        ids[rel] = parser.ids
        links[rel] = parser.links
    broken = []
    for rel, hrefs in links.items():
        base = os.path.dirname(rel)
        for href in hrefs:
            parsed = urllib.parse.urlsplit(href)
            if parsed.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            if rel == "404.html" and href.startswith("/"):
                continue
            target = rel if parsed.path == "" else os.path.normpath(os.path.join(base, urllib.parse.unquote(parsed.path)))
            full = os.path.join(root, target)
            if not os.path.exists(full):
                broken.append(f"{rel}: {href}")
                continue
            if parsed.fragment and target.endswith(".html") and parsed.fragment not in ids.get(target, set()):
                broken.append(f"{rel}: {href} (no #{parsed.fragment})")
    print(f"broken links: {len(broken)}")
    for line in broken[:20]:
        print("  " + line)
    failures += [f"broken link {line}" for line in broken[:20]]
    if failures:
        print("FAIL")
        for line in failures[:40]:
            print("  " + line)
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
