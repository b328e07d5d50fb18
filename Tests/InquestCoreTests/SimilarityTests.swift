import XCTest
@testable import InquestCore
import InquestTestSupport

/// The labelled pairs the similarity threshold was tuned on. Paraphrases of one mechanism must
/// score at or above `SimilarityIndex.threshold`; unrelated root causes written with the same
/// postmortem boilerplate must score below it.
final class SimilarityTests: XCTestCase {
    static let similar: [(String, String)] = [
        ("The session cache ran on a single host with no replica, so losing the host dropped every session.",
         "Every session lived on one cache host without a replica; when the host was lost, all sessions were dropped."),
        ("The certificate renewal job stopped after a permissions change, and nothing monitored certificate expiry dates.",
         "Certificate renewal silently stopped when the job lost its permissions; no alert watched the expiry date of the certificate."),
        ("The migration runbook had no step to restart the web servers after the schema change, so they kept serving stale prepared statements.",
         "After the schema migration the web servers were never restarted because the runbook lacked that step; stale prepared statements kept failing."),
        ("Clients retried failed requests immediately and without limit, and the retry storm overloaded the auth service.",
         "Unbounded immediate retries from every client turned a brief auth slowdown into a retry storm that overloaded the service."),
        ("The analytics query ran against the new primary after the switchover because the reporting connection string still pointed at the primary role.",
         "After the database switchover the reporting job's connection string resolved to the new primary, so the heavy analytics query ran on the primary."),
        ("Debug logging was left enabled in production and filled the disks of two API hosts, with no alert on disk usage.",
         "Verbose debug logs filled the API hosts' disks; disk usage had no alert, so the hosts ran out of space."),
    ]

    static let unrelated: [(String, String)] = [
        ("The session cache ran on a single host with no replica, so losing the host dropped every session.",
         "The certificate renewal job stopped after a permissions change, and nothing monitored certificate expiry dates."),
        ("The runbook had no step to restart the web servers after the schema change.",
         "The feature flag defaulted to on in production because the default value was copied from staging."),
        ("Clients retried failed requests immediately and without limit, overloading the auth service.",
         "The billing job converted dates in the server's local timezone, so customers near midnight were charged twice."),
        ("The analytics query ran against the new primary after the switchover.",
         "A routine maintenance script dropped a table because it had no guard against running in production."),
        ("There was no alert on queue depth, so the backlog grew for hours before anyone noticed.",
         "The DNS TTL on the API record was a day long, so the cutover took a day to reach every client."),
        ("The root cause was a missing check in the deploy pipeline: the system had no safeguard against a schema change shipped without a migration review.",
         "The root cause was a missing check in the deploy pipeline: the system had no safeguard against certificates expiring on the edge proxies."),
    ]

    /// Every text of both lists: scores are measured inside one small archive, as in use.
    static var corpus: [String] { (similar + unrelated).flatMap { [$0.0, $0.1] } }

    func testParaphrasesScoreAboveTheThreshold() {
        for (a, b) in Self.similar {
            let score = SimilarityIndex.score(a, b, corpus: Self.corpus)
            XCTAssertGreaterThanOrEqual(score, SimilarityIndex.threshold, "\(score): \(a.prefix(40)) ~ \(b.prefix(40))")
        }
    }

    func testUnrelatedTextsWithSharedBoilerplateScoreBelowTheThreshold() {
        // The last pair is nothing but boilerplate: in a real archive its words are common and
        // discounted; within a two-document corpus it is the hardest case for the measure.
        for (a, b) in Self.unrelated.dropLast() {
            let score = SimilarityIndex.score(a, b, corpus: Self.corpus)
            XCTAssertLessThan(score, SimilarityIndex.threshold, "\(score): \(a.prefix(40)) ~ \(b.prefix(40))")
        }
    }

    func testBoilerplateIsDiscountedInALargerArchive() {
        // In an archive where "a missing check in the deploy pipeline: the system had no safeguard"
        // opens every root-cause section, two texts sharing only that opening do not match.
        let topics = ["queue depth", "disk usage", "dns ttl", "feature flags", "retry budgets", "replica lag", "timezones", "cron overlap"]
        let filler = (0..<40).map { "The root cause was a missing check in the deploy pipeline: the system had no safeguard against \(topics[$0 % topics.count]) in service s\($0) after change c\($0 * 7)." }
        let (a, b) = Self.unrelated.last!
        let index = SimilarityIndex(texts: [a, b] + filler)
        XCTAssertFalse(index.neighbours[0].contains { $0.index == 1 }, "\(index.neighbours[0])")
    }

    func testPrintScoresForTuning() {
        // Not an assertion on timing or values: prints the spread so threshold changes are informed.
        let similar = Self.similar.map { SimilarityIndex.score($0.0, $0.1, corpus: Self.corpus) }
        let unrelated = Self.unrelated.map { SimilarityIndex.score($0.0, $0.1, corpus: Self.corpus) }
        let alone = Self.similar.map { SimilarityIndex.score($0.0, $0.1) }
        print("similarity: paraphrases \(similar.map { String(format: "%.2f", $0) }), unrelated \(unrelated.map { String(format: "%.2f", $0) }), paraphrases in a two-document archive \(alone.map { String(format: "%.2f", $0) })")
        XCTAssertGreaterThan(similar.min()!, unrelated.dropLast().max()!)
    }

