import Foundation

/// Scores the blameless rules on a folder of real postmortems against line labels kept in the
/// project (`file<TAB>line<TAB>label`, see Tests/Fixtures/blameless/LABELLING.md).
///
/// Every document is linted exactly as `inquest lint` would (same parser, sections and prose
/// extraction), with only the `blameless/…` rules on. A finding on a line labelled `blame/…` or
/// `name` is a correct alarm, one on an `ok` line a false alarm; a finding on an unlabelled line
/// is listed so that it gets a label before any number is believed.
package struct BlamelessCorpusEvaluation {
    package struct Label { package var file: String; package var line: Int; package var value: String }

    package struct RuleRow {
        package var rule: String
        package var findings = 0
        package var correct = 0
        package var falseAlarms = 0
        package var unlabelled = 0
        /// Lines labelled for this rule, and how many of them this rule caught.
        package var labelled = 0
        package var caught = 0
    }

    package var documents = 0
    package var rows: [String: RuleRow] = [:]
    package var positives = 0
    package var positivesCaught = 0
    package var missed: [Label] = []
    package var falseAlarms: [(Diagnostic, String)] = []
    package var unlabelled: [(Diagnostic, String)] = []

    package var findings: Int { rows.values.reduce(0) { $0 + $1.findings } }
    package var correct: Int { rows.values.reduce(0) { $0 + $1.correct } }
    package var falseAlarmCount: Int { rows.values.reduce(0) { $0 + $1.falseAlarms } }
    package var precision: Double { ratio(correct, correct + falseAlarmCount) }
    package var recall: Double { ratio(positivesCaught, positives) }
    package var falseAlarmsPerDocument: Double { documents == 0 ? 0 : Double(falseAlarmCount) / Double(documents) }

    package static func loadLabels(_ path: String) throws -> [String: [Int: String]] {
        var labels: [String: [Int: String]] = [:]
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3, let number = Int(columns[1]),
                  columns[2] == "ok" || columns[2] == "name" || columns[2].hasPrefix("blame/") else {
                throw EvalError("\(path):\(offset + 1): expected file<TAB>line<TAB>ok|name|blame/<rule>")
            }
            labels[columns[0], default: [:]][number] = columns[2]
        }
        return labels
    }

    package init(corpus: URL, labelsPath: String) throws {
        let labels = try Self.loadLabels(labelsPath)
        let files = Self.documents(in: corpus)
        documents = files.count
        let raw = files.compactMap { path -> RawDocument? in
            guard let data = FileManager.default.contents(atPath: corpus.appendingPathComponent(path).path) else { return nil }
            return RawDocument(path: path, bytes: Array(data))
        }
        var configuration = Configuration()
        configuration.blameless.gitAuthors = false
        let rules = RuleRegistry.documentRules.filter { $0.id.hasPrefix("blameless/") }
        let linter = Linter(configuration: configuration, documentRules: rules, archiveRules: [])
        let result = linter.lint(LintInput(documents: raw, catalogue: nil))
        let texts = Dictionary(uniqueKeysWithValues: raw.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) })

        for rule in rules { rows[rule.id] = RuleRow(rule: rule.id) }
        var firedLines: [String: [Int: Set<String>]] = [:]
        for diagnostic in result.diagnostics where diagnostic.rule.hasPrefix("blameless/") {
            let line = diagnostic.range.start.line
            let lineText = texts[diagnostic.file].flatMap { line - 1 < $0.count ? $0[line - 1] : nil } ?? ""
            firedLines[diagnostic.file, default: [:]][line, default: []].insert(diagnostic.rule)
            rows[diagnostic.rule, default: RuleRow(rule: diagnostic.rule)].findings += 1
            switch labels[diagnostic.file]?[line] {
            case nil:
                rows[diagnostic.rule]!.unlabelled += 1
                unlabelled.append((diagnostic, lineText))
            case "ok"?:
                rows[diagnostic.rule]!.falseAlarms += 1
                falseAlarms.append((diagnostic, lineText))
            default:
                rows[diagnostic.rule]!.correct += 1
            }
        }
        for (file, lines) in labels.sorted(by: { $0.key < $1.key }) where files.contains(file) {
            for (line, value) in lines.sorted(by: { $0.key < $1.key }) where value != "ok" {
                positives += 1
                let fired = firedLines[file]?[line] ?? []
                if !fired.isEmpty { positivesCaught += 1 } else { missed.append(Label(file: file, line: line, value: value)) }
                let rule = value == "name" ? "blameless/named-individual" : "blameless/" + value.dropFirst("blame/".count)
                rows[rule, default: RuleRow(rule: rule)].labelled += 1
                if fired.contains(rule) { rows[rule]!.caught += 1 }
            }
        }
    }

    /// Markdown documents under `corpus`, sorted; READMEs and templates are not postmortems.
    package static func documents(in corpus: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: corpus.path) else { return [] }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            guard name.hasSuffix(".md"), name != "README.md", !name.lowercased().contains("template") else { continue }
            paths.append(path)
        }
        return paths.sorted()
    }

    package func rendered(title: String) -> String {
        func pct(_ value: Double) -> String { String(format: "%.3f", value) }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        var out = "\(title): \(documents) documents, \(positives) lines labelled blaming or naming\n"
        out += pad("rule", 28) + pad("findings", 10) + pad("correct", 9) + pad("false", 7) + pad("unlab.", 8)
            + pad("precision", 11) + pad("recall", 12) + "false/doc\n"
        for row in rows.values.sorted(by: { $0.rule < $1.rule }) {
            let recall = row.labelled == 0 ? "-" : "\(pct(ratio(row.caught, row.labelled))) (\(row.caught)/\(row.labelled))"
            out += pad(row.rule, 28) + pad("\(row.findings)", 10) + pad("\(row.correct)", 9) + pad("\(row.falseAlarms)", 7)
                + pad("\(row.unlabelled)", 8) + pad(row.findings == 0 ? "-" : pct(ratio(row.correct, row.correct + row.falseAlarms)), 11)
                + pad(recall, 12) + String(format: "%.3f", documents == 0 ? 0 : Double(row.falseAlarms) / Double(documents)) + "\n"
        }
        out += "overall: \(findings) findings, precision \(pct(precision)), recall \(pct(recall)) "
            + "(\(positivesCaught)/\(positives) labelled lines caught), \(String(format: "%.3f", falseAlarmsPerDocument)) false alarms per document\n"
        if !unlabelled.isEmpty {
            out += "\nUNLABELLED lines with findings (\(unlabelled.count)) — label them (LABELLING.md) before trusting the numbers:\n"
            for (diagnostic, _) in unlabelled { out += "  \(diagnostic.file):\(diagnostic.range.start.line) [\(diagnostic.rule)]\n" }
        }
        if !falseAlarms.isEmpty {
            out += "\nfalse alarms (\(falseAlarms.count)):\n"
            for (diagnostic, _) in falseAlarms { out += "  \(diagnostic.file):\(diagnostic.range.start.line) [\(diagnostic.rule)] \(diagnostic.message)\n" }
        }
        if !missed.isEmpty {
            out += "\nmissed labelled lines (\(missed.count)):\n"
            for label in missed { out += "  \(label.file):\(label.line) [\(label.value)]\n" }
        }
        return out
    }
}

package struct EvalError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}

private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
    denominator == 0 ? 1 : Double(numerator) / Double(denominator)
}
