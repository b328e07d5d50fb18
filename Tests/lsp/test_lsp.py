#!/usr/bin/env python3
"""End-to-end test of `inquest lsp` with a real LSP client (Tests/lsp/lsp_client.py).

    python3 Tests/lsp/test_lsp.py path/to/inquest

Builds a small archive in a temporary folder, opens a postmortem as an editor would, and checks:
diagnostics arrive on open and reflect the whole archive (and unsaved text), the code actions
apply the rules' fixes and the fixed diagnostics go away, hover explains a diagnostic, completion
offers front-matter keys, configured severities and cause ids with titles, and shutdown/exit end
the server with status 0. Exits 1 with a message on the first failed check.
"""
import os
import pathlib
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import LSPClient  # noqa: E402

BODY = """
## Summary

Checkout requests slowed down for forty minutes after a configuration change reduced the pool.

## Impact

About 3% of checkout requests took longer than five seconds.

## Timeline

All times in UTC.

- 10:00 — A configuration change reduced the pool size.
- 10:40 — The change was reverted and latency recovered.

## Root Causes

The pool size had no lower bound in the configuration schema.

## Resolution

The change was reverted.

## Action Items

- [ ] Add a lower bound to the pool size setting — @platform, PLAT-12, due: 2025-04-01
"""


def postmortem(title, date, extra):
    return (f"---\ntitle: {title}\ndate: {date}\nstatus: final\nseverity: P2\nauthors: [Test Author]\n"
            f"services: [checkout]\nstarted: \"{date}T10:00:00Z\"\nresolved: \"{date}T10:45:00Z\"\n{extra}---\n" + BODY)


def check(condition, message):
    if not condition:
        print("FAIL: " + message)
        sys.exit(1)


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 positions; this text is ASCII) from last to first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    def offset(position):
        return offsets[position["line"]] + position["character"]
    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def main(binary):
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        (root / "postmortems/2025").mkdir(parents=True)
        (root / "inquest.yml").write_text("schema:\n  severities: [P0, P1, P2, P3]\nblameless: {git_authors: false}\n")
        (root / "postmortems/causes.yml").write_text(
            "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n  aliases: [pool-size]\n")
        (root / "postmortems/2025/2025-03-04-a.md").write_text(postmortem("First", "2025-03-04", "root_causes: [pool-limits]\n"))
        edited = root / "postmortems/2025/2025-05-05-b.md"
        text = postmortem("Second", "2025-05-05", "root_causes: [pool-size]\nrelated: [2025-03-04-a]\n").replace("status: final", "status: finall")
        edited.write_text(postmortem("Second", "2025-05-05", "root_causes: [pool-limits]\n"))
        uri = edited.as_uri()

        client = LSPClient([binary, "lsp"], cwd=folder)
        try:
            result = client.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                                   "capabilities": {"general": {"positionEncodings": ["utf-16"]}}})
            capabilities = result["capabilities"]
            check(capabilities["textDocumentSync"]["change"] == 1, "full document sync")
            check("codeActionProvider" in capabilities and capabilities["hoverProvider"], "code actions and hover")
            client.notify("initialized", {})

            # Open: the unsaved text (not the file on disk) is linted, with the archive around it.
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
            diagnostics = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"]
            codes = sorted(d["code"] for d in diagnostics)
            check("schema/invalid-value" in codes, f"status 'finall' is reported: {codes}")
            check("causes/unknown" in codes, f"the alias is reported: {codes}")
            check("links/related-unknown" not in codes, "related ids resolve against the files on disk")
            status = next(d for d in diagnostics if d["code"] == "schema/invalid-value")
            check(status["range"]["start"] == {"line": 3, "character": 8}, f"range of the status value: {status['range']}")
            check(status["severity"] == 1 and status["source"] == "inquest", "an error from inquest")

            # Hover on the diagnostic explains the rule.
            hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}})
            check(hover is not None and "schema/invalid-value" in hover["contents"]["value"], f"hover explains: {hover}")

            # Code actions: the rules' fixes, applied like an editor does.
            actions = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 200, "character": 0}},
                "context": {"diagnostics": diagnostics}})
            fixes = [a for a in actions if "edit" in a]
            check(len(fixes) >= 2, f"a fix for the status and for the alias: {[a['title'] for a in actions]}")
            explains = [a["arguments"] for a in actions if a.get("command") == "inquest.explain"]
            check(["schema/invalid-value"] in explains and ["causes/unknown"] in explains, f"explain actions: {explains}")
            edits = [edit for action in fixes for edit in action["edit"]["changes"][uri]]
            fixed = apply_edits(text, edits)
            check("status: final\n" in fixed and "root_causes: [pool-limits]" in fixed, "the fixes were applied:\n" + fixed[:300])
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]})
            after = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 2)["diagnostics"]
            remaining = sorted(d["code"] for d in after)
            check("schema/invalid-value" not in remaining and "causes/unknown" not in remaining, f"fixed diagnostics are gone: {remaining}")

            # The whole archive around the buffer: an id that no file has is reported as you type.
            broken = fixed.replace("related: [2025-03-04-a]", "related: [2025-03-04-x]")
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": broken}]})
            linked = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 3)["diagnostics"]
            check(any(d["code"] == "links/related-unknown" for d in linked), f"related id checked against the archive: {linked}")

            # Completion in the front-matter.
            lines = broken.split("\n")
            severity_line = next(i for i, line in enumerate(lines) if line.startswith("severity:"))
            items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                              "position": {"line": severity_line, "character": len("severity: ")}})["items"]
            check([i["label"] for i in items] == ["P0", "P1", "P2", "P3"], f"configured severities: {items}")
            cause_line = next(i for i, line in enumerate(lines) if line.startswith("root_causes:"))
            items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                              "position": {"line": cause_line, "character": len("root_causes: [")}})["items"]
            check({"label": "pool-limits", "detail": "Pool limits"}.items() <= items[0].items(), f"cause ids with titles: {items}")
            # A new, empty line in the front-matter: the keys not used yet.
            with_blank = broken.replace("\n---\n\n## Summary", "\n\n---\n\n## Summary", 1)
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": with_blank}]})
            blank = with_blank.split("\n").index("", 1)
            keys = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": blank, "character": 0}})["items"]
            labels = [i["label"] for i in keys]
            check("tags" in labels and "title" not in labels and "severity" not in labels, f"keys not yet present: {labels}")
            body = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": len(lines) - 2, "character": 0}})["items"]
            check(body == [], "no completion outside the front-matter")

            check(client.request("shutdown", None) is None, "shutdown answers null")
            client.notify("exit", None)
            client.process.stdin.close()
            check(client.process.wait(timeout=10) == 0, "exit after shutdown ends with status 0")
        finally:
            client.close()
    print("lsp: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