    func testNeighboursAreSymmetricAndSorted() {
        let texts = Self.similar.flatMap { [$0.0, $0.1] }
        let index = SimilarityIndex(texts: texts)
        for (i, matches) in index.neighbours.enumerated() {
            XCTAssertEqual(matches.map(\.score), matches.map(\.score).sorted(by: >))
            for match in matches {
                XCTAssertTrue(index.neighbours[match.index].contains { $0.index == i })
            }
        }
    }

    /// The term table gives the ids a `[String: Int]` dictionary gave: first-seen order, a
    /// repeated string of a stored table under its first id, canonically equivalent non-ASCII
    /// terms under one id, and the same ids after the table has grown many times.
    func testTermTableGivesTheDictionaryIds() {
        var state: UInt64 = 83
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let pieces = ["cache", "host", "dns", "retry", "é", "e\u{301}", "東京", "k", "ß", "a1", "zz", " "]
        let terms = (0..<20_000).map { _ in (0..<(1 + next() % 4)).map { _ in pieces[next() % pieces.count] }.joined() }
        var table = TermTable()
        var reference: [String: Int] = [:]
        var referenceStrings: [String] = []
        for term in terms {
            let id = table.id(term)
            if reference[term] == nil {
                reference[term] = referenceStrings.count
                referenceStrings.append(term)
            }
            XCTAssertEqual(id, reference[term], term.debugDescription)
        }
        XCTAssertEqual(table.strings, referenceStrings)
        XCTAssertGreaterThan(referenceStrings.count, 2_000, "the table grew past its first size")
        XCTAssertEqual(table.id("caf\u{E9}"), table.id("cafe\u{301}"), "canonically equivalent terms share an id")
        // A stored table with a repeated string: the repeat keeps a place, the first id answers.
        var stored = TermTable(["dns", "host", "dns", "e\u{301}", "\u{E9}"])
        XCTAssertEqual(stored.strings.count, 5)
        XCTAssertEqual(stored.id("dns"), 0)
        XCTAssertEqual(stored.id("host"), 1)
        XCTAssertEqual(stored.id("\u{E9}"), 3)
        XCTAssertEqual(stored.id("new"), 5)
    }

    /// The archive's pair filter (an earlier incident sharing no cause) skips runs of documents
    /// sharing a first cause in the pair pass instead of summing and dropping them: the lists must be
    /// those of the same filter asked pair by pair, with scores equal to the bit. Archives where
    /// documents share causes heavily (so whole runs of postings are skipped) and where they barely do.
    func testSkippingDocumentsSharingACauseKeepsTheFilteredLists() {
        let words = ["cache", "host", "replica", "session", "dropped", "retry", "storm", "overloaded", "auth", "service", "runbook",
                     "schema", "migration", "restart", "certificate", "expiry", "alert", "disk", "logging", "queue", "backlog", "the"]
        var state: UInt64 = 71
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var skippedSomewhere = false
        for (count, groupCount) in [(300, 3), (900, 6), (600, 40), (200, 1)] {
            let texts = (0..<count).map { _ in (0..<(3 + next() % 12)).map { _ in words[next() % words.count] }.joined(separator: " ") }
            let groups: [[Int32]] = (0..<count).map { _ in
                var own: [Int32] = []
                for _ in 0..<(next() % 3) {
                    let group = Int32(next() % groupCount)
                    if !own.contains(group) { own.append(group) }
                }
                return own
            }
            let rank = Array(0..<count).sorted { (($0 * 7919) % count, $0) < (($1 * 7919) % count, $1) }
            var position = Array(repeating: 0, count: count)
            for (at, index) in rank.enumerated() { position[index] = at }
            var table = TermTable()
            let bags = texts.map { table.ids(SimilarityIndex.sortedTerms($0)) }
            var frequency = Array(repeating: 0, count: table.strings.count)
            for bag in bags { for entry in bag { frequency[entry.term] += 1 } }
            var weights = SimilarityIndex.Weights(documentCount: count, termCount: frequency.count)
            let vectors = bags.map { weights.vector($0, documentFrequency: frequency) }
            let cutoff = SimilarityIndex.candidateCutoff(documentCount: count)
            let grouped = SimilarityIndex.allPairs(vectors: vectors, documentFrequency: frequency, cutoff: cutoff, threshold: SimilarityIndex.threshold,
                                                   filter: .earlierSharingNoGroup(rank: position, groups: groups))
            let asked = SimilarityIndex.allPairs(vectors: vectors, documentFrequency: frequency, cutoff: cutoff, threshold: SimilarityIndex.threshold,
                                                 filter: .closure { a, b in position[b] < position[a] && Set(groups[a]).isDisjoint(with: groups[b]) })
            XCTAssertEqual(grouped.neighbours, asked.neighbours, "\(count) documents, \(groupCount) causes")
            XCTAssertEqual(asked.skipped, 0)
            XCTAssertGreaterThan(asked.neighbours.map(\.count).reduce(0, +), count / 10, "pairs are kept")
            // The same lists through the initializer the archive uses.
            XCTAssertEqual(SimilarityIndex(idBags: bags, termCount: table.strings.count,
                                           filter: .earlierSharingNoGroup(rank: position, groups: groups)).neighbours, grouped.neighbours)
            if grouped.skipped > 0 { skippedSomewhere = true }
        }
        XCTAssertTrue(skippedSomewhere, "postings of documents sharing a first cause were skipped")
    }
}

import Foundation
