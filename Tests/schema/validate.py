#!/usr/bin/env python3
"""Validates YAML documents against an Inquest JSON Schema with the `jsonschema` package.

    validate.py config SCHEMA.json inquest.yml [more.yml …]
    validate.py front-matter SCHEMA.json post.md [more.md …]
    validate.py json SCHEMA.json document.json [more.json …]
    validate.py serve

Configuration files are read with PyYAML's safe loader (booleans are booleans). Front-matter is
read with the base loader, which keeps every scalar a string, as Inquest's own parser does (so
`date: 2025-03-04` is the string the schema describes, not a date object); `json` validates whole
JSON documents (`inquest export`). Prints one line per problem and exits 1 when any document is
invalid, 2 on usage errors.

`serve` answers many validations from one process (the tests start Python and import jsonschema
once, not once per check): each line read is a JSON array of the arguments above, and each
answer is one JSON line, {"status": N, "output": "..."}, with what that command would have printed
and its exit status.
"""
import io
import json
import sys

import jsonschema
import yaml


def front_matter(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("no front-matter")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index])
    raise ValueError("unterminated front-matter")


def main(argv, out=sys.stdout, err=sys.stderr):
    if len(argv) == 2 and argv[1] == "serve":
        return serve()
    if len(argv) < 4 or argv[1] not in ("config", "front-matter", "json"):
        print(__doc__, file=err)
        return 2
    kind, schema_path, paths = argv[1], argv[2], argv[3:]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if kind == "config":
            document = yaml.safe_load(text) or {}
        elif kind == "json":
            document = json.loads(text)
        else:
            document = yaml.load(front_matter(text), Loader=yaml.BaseLoader) or {}
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            failures += 1
            where = "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: {where or '(root)'}: {error.message}", file=out)
    print(f"validated {len(paths)} {kind} document(s): {failures} problem(s)", file=out)
    return 1 if failures else 0


def serve():
    for line in sys.stdin:
        output = io.StringIO()
        try:
            status = main(["validate.py"] + json.loads(line), out=output, err=output)
        except Exception as error:  # a bad schema or an unreadable file: reported like a crash would be
            print(f"{type(error).__name__}: {error}", file=output)
            status = 1
        sys.stdout.write(json.dumps({"status": status, "output": output.getvalue()}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
