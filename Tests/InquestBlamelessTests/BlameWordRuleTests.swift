import XCTest
import InquestBlameless

final class BlameWordRuleTests: XCTestCase {
    func testJudgementsOfPeopleWithExactRanges() {
        let cases: [(String, String)] = [
            ("It was a careless mistake.", "careless"),
            ("It came down to carelessness.", "carelessness"),
            ("The operator acted negligently.", "negligently"),
            ("This was negligence.", "negligence"),
            ("The rollout was sloppy.", "sloppy"),
            ("Honestly, the reviewer was lazy.", "lazy"),
            ("That was a stupid decision.", "stupid"),
            ("The whole thing was a dumb mistake.", "dumb"),
            ("Whoever wrote this script is an idiot.", "idiot"),
            ("That was idiotic.", "idiotic"),
            ("The reviewer was incompetent.", "incompetent"),
            ("Sheer incompetence.", "incompetence"),
            ("The deploy was reckless given the freeze.", "reckless"),
            ("The team was irresponsible to ship it.", "irresponsible"),
            ("A clueless reviewer approved it.", "clueless"),
            ("It was foolish to run it at peak.", "foolish"),
            ("The reviewer was inattentive.", "inattentive"),
            ("Whoever is to blame, the database went read-only.", "to blame"),
            ("The on-call engineer was at fault.", "at fault"),
            ("This was entirely Sam's fault.", "Sam's fault"),
            ("It was Sam’s fault.", "Sam’s fault"),
            ("It was their fault.", "their fault"),
            ("We screwed up the failover.", "screwed up"),
            ("Ops messed up the DNS change.", "messed up"),
            ("Someone dropped the ball on the renewal.", "dropped the ball"),
            ("Whoever approved this was asleep at the wheel.", "asleep at the wheel"),
            ("The engineer should have known better.", "should have known better"),
            ("Cowboy deploys keep happening.", "Cowboy"),
            ("That was a rookie mistake.", "rookie mistake"),
            ("A boneheaded change.", "boneheaded"),
            ("Pure sloppiness.", "sloppiness"),
            ("The intern was ignorant of the process.", "ignorant"),
            ("It was a lapse in judgment.", "lapse in judgment"),
            ("It was a lapse in judgement.", "lapse in judgement"),
            ("That is inexcusable.", "inexcusable"),
            ("The behaviour was unprofessional.", "unprofessional"),
            ("A lack of diligence from the release team.", "lack of diligence"),
            ("The contractor did shoddy work.", "shoddy"),
            ("The culprit was the new intern.", "culprit"),
            ("The blame lies with the platform team.", "blame lies with the platform team"),
            ("The fault lies with the release engineer.", "fault lies with the release engineer"),
            ("The developers cut corners on validation.", "cut corners"),
            ("The migration was botched.", "botched"),
        ]
        for (text, words) in cases {
            assertFinds(Rule.blameWord, words, in: text)
        }
    }

    func testLexiconIsLargerThanSixtyEntries() {
        // Every one of these fires on its own in a neutral frame.
        let words = [
            "careless", "carelessly", "carelessness", "negligent", "negligently", "negligence", "sloppy", "sloppily",
            "sloppiness", "lazy", "laziness", "stupid", "stupidly", "stupidity", "dumb", "idiot", "idiots", "idiotic",
            "incompetent", "incompetence", "reckless", "recklessly", "recklessness", "irresponsible", "irresponsibly",
            "clueless", "foolish", "foolishly", "inattentive", "cowboy", "bonehead", "boneheaded", "inexcusable",
            "unprofessional", "shoddy", "moron", "moronic", "inept", "ineptitude", "amateurish", "thoughtless",
            "heedless", "forgetful", "cavalier", "complacent", "complacency", "arrogant", "overconfident", "culpable",
            "blameworthy", "blunder", "bungled", "botched", "halfwit", "dimwit", "numpty", "muppet", "buffoon",
            "derelict", "flagrant",
        ]
        XCTAssertGreaterThanOrEqual(Set(words).count, 60)
        for word in words {
            let text = "Frankly, that was \(word)."
            assertFinds(Rule.blameWord, word, in: text)
        }
    }

    func testTechnicalSensesAreNotBlame() {
        let texts = [
            "We rely on lazy evaluation for the config tree.",
            "We rely on lazy loading for the settings page.",
            "Settings are lazily evaluated on first access.",
            "The iterator is lazy, so nothing ran until the first read.",
            "The \u{FFFC} output pointed to a 2019 commit.",
            "Running git blame on the file showed the line was seven years old.",
            "The fault lay in the RAID controller.",
            "A faulty disk triggered the rebuild.",
            "Fault tolerance was lower than documented.",
            "The cluster is fault-tolerant up to two node losses.",
            "The page fault rate doubled.",
            "The process died with a segmentation fault.",
            "We ran a fault injection drill.",
            "The culprit process held 40 GB of memory.",
            "The culprit turned out to be a missing index.",
            "A slow query was the culprit.",
            "The scanners are dumb terminals.",
            "The edge proxy is a dumb pipe by design.",
            "The design is stupid-simple on purpose.",
            "The retry loop was dumb but effective.",
            "The cache is ignorant of tenant boundaries.",
        ]
        for text in texts { assertNoFinding(Rule.blameWord, in: text) }
    }

