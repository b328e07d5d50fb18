import Foundation

// Package-internal harness shared by `blameless-eval` and the test suite; not public API.

/// One labelled sentence of an evaluation file.
package struct EvalCase: Sendable {
    /// 1-based line number in the file, for reports.
    package var line: Int
    /// Rule ids the sentence must produce; empty for `none`.
    package var expected: Set<String>
    package var context: ProseContext
    /// The sentence as the analyzer sees it: backtick code spans replaced by U+FFFC.
    package var text: String
}

/// A parsed evaluation file.
///
/// Format: `rule<TAB>context<TAB>sentence` per line, where `rule` is a rule id, several ids
/// joined by commas (a sentence may rightly trigger two rules), or `none`. Lines starting with
/// `#` are comments, except `# people:`, `# teams:`, `# allow:` and `# deny:` headers, whose
/// comma-separated values become the ``BlamelessOptions``.
package struct EvalSet: Sendable {
    package var cases: [EvalCase] = []
    package var options = BlamelessOptions()

    package enum ParseError: Error, CustomStringConvertible {
        case malformed(line: Int, reason: String)
        package var description: String {
            switch self {
            case .malformed(let line, let reason): "line \(line): \(reason)"
            }
        }
    }

    package init(tsv: String) throws {
        let knownRules = Set(RuleKind.allCases.map(\.id))
        let contexts: [String: ProseContext] = [
            "narrative": .narrative, "rootCauses": .rootCauses, "actionItems": .actionItems,
            "timeline": .timeline, "other": .other,
        ]
        for (offset, rawLine) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let number = offset + 1
            if line.trimmingSpaces.isEmpty { continue }
            if line.hasPrefix("#") {
                let body = String(line.dropFirst()).trimmingSpaces
                for key in ["people", "teams", "allow", "deny"] where body.hasPrefix(key + ":") {
                    let values = body.dropFirst(key.count + 1).split(separator: ",")
                        .map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
                    switch key {
                    case "people": options.people += values
                    case "teams": options.teams += values
                    case "allow": options.allow += values
                    default: options.deny += values
                    }
                }
                continue
            }
            let columns = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3 else { throw ParseError.malformed(line: number, reason: "expected 3 tab-separated columns") }
            if columns[0] == "rule" { continue } // header row
            guard let context = contexts[columns[1]] else {
                throw ParseError.malformed(line: number, reason: "unknown context \(columns[1])")
            }
            var expected = Set<String>()
            if columns[0] != "none" {
                for rule in columns[0].split(separator: ",").map({ String($0).trimmingSpaces }) {
                    guard knownRules.contains(rule) else { throw ParseError.malformed(line: number, reason: "unknown rule \(rule)") }
                    expected.insert(rule)
                }
            }
            cases.append(EvalCase(line: number, expected: expected, context: context, text: Self.replacingCodeSpans(columns[2])))
        }
    }

    package init(contentsOf url: URL) throws {
        try self.init(tsv: String(contentsOf: url, encoding: .utf8))
    }

    /// Mirrors what the Markdown layer does: each `code span` becomes one U+FFFC.
    static func replacingCodeSpans(_ text: String) -> String {
        var result = ""
        var inCode = false
        for character in text {
            if character == "`" {
                if !inCode { result.append("\u{FFFC}") }
                inCode.toggle()
            } else if !inCode {
                result.append(character)
            }
        }
        return result
    }
}

