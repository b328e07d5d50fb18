// blameless-eval: scores the blameless-language analyzer against labelled TSV files.
//
//   swift run blameless-eval [--bench] [path.tsv ...]
//   swift run blameless-eval --corpus DIR --labels LABELS.tsv
//
// With no path it reads Tests/Fixtures/blameless/eval.tsv. Prints per-rule TP/FP/FN,
// precision and recall, overall precision, recall and false-alarm rate, then every miss and
// false alarm. Exits 1 when any file has recall < 0.95 or a false-alarm rate > 0.03.
//
// With --corpus it lints every postmortem under DIR with the blameless rules only and scores the
// findings against line labels (BlamelessCorpusEvaluation in InquestCore); a missing DIR is skipped with a note, exit 0.
import Foundation
import InquestBlameless
import InquestCore

var paths: [String] = []
var bench = false
var corpus: String?
var labels: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--bench": bench = true
    case "--corpus": corpus = arguments.popFirst()
    case "--labels": labels = arguments.popFirst()
    case "-h", "--help":
        print("usage: blameless-eval [--bench] [eval.tsv ...]  (default: Tests/Fixtures/blameless/eval.tsv)")
        print("       blameless-eval --corpus DIR --labels LABELS.tsv")
        exit(0)
    default: paths.append(argument)
    }
}

if let corpus {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isFolder), isFolder.boolValue else {
        print("blameless-eval: \(corpus) not found: real development set skipped")
        exit(0)
    }
    do {
        let evaluation = try BlamelessCorpusEvaluation(corpus: URL(fileURLWithPath: corpus),
                                              labelsPath: labels ?? "Tests/Fixtures/blameless/corpus-labels.tsv")
        print(evaluation.rendered(title: corpus))
        exit(evaluation.unlabelled.isEmpty ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("blameless-eval: \(error)\n".utf8))
        exit(2)
    }
}
if paths.isEmpty { paths = ["Tests/Fixtures/blameless/eval.tsv"] }

var failed = false
for path in paths {
    let set: EvalSet
    do {
        set = try EvalSet(contentsOf: URL(fileURLWithPath: path))
    } catch {
        FileHandle.standardError.write(Data("blameless-eval: \(path): \(error)\n".utf8))
        exit(2)
    }
    let analyzer = BlamelessAnalyzer(options: set.options)
    let report = EvalReport(set: set, analyzer: analyzer)
    print("lexicon: \(analyzer.phraseCount) phrases")
    print(report.rendered(title: path))
    if !report.meetsThresholds { failed = true }

    if bench {
        // Throughput check for humans; not a test, so timing noise cannot fail a build.
        let blocks = set.cases.map { ProseBlock(text: $0.text, context: $0.context) }
        let rounds = max(1, 200_000 / max(1, blocks.count))
        let clock = ContinuousClock()
        var findings = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds { for block in blocks { findings += analyzer.analyze(block).count } }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let total = rounds * blocks.count
        print(String(format: "bench: %d blocks in %.2f s = %.0f blocks/s (%d findings)\n",
                     total, seconds, Double(total) / seconds, findings))
    }
}
exit(failed ? 1 : 0)
