/// `syntax/control-characters`: invisible control characters (ESC, BEL, backspace, …) in a postmortem.
public struct ControlCharactersRule: DocumentRule {
    public let id = "syntax/control-characters"
    public let defaultSeverity = Severity.warning
    public var documentation: RuleDocumentation { Self.documentationValue }
    private static let documentationValue = RuleDocumentation(
        summary: "postmortems contain no control characters other than tab and line breaks",
        rationale: "Control characters such as ESC or BEL usually arrive by pasting terminal output. They are invisible in an editor, XML forbids them, so a feed reader rejects the whole Atom feed that carries one, and the site has to replace them. Remove them, or describe the key press in words.",
        triggering: [RuleExample(focus: "title: \"Pager \\u001B[31mred\\u001B[0m\"",
                                 document: ExampleDocument.make(fields: ["title": "Pager \u{1B}[31mred\u{1B}[0m alert"]),
                                 otherFiles: ExampleDocument.catalogueFiles)],
        passing: [ExampleDocument.example("title: Pager alert shown in red", fields: ["title": "Pager alert shown in red"])])

    public init() {}

    public func check(_ postmortem: Postmortem, context: RuleContext, into findings: inout Findings) {
        // A binary or non-UTF-8 file is `syntax/encoding`'s to report, once.
        guard !postmortem.syntaxProblems.contains(where: { $0.kind == .encoding }) else { return }
        let bytes = postmortem.source.bytes
        var runs: [Range<Int>] = []
        bytes.withUnsafeBytes { raw in
            var index = 0
            while index < raw.count {
                // Words of eight bytes with no candidate are skipped; a candidate word (a line
                // break is one) is read byte by byte.
                let word = ByteSearch.firstControlCandidate(raw, from: index)
                var k = word
                let end = min(raw.count, word + 8)
                while k < end {
                    guard Self.isControl(raw[k]) else { k += 1; continue }
                    // A run of control bytes (an escape sequence's ESC plus another) is one finding.
                    var runEnd = k + 1
                    while runEnd < raw.count, Self.isControl(raw[runEnd]) { runEnd += 1 }
                    runs.append(k..<runEnd)
                    k = runEnd
                }
                index = max(k, end)
            }
        }
        for run in runs {
            let names = Set(bytes[run]).sorted().map { "U+" + String($0, radix: 16, uppercase: true).leftPadded(to: 4) }
            findings.add(postmortem, run, .controlCharacters(names),
                         suggestion: "remove it; feeds and pages cannot carry it")
        }
    }

    /// C0 controls other than tab, line feed and carriage return, and DEL. NUL is left to
    /// `syntax/encoding`, which reports the file as binary.
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x00) || byte == 0x7F
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Finding.Message {
    /// `syntax/control-characters`.
    static func controlCharacters(_ names: [String]) -> Self { Self("control character \(names.joined(separator: ", ")) in the text") }
}
