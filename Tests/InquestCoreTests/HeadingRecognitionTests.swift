import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// Headings as real documents write them: numbered, suffixed, questions, no `##` at all.
final class HeadingRecognitionTests: XCTestCase {
    private func parse(_ text: String, path: String = "postmortems/a.md") -> Postmortem {
        PostmortemParser().parse(RawDocument(path: path, bytes: Array(text.utf8)))
    }

    private func roles(_ text: String) -> [String] {
        parse(text).sections.map { "\($0.heading) → \($0.canonicalNames.joined(separator: "+"))" }
    }

    func testNormalisationRemovesNumberingSuffixesAndPunctuation() {
        let cases: [(String, String)] = [
            ("Timeline (all times PST)", "timeline"),
            ("2. Timeline (UTC)", "timeline"),
            ("II. Root Cause", "root cause"),
            ("Step 3: Resolution", "resolution"),
            ("b) Impact", "impact"),
            ("1.2 Impact", "impact"),
            ("Timeline:", "timeline"),
            ("**Action Items**", "action item"),
            ("Timeline - all times in CET", "timeline"),
            ("Timeline \u{2014} overview", "timeline"),
            ("Root Cause & Resolution", "root cause and resolution"),
            ("Corrective and Preventative Measure", "corrective and preventative measure"),
            ("Corrective and Preventative Measures", "corrective and preventative measure"),
            ("Why did it happen?", "why did it happen"),
            ("Follow-ups", "follow up"),
            ("TL;DR", "tl;dr"),
            ("What didn\u{2019}t go well", "what didnt go well"),
            ("Analysis", "analysis"),
        ]
        for (heading, expected) in cases {
            XCTAssertEqual(Schema.normalizeHeading(heading), expected, heading)
        }
    }

    func testASCIIHeadingsNormaliseExactlyAsTheGeneralPath() {
        // Every name and alias of the default schema, then headings built from the pieces each
        // step of the normalisation reacts to.
        var headings = Schema().sections.flatMap { [$0.name] + $0.aliases }
        let pieces = ["Timeline", "ROOT", "Causes", "activities", "measures", "class", "status", "analysis", "ies", "us",
                      "(UTC)", "(", ")", "[draft]", "]", "*", "**", "`", " - ", "-", ":", "&", "+", "/", "'", "don't",
                      "2.", "1.2", "II.", "iv)", "b)", "Step 3:", "Phase ", "part 2", " ", "  ", "\t", "?", "!", ",", "_",
                      "#", ";", "TL;DR", "a", "x", "s", "99", "Follow-ups", "What went well"]
        var random = SplitMix64(seed: 15)
        for _ in 0..<5_000 {
            let count = random.int(1..<8)
            headings.append((0..<count).map { _ in random.pick(pieces) }.joined(separator: random.pick([" ", ""])))
        }
        for heading in headings {
            XCTAssertEqual(Schema.asciiNormalized(heading), Schema.generalNormalized(heading), heading)
        }
        // Anything else takes the general path.
        XCTAssertNil(Schema.asciiNormalized("Timeline \u{2014} overview"))
        XCTAssertNil(Schema.asciiNormalized("What didn\u{2019}t go well"))
    }

    func testRealWorldVariantsMatchTheirSections() {
        let schema = Schema()
        let cases: [(String, [String])] = [
            ("Incident Summary", ["Summary"]), ("Issue Description", ["Summary"]), ("What happened?", ["Summary"]),
            ("Incident Timeline", ["Timeline"]), ("3. Timeline (all times PST)", ["Timeline"]),
            ("Why did it happen?", ["Root Causes"]), ("Contributing Factors", ["Root Causes"]),
            ("Root Cause and Resolution", ["Root Causes", "Resolution"]), ("Root Cause & Resolution", ["Root Causes", "Resolution"]),
            ("Resolution and Recovery", ["Resolution"]),
            ("How are we preventing it from happening again?", ["Action Items"]), ("Prevention", ["Action Items"]),
            ("Improvements", ["Action Items"]), ("Follow-ups", ["Action Items"]), ("Follow ups:", ["Action Items"]), ("Tasks", ["Action Items"]),
            ("Corrective and Preventative Measure", ["Action Items"]), ("Corrective and preventive measures:", ["Action Items"]),
            ("Lessons Learned", ["Lessons Learned"]), ("Lesson learned", ["Lessons Learned"]),
            ("Attendees", []),
        ]
        for (heading, expected) in cases {
            XCTAssertEqual(schema.canonicalNames(forHeading: heading), expected, heading)
        }
    }

