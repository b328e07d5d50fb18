import XCTest
import InquestBlameless

final class HindsightRuleTests: XCTestCase {
    func testObviousnessWithExactRanges() {
        let cases: [(String, String)] = [
            ("Obviously the cache was stale.", "Obviously"),
            ("This was clearly a config problem.", "clearly"),
            ("Of course, nobody checked the TTL.", "Of course"),
            ("Everyone knows you never deploy during the freeze.", "Everyone knows"),
            ("It was obvious that the primary was down.", "It was obvious"),
            ("It should have been obvious that the disk was filling.", "should have been obvious"),
            ("The bug should have been caught in review.", "should have been caught"),
            ("It’s obvious in hindsight.", "obvious"),
            ("The typo was an obvious mistake.", "obvious"),
            ("The outage was easily avoidable.", "easily avoidable"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.hindsight, words, in: text)
        }
    }

    func testMinimisersUnderlineTheMinimisingWord() {
        let cases: [(String, String)] = [
            ("The responder just had to roll back.", "just"),
            ("You can simply restart the pod.", "simply"),
            ("The engineer could just have reverted the commit.", "just"),
            ("The on-call only needed to restart one pod.", "only"),
            ("Responders merely had to drain the node.", "merely"),
            ("The fix was easy: just roll back.", "just"),
            ("All they had to do was flip the flag.", "All they had to do was"),
            ("All the on-call had to do was run the script.", "All the on-call had to do was"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.hindsight, words, in: text)
        }
    }

    func testMinimiserSuggestionDropsTheWord() throws {
        let text = "You can simply restart the pod."
        let finding = try XCTUnwrap(analyze(text).first { $0.rule == Rule.hindsight })
        XCTAssertEqual(finding.suggestion, "drop \"simply\" and say what the step took, e.g. \"restart the pod\"")
    }

    func testTimeUsesOfJust() {
        let texts = [
            "The alert fired just after the deploy.", "The cron job runs just before midnight.",
            "We just migrated to v3.", "Replicas were added just in time.", "The cache uses just-in-time compilation.",
            "We had just run the migration when the alert fired.", "Just one of six shards was affected.",
        ]
        for text in texts { assertNoFinding(Rule.hindsight, in: text) }
    }

    func testSignalsDisplaysAndSystemBehaviour() {
        let texts = [
            "The graph showed an obvious step at 10:02.",
            "The spike was obvious on the latency graph.",
            "The proxy simply forwards what it cannot parse.",
            "The client can simply retry with backoff.",
            "The job only needs to run once a day.",
            "The button is clearly labelled.",
            "The error was clearly visible on the dashboard.",
            "The logs clearly showed the pool running dry.",
            "The error rate was clearly elevated in the EU panel.",
            "The recovery steps are clearly ordered.",
            "It was not obvious that the flag was inverted.",
            "It wasn’t obvious that the flag was inverted.",
            "The failure mode was non-obvious.",
            "Restarts happen as a matter of course.",
            "It was just a matter of time before the disk filled.",
        ]
        for text in texts { assertNoFinding(Rule.hindsight, in: text) }
        assertNoFinding(Rule.hindsight, in: "Document the failover steps clearly.", .actionItems)
        assertNoFinding(Rule.hindsight, in: "Clearly label which cluster each terminal targets.", .actionItems)
    }

    func testInHindsightAloneIsNotReported() {
        // Deliberate: the phrase admits hindsight instead of hiding it.
        assertNoFinding(nil, in: "In hindsight, a canary stage would have limited the blast radius.")
    }

    func testHindsightIsAWarning() throws {
        let info = try XCTUnwrap(BlamelessRules.all.first { $0.id == Rule.hindsight })
        XCTAssertEqual(info.defaultSeverity, "warning")
    }

    func testAdviceComparingOptionsIsNotMinimising() {
        assertNoFinding(nil, in: "Instead of trying to resolve the issue, just roll it back.")
        assertNoFinding(nil, in: "Rather than debugging in production, just roll back first.")
        assertFinds(Rule.hindsight, "just", in: "The responder could just restart the pod.")
    }
}