    func testCulpritAboutAPersonIsBlameButAboutAThingIsNot() {
        assertFinds(Rule.blameWord, "culprit", in: "The culprit was the new intern.")
        assertFinds(Rule.blameWord, "culprit", in: "Sam was the culprit.")
        assertNoFinding(Rule.blameWord, in: "The culprit commit was reverted.")
        assertNoFinding(Rule.blameWord, in: "The repeat offender was the nightly batch job.")
    }

    func testNegatedBlameIsBlameless() {
        assertNoFinding(nil, in: "Nobody was at fault.")
        assertNoFinding(nil, in: "No one is to blame for the leap second.")
        assertNoFinding(nil, in: "It was nobody's fault that the vendor changed the API.")
        assertNoFinding(nil, in: "The responders were not careless; the UI hid the flag.")
        assertNoFinding(Rule.blameWord, in: "The disk controller was at fault.")
        assertNoFinding(Rule.blameWord, in: "Checklists exist because slips are normal, not because people are careless.")
        assertNoFinding(Rule.blameWord, in: "We do not think anyone was careless.")
        // "without" only negates what is right after it.
        assertFinds(Rule.blameWord, "irresponsible", in: "Running that script without a backup was irresponsible.")
    }

    func testBlameWordSubsumesOverlappingFindings() {
        let options = BlamelessOptions(people: ["Sam Porter"])
        let text = "This was entirely Sam's fault."
        let findings = analyze(text, analyzer: BlamelessAnalyzer(options: options))
        XCTAssertEqual(findings.map(\.rule), [Rule.blameWord], "one underline, not a name finding inside it")
        XCTAssertEqual(findings.first.map { underlined($0, in: text) }, "Sam's fault")
    }

    func testAdviceThatGradesAttentionAndConduct() {
        assertFinds(Rule.blameWord, "be more careful", in: "We should be more careful when making changes late on a Friday.")
        assertFinds(Rule.blameWord, "be more aware", in: "We need to be more aware when deploying certificates.")
        assertFinds(Rule.blameWord, "Be more careful", in: "Be more careful to test the service end-to-end.", .actionItems)
        assertFinds(Rule.blameWord, "unacceptable", in: "We spent way too much time on it - this is completely unacceptable.")
        assertFinds(Rule.blameWord, "solely responsible for", in: "The release engineer was solely responsible for the outage.")
        assertNoFinding(nil, in: "The readiness check should be more thorough.")
        assertNoFinding(nil, in: "A detection delay of four hours is unacceptable for this service.")
        assertNoFinding(nil, in: "The scheduler is solely responsible for placing pods.")
    }

    func testSuggestionRestatesTheClauseWithoutTheJudgement() {
        let text = "A careless config push made it worse."
        let suggestion = analyze(text).first { $0.rule == Rule.blameWord }?.suggestion ?? ""
        XCTAssertTrue(suggestion.contains("\"A config push made it worse\""), suggestion)
        XCTAssertTrue(suggestion.hasSuffix("ask \"which property of the system made this possible?\""), suggestion)
    }

    func testPredicateVerdictGetsFactsAdviceNotAFragment() {
        // Dropping a predicate adjective leaves a fragment ("this is completely and we'll …"), so the
        // suggestion asks for the facts behind the verdict instead of restating the clause.
        let text = "We took far too long to find the cause, which is totally unacceptable and we will change how we page."
        let suggestion = analyze(text).first { $0.rule == Rule.blameWord }?.suggestion ?? ""
        XCTAssertTrue(suggestion.hasPrefix("replace the verdict (\"unacceptable\") with the facts behind it"), suggestion)
        XCTAssertFalse(suggestion.contains("totally and"), suggestion)
    }

    func testIdiomsOfHasteAndRubberStampingJudgePeopleNotThings() {
        assertFinds(Rule.blameWord, "rubber-stamped", in: "The reviewer rubber-stamped the pull request.")
        assertFinds(Rule.blameWord, "went rogue", in: "The engineer went rogue and changed production by hand.")
        assertFinds(Rule.blameWord, "panicked", in: "The responder panicked and restarted everything.")
        assertFinds(Rule.blameWord, "took too long to respond", in: "The on-call engineer took too long to respond.")
        assertNoFinding(nil, in: "The kernel panicked on two of the database hosts.")
        assertNoFinding(nil, in: "The API took too long to respond, so the client timed out.")
    }
}