    func testQualifiedAndJoinedHeadingsMatchTheSectionsTheyName() {
        let schema = Schema()
        let cases: [(String, [String])] = [
            ("Blameless root cause", ["Root Causes"]), ("Incident Recovery", ["Resolution"]), ("Impact analysis", ["Impact"]),
            ("Impact & Metrics", ["Impact"]), ("Detection & Response", ["Detection"]), ("Lessons learned and next steps", ["Lessons Learned", "Action Items"]),
            ("What can be improved", ["What Went Wrong"]), ("Lessons learnt", ["Lessons Learned"]),
            // Atlassian's other headings name no section Inquest knows, and stay unknown.
            ("Leadup", []), ("Fault", []), ("Response", []), ("Five whys", []), ("Related incidents", []), ("Incident response", []),
        ]
        for (heading, expected) in cases {
            XCTAssertEqual(schema.canonicalNames(forHeading: heading), expected, heading)
        }
    }

    func testBoldLabelParagraphsBeforeTheFirstHeadingAreSections() {
        // The SRE-book layout: labelled paragraphs under the title, then `##` sections.
        let text = "# Search outage\n\n**Date:** 2023-10-21\n\n**Summary:** Search failed for an hour.\n\n**Impact**: 1.2M queries failed.\n\n**Trigger:** A traffic spike.\n\n## Timeline\n\n- 21:51 spike\n\n**Resolution:** inside the timeline, not a section.\n"
        XCTAssertEqual(roles(text), ["Summary → Summary", "Impact → Impact", "Trigger → ", "Timeline → Timeline"])
        let summary = parse(text).sections[0]
        XCTAssertEqual(summary.blocks.count, 1, "the labelled paragraph is the section's content")
        XCTAssertEqual(parse(text).source.position(of: summary.headingBytes.lowerBound).line, 5)
        XCTAssertEqual(roles("# Notes\n\n**Owner:** someone\n\n## Summary\n\nText.\n"), ["Summary → Summary"], "labels naming no section start nothing")
        // Metadata above real sections: a one-word value, or a section a heading names too.
        XCTAssertEqual(roles("# X\n\n**Severity:** SEV2\n\n**Impact:** High\n\n## Summary\n\nText.\n"), ["Summary → Summary"])
        XCTAssertEqual(roles("# X\n\n**Impact:** about four in five customers\n\n## Summary\n\nText.\n\n## Impact\n\nMore.\n"),
                       ["Summary → Summary", "Impact → Impact"])
    }

    func testConfiguredAliasesAreNormalisedToo() throws {
        let config = try ConfigurationLoader(knownRuleIDs: RuleRegistry.ids).load(bytes: Array("""
        schema:
          sections:
            aliases:
              Impact: ["Blast radius"]
        """.utf8), path: "inquest.yml")
        XCTAssertEqual(config.schema.canonicalNames(forHeading: "4. Blast Radius (customers)"), ["Impact"])
    }

    func testDocumentWithoutH2UsesItsH3Sections() {
        let text = "# Database migration\n\nIntro.\n\n### Summary\n\nText.\n\n### Timeline\n\n- 09:00 UTC — a\n\n#### Detail\n\nMore.\n\n### Follow-ups\n\n- [ ] Add an alert\n"
        XCTAssertEqual(roles(text), ["Summary → Summary", "Timeline → Timeline", "Follow-ups → Action Items"])
        XCTAssertEqual(parse(text).timeline.count, 1)
    }

    func testTheLevelThatNamesTheSectionsWinsOverAWrapper() {
        XCTAssertEqual(roles("# T\n\n## Incident report\n\n### Summary\n\nA.\n\n### Timeline\n\n- 09:00 UTC a\n\n### Root Causes\n\nB.\n"),
                       ["Summary → Summary", "Timeline → Timeline", "Root Causes → Root Causes"])
        XCTAssertEqual(roles("# Summary\n\nA.\n\n## Scope\n\nB.\n\n# Impact\n\nC.\n\n# Timeline\n\n## Day one\n\n- 09:00 UTC a\n"),
                       ["Summary → Summary", "Impact → Impact", "Timeline → Timeline"])
        // Two known H2s keep H2 as the level, whatever the H3s say.
        XCTAssertEqual(roles("## Summary\n\nA.\n\n### Impact\n\n### Timeline\n\n### Root Causes\n\n## Action Items\n\n- [ ] x\n"),
                       ["Summary → Summary", "Action Items → Action Items"])
    }

