#!/usr/bin/env python3
"""`inquest lsp` driven by a third-party LSP client: pygls's LanguageClient (PyPI `pygls`, 2.x).

    python3 Tests/lsp/test_pygls_client.py path/to/inquest

Unlike Tests/lsp/test_lsp.py (our own minimal client), every message here is built, framed,
parsed and type-checked by pygls and lsprotocol (the LSP 3.17 types), and the quick fix is applied
to the buffer by pygls's own TextDocument (UTF-16 positions), as an editor would. The script
builds a small archive, opens a postmortem with a fixable error (a status one letter off), waits
for the diagnostics, requests code actions, applies the quick fix, sends the change, and checks
the diagnostic is gone; then shuts the server down. Exits 0 and prints "pygls: all checks passed",
or 1 with the failed check. Exits 77 when pygls is not installed (the Makefile installs it).
"""
import asyncio
import os
import pathlib
import sys
import tempfile

try:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient
    from pygls.workspace import TextDocument
except ImportError:  # pragma: no cover - reported by the Swift test as a skip
    print("pygls is not installed (python3 -m pip install pygls)")
    sys.exit(77)

FRONT = ("---\ntitle: {title}\ndate: {date}\nstatus: {status}\nseverity: SEV2\nauthors: [Test Author]\n"
         "services: [checkout]\nstarted: \"{date}T10:00:00Z\"\nresolved: \"{date}T10:45:00Z\"\n"
         "root_causes: [pool-limits]\n---\n")
BODY = """
## Summary

Checkout requests slowed down — for forty minutes 🔥 — after a configuration change reduced the pool.

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


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


async def run(binary, root):
    client = LanguageClient("inquest-test", "1")
    published = {}
    arrived = asyncio.Condition()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def on_diagnostics(params: types.PublishDiagnosticsParams):
        async with arrived:
            published[(params.uri, params.version)] = params.diagnostics
            arrived.notify_all()

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_message(params: types.ShowMessageParams):
        published.setdefault("messages", []).append(params.message)

    async def diagnostics(uri, version):
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: (uri, version) in published), timeout=15)
        return published[(uri, version)]

    await client.start_io(binary, "lsp", cwd=str(root))
    try:
        result = await client.initialize_async(types.InitializeParams(
            process_id=os.getpid(), root_uri=root.as_uri(),
            capabilities=types.ClientCapabilities(general=types.GeneralClientCapabilities(
                position_encodings=[types.PositionEncodingKind.Utf16]))))
        check(result.capabilities.code_action_provider is not None, "the server offers code actions")
        check(result.capabilities.position_encoding in (None, types.PositionEncodingKind.Utf16),
              f"UTF-16 positions when the client only offers them: {result.capabilities.position_encoding}")
        client.initialized(types.InitializedParams())

        path = root / "postmortems" / "2025" / "2025-05-05-checkout.md"
        uri = path.as_uri()
        text = FRONT.format(title="Checkout latency", date="2025-05-05", status="finall") + BODY
        # pygls's default position codec is UTF-16, the encoding negotiated above.
        document = TextDocument(uri, text, version=1)
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))

        found = await diagnostics(uri, 1)
        status = [d for d in found if d.code == "schema/invalid-value"]
        check(len(status) == 1, f"one diagnostic for 'finall': {[(d.code, d.message) for d in found]}")
        check(status[0].range.start == types.Position(line=3, character=8), f"range of the value: {status[0].range}")
        check(status[0].severity == types.DiagnosticSeverity.Error, "an error")
        check(status[0].code_description is not None
              and status[0].code_description.href == "https://docs.example.com/inquest/schema/invalid-value.html",
              f"a link to the rule's documentation from docs_url: {status[0].code_description}")

        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=status[0].range,
            context=types.CodeActionContext(diagnostics=status)))
        fixes = [a for a in actions or [] if isinstance(a, types.CodeAction) and a.edit is not None]
        check(len(fixes) == 1, f"one quick fix for the status: {[a.title for a in actions or []]}")
        check(fixes[0].kind == types.CodeActionKind.QuickFix and fixes[0].is_preferred, "a preferred quick fix")
        explain = [a for a in actions if isinstance(a, types.Command)]
        check([list(a.arguments or []) for a in explain] == [["schema/invalid-value"]],
              f"an explain action for the rule: {actions!r}")

        # Apply the workspace edit to the buffer as an editor does (pygls's TextDocument).
        for edit in fixes[0].edit.changes[uri]:
            document.apply_change(types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text))
        check("status: final\n" in document.source, "the fix was applied:\n" + document.source[:200])
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=document.source)]))
        after = await diagnostics(uri, 2)
        check(not any(d.code == "schema/invalid-value" for d in after),
              f"the fixed diagnostic is gone: {[(d.code, d.message) for d in after]}")
        check(len(after) == 0, f"nothing else remains: {[(d.code, d.message) for d in after]}")

        # The explain action runs on the server and shows the rule's documentation.
        command = explain[0]
        shown = await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command=command.command, arguments=command.arguments))
        check(isinstance(shown, str) and "schema/invalid-value" in shown, f"the explanation is returned: {shown!r}")
        check(any("schema/invalid-value" in m for m in published.get("messages", [])), "and shown to the user")

        await client.shutdown_async(None)
        client.exit(None)
        code = await asyncio.wait_for(client._server.wait(), timeout=10)
        check(code == 0, f"exit after shutdown ends with status 0, not {code}")
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()


def main(binary):
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        (root / "postmortems/2025").mkdir(parents=True)
        # docs_url gives each diagnostic its codeDescription link ({rule} is the rule id).
        (root / "inquest.yml").write_text("blameless: {git_authors: false}\ndocs_url: https://docs.example.com/inquest/{rule}.html\n")
        (root / "postmortems/causes.yml").write_text(
            "pool-limits:\n  title: Pool limits\n  description: Connection pools had no lower bound.\n")
        try:
            asyncio.run(asyncio.wait_for(run(binary, root), timeout=60))
        except Failed as failure:
            print("FAIL: " + str(failure))
            sys.exit(1)
    print("pygls: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(os.path.abspath(sys.argv[1]))