/// Scores of one evaluation run.
package struct EvalReport: Sendable {
    package struct RuleScore: Sendable {
        package var rule: String
        package var truePositives = 0
        package var falsePositives = 0
        package var falseNegatives = 0
        package var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        package var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    }

    package struct Problem: Sendable {
        package var evalCase: EvalCase
        package var rule: String
        /// For extra findings, the underlined words.
        package var underlined: String?
    }

    package var rules: [RuleScore]
    /// Expected rules not produced.
    package var misses: [Problem] = []
    /// Rules produced but not expected (on any sentence).
    package var extras: [Problem] = []
    package var noneCount = 0
    package var noneWithFindings = 0
    package var caseCount = 0
    /// Blaming sentences with at least one finding of any blameless rule: the line-level recall that the
    /// real-archive labels measure (any finding on a blaming line is a correct alarm there).
    package var blamingCaught = 0
    package var blamingCount = 0

    /// Line-level precision: flagged blaming sentences over all flagged sentences.
    package var linePrecision: Double { ratio(blamingCaught, blamingCaught + noneWithFindings) }
    /// Line-level recall: blaming sentences with any finding over all blaming sentences.
    package var lineRecall: Double { ratio(blamingCaught, blamingCount) }

    package var precision: Double {
        let tp = rules.reduce(0) { $0 + $1.truePositives }
        return ratio(tp, tp + rules.reduce(0) { $0 + $1.falsePositives })
    }
    package var recall: Double {
        let tp = rules.reduce(0) { $0 + $1.truePositives }
        return ratio(tp, tp + rules.reduce(0) { $0 + $1.falseNegatives })
    }
    /// Fraction of `none` sentences with any finding.
    package var falseAlarmRate: Double { noneCount == 0 ? 0 : Double(noneWithFindings) / Double(noneCount) }

    /// The CI gate: recall at least 0.95 and at most 3% of blameless sentences flagged.
    package var meetsThresholds: Bool { recall >= 0.95 && falseAlarmRate <= 0.03 }

    package init(set: EvalSet, analyzer: BlamelessAnalyzer? = nil) {
        let analyzer = analyzer ?? BlamelessAnalyzer(options: set.options)
        var scores = Dictionary(uniqueKeysWithValues: RuleKind.allCases.map { ($0.id, RuleScore(rule: $0.id)) })
        caseCount = set.cases.count
        for evalCase in set.cases {
            let findings = analyzer.analyze(ProseBlock(text: evalCase.text, context: evalCase.context))
            let produced = Set(findings.map(\.rule))
            if evalCase.expected.isEmpty {
                noneCount += 1
                if !produced.isEmpty { noneWithFindings += 1 }
            } else {
                blamingCount += 1
                if !produced.isEmpty { blamingCaught += 1 }
            }
            for rule in evalCase.expected {
                if produced.contains(rule) {
                    scores[rule]?.truePositives += 1
                } else {
                    scores[rule]?.falseNegatives += 1
                    misses.append(Problem(evalCase: evalCase, rule: rule))
                }
            }
            let bytes = Array(evalCase.text.utf8)
            for finding in findings where !evalCase.expected.contains(finding.rule) {
                scores[finding.rule]?.falsePositives += 1
                let words = String(decoding: bytes[finding.range.clamped(to: 0..<bytes.count)], as: UTF8.self)
                extras.append(Problem(evalCase: evalCase, rule: finding.rule, underlined: words))
            }
        }
        rules = RuleKind.allCases.compactMap { scores[$0.id] }
    }

    /// A plain-text table followed by every miss and false alarm.
    package func rendered(title: String) -> String {
        func pct(_ value: Double) -> String { String(format: "%.3f", value) }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        var out = "\(title): \(caseCount) sentences, \(noneCount) none\n"
        out += pad("rule", 28) + pad("TP", 5) + pad("FP", 5) + pad("FN", 5) + pad("precision", 11) + "recall\n"
        for score in rules {
            out += pad(score.rule, 28) + pad("\(score.truePositives)", 5) + pad("\(score.falsePositives)", 5)
                + pad("\(score.falseNegatives)", 5) + pad(pct(score.precision), 11) + pct(score.recall) + "\n"
        }
        out += "overall precision \(pct(precision))  recall \(pct(recall))  false-alarm rate \(pct(falseAlarmRate)) "
            + "(\(noneWithFindings)/\(noneCount) none sentences flagged)\n"
        out += "line level (any rule): precision \(pct(linePrecision))  recall \(pct(lineRecall)) "
            + "(\(blamingCaught)/\(blamingCount) blaming sentences flagged)\n"
        if !misses.isEmpty {
            out += "\nmisses (\(misses.count)):\n"
            for miss in misses {
                out += "  line \(miss.evalCase.line) [\(miss.rule)] \(miss.evalCase.text)\n"
            }
        }
        if !extras.isEmpty {
            out += "\nfalse alarms (\(extras.count)):\n"
            for extra in extras {
                out += "  line \(extra.evalCase.line) [\(extra.rule)] \"\(extra.underlined ?? "")\" in: \(extra.evalCase.text)\n"
            }
        }
        out += meetsThresholds ? "\nPASS (recall >= 0.95, false-alarm rate <= 0.03)\n"
            : "\nFAIL (needs recall >= 0.95 and false-alarm rate <= 0.03)\n"
        return out
    }
}

private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
    denominator == 0 ? 1 : Double(numerator) / Double(denominator)
}