    func testDocumentWhoseSectionsAreH1() {
        XCTAssertEqual(roles("# Summary\n\nText.\n\n# Timeline\n\n- 09:00 — a\n"), ["Summary → Summary", "Timeline → Timeline"])
        XCTAssertEqual(roles("# Disk full on db-2\n\n# Summary\n\nText.\n\n# Timeline\n\n- 09:00 — a\n"), ["Summary → Summary", "Timeline → Timeline"],
                       "a leading H1 that names no section is the title")
    }

    func testBoldParagraphsAreHeadingsWhenThereAreNoHeadings() {
        let text = "**Issue Summary**\n\nThe queue stalled.\n\n**Timeline:**\n\n- 09:00 — a\n\n**Root cause**: a full disk.\n\nTimeline notes are **important** here.\n\nAction items\n\n- [ ] Alert on disk use\n"
        XCTAssertEqual(roles(text), ["Issue Summary → Summary", "Timeline: → Timeline", "Root cause → Root Causes", "Action items → Action Items"],
                       "with no headings at all, '**Root cause**: …' is the root-cause section; '**important**' inside prose is nothing")
    }

    func testALabelLineWithItsContentOnTheNextLines() {
        // Written without blank lines: the label and its content are one Markdown paragraph.
        let text = "Postmortem: login down\n\nIssue Summary:\nThe page failed.\n\nTimeline:\n10:00 UTC - alert\n10:45 UTC - fixed\n\n**Root Cause and Resolution**\nA missing variable; it was set.\n\nNote:\nnot a section.\n"
        XCTAssertEqual(roles(text), ["Issue Summary → Summary", "Timeline → Timeline", "Root Cause and Resolution → Root Causes+Resolution"])
        let postmortem = parse(text)
        XCTAssertEqual(postmortem.timeline.map(\.timeText), ["10:00 UTC", "10:45 UTC"])
        XCTAssertEqual(postmortem.source.position(of: postmortem.sections[1].headingBytes.lowerBound).line, 6)
        XCTAssertEqual(roles("**Postmortem: export missing**\n\n**Summary**\n\nText.\n"), ["Summary → Summary"], "a bold first line naming no section is the title")
    }

    func testBoldParagraphsAreNotHeadingsWhenRealHeadingsExist() {
        let text = "## Summary\n\nText.\n\n**Timeline**\n\n- 09:00 — a\n"
        XCTAssertEqual(roles(text), ["Summary → Summary"])
    }

    func testSectionsAreCheckedWithoutFrontMatter() {
        let text = "# Outage\n\n## Summary\n\nThe queue stalled.\n"
        let rules = Set(Lint.run(text).map(\.rule))
        XCTAssertTrue(rules.contains("syntax/front-matter"))
        XCTAssertTrue(rules.contains("structure/missing-section"), "\(rules)")
        let diagnostic = Lint.run(text).first { $0.rule == "syntax/front-matter" }
        XCTAssertEqual(diagnostic?.message, "missing front-matter: the file must start with a '---' line")
        XCTAssertEqual(diagnostic?.suggestion,
                       "run 'inquest adopt' to infer it from the document, or copy the front-matter of postmortems/_template.md ('inquest new' writes one)")
    }

    func testTimelineActionItemsAndLanguageRulesRunWithoutFrontMatter() {
        let text = "# Outage\n\n## Timeline\n\n- 09:40 — a\n- 09:10 — b\n\n## Action Items\n\n- [ ] Be more careful with caches\n"
        let rules = Set(Lint.run(text).map(\.rule))
        XCTAssertTrue(rules.isSuperset(of: ["timeline/out-of-order", "action-items/not-actionable", "action-items/missing-owner"]), "\(rules)")
    }

    func testQuestionHeadingsSatisfyRequiredSections() {
        let body = """
        ## What happened?

        The queue stalled.

        ## Impact

        Slow pages.

        ## Incident Timeline (all times PST)

        - 9:00 AM — a

        ## Why did it happen?

        A full disk.

        ## Resolution and Recovery

        Disk cleared.

        ## How are we preventing it from happening again?

        - [ ] Alert on disk use — @platform, OPS-1
        """
        let document = ExampleDocument.make().components(separatedBy: "## Summary")[0] + body + "\n"
        XCTAssertEqual(Lint.run(document).filter { $0.rule.hasPrefix("structure/") }.map(\.message), [])
    }
}
