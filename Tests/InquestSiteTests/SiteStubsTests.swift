import XCTest
import InquestCore
@testable import InquestSite

/// Stub facts given by position (``SiteStubs/init(ordered:read:)``) read as the same facts as
/// stubs given by path, and a position list made for another order is never trusted.
final class SiteStubsTests: XCTestCase {
    /// The fixture archive with every document but `parsed` made into a stub, and the stubs' facts by position.
    private func stubbed(keepingParsed parsed: String) -> (archive: Archive, ordered: [SiteDocumentFacts?]) {
        let full = Fixture.archive()
        var documents: [Postmortem] = []
        var ordered: [SiteDocumentFacts?] = []
        for postmortem in full.postmortems {
            if postmortem.path == parsed {
                documents.append(postmortem)
                ordered.append(nil)
            } else {
                let facts = SiteStubs.facts(of: postmortem)
                documents.append(facts.stub(source: SourceText(bytes: []), contentID: "id-" + postmortem.path))
                ordered.append(facts)
            }
        }
        return (Archive.withoutSimilarity(postmortems: documents, catalogue: full.catalogue), ordered)
    }

    func testStubsByPositionReadTheSameFactsAsStubsByPath() {
        let (archive, ordered) = stubbed(keepingParsed: Fixture.paths.second)
        let byPosition = SiteStubs(ordered: ordered)
        var table: [String: SiteDocumentFacts] = [:]
        for case let fact? in ordered { table[fact.path] = fact }
        let byPath = SiteStubs(facts: table)
        XCTAssertEqual(byPosition.count, Fixture.files.count - 1)
        XCTAssertFalse(byPosition.isEmpty)
        XCTAssertEqual(byPosition.facts, table, "the table by path is the positions' facts")
        XCTAssertEqual(byPosition.inOrder(of: archive), byPath.inOrder(of: archive))
        XCTAssertEqual(byPosition.inOrder(of: archive), ordered)
        XCTAssertTrue(SiteStubs(ordered: Array(repeating: nil, count: 3)).isEmpty)
    }

    /// Stubs filled one path at a time (the shared-lint path of ``SiteBuild/lint``) are counted:
    /// a count left at zero made the site model take them for parsed documents.
    func testStubsAddedByPathAreCounted() {
        let (archive, ordered) = stubbed(keepingParsed: Fixture.paths.second)
        var stubs = SiteStubs()
        for case let fact? in ordered { stubs.facts[fact.path] = fact }
        XCTAssertEqual(stubs.count, Fixture.files.count - 1)
        XCTAssertFalse(stubs.isEmpty)
        XCTAssertEqual(stubs.inOrder(of: archive), ordered)
    }

    /// Facts are values: a changed copy leaves the original (and the copies sharing its storage) as they were.
    func testFactsAreCopiedOnWrite() throws {
        let postmortem = try XCTUnwrap(Fixture.archive().postmortems.first { !$0.actionItems.isEmpty })
        let original = SiteStubs.facts(of: postmortem)
        let shared = original
        var changed = original
        XCTAssertEqual(changed, original)
        changed.title = "Another title"
        changed.actionItems.removeAll()
        changed.size += 1
        XCTAssertNotEqual(changed, original)
        XCTAssertEqual(original, shared)
        XCTAssertEqual(original.title, postmortem.title)
        XCTAssertEqual(original.actionItems.count, postmortem.actionItems.count)
        XCTAssertEqual(original.size, postmortem.source.bytes.count)
        XCTAssertEqual(changed.title, "Another title")
        XCTAssertTrue(changed.actionItems.isEmpty)
        // Equal values in separate storage are equal.
        XCTAssertEqual(SiteStubs.facts(of: postmortem), original)
    }

    /// Positions made for another archive (another order, or another count) fall back to the
    /// facts by path; a parsed document at a stub's position gets none.
    func testPositionsOfAnotherArchiveAreLookedUpByPath() {
        let (archive, ordered) = stubbed(keepingParsed: Fixture.paths.second)
        let expected = SiteStubs(ordered: ordered).inOrder(of: archive)
        let reversed = SiteStubs(ordered: ordered.reversed())
        XCTAssertEqual(reversed.inOrder(of: archive), expected, "another order: by path")
        let shorter = SiteStubs(ordered: Array(ordered.dropLast()) + [nil, nil])
        XCTAssertEqual(shorter.inOrder(of: archive).count, archive.postmortems.count)
        // The same positions over an archive where one stub was parsed since: no facts for it.
        let parsedAll = Fixture.archive()
        let facts = SiteStubs(ordered: ordered).inOrder(of: parsedAll)
        XCTAssertEqual(facts, Array(repeating: nil, count: parsedAll.postmortems.count), "parsed documents are not stubs")
    }

    /// A body's link tails end at `.md` or `.markdown` and start after a slash, bracket,
    /// parenthesis, quote, `=`, `:` or line break (spaces stay in: a file name may hold them);
    /// a body that can spell a name with other bytes has none to tell.
    func testLinkTailsAreWhatALinkToAFileCanEndWith() {
        func tails(_ text: String) -> [String]? { SiteDocumentFacts.linkTails(in: Array(text.utf8)[...]) }
        XCTAssertEqual(tails("See [x](../2024/x.md#impact) and [y][y].\n\n[y]: y.markdown\n"), [" y.markdown", "x.md"])
        XCTAssertEqual(tails("<../2024/my file.md> and as in old.md, later"), [" and as in old.md", "my file.md"])
        XCTAssertEqual(tails("no links, an .mdx file, README.mdown"), [])
        XCTAssertEqual(SiteModel.linkedFileNames([" and as in old.md"]), [" and as in old.md", "and as in old.md", "as in old.md", "in old.md", "old.md"])
        XCTAssertEqual(tails("60% of requests failed; see [x](../50%25/x.md)"), ["x.md"], "a percent sign outside a file name")
        XCTAssertNil(tails("[x](my%20file.md)"), "percent-encoded")
        XCTAssertNil(tails("[x](&#120;.md)"), "an entity in the name")
        XCTAssertNil(tails("[x](x&#46;md)"), "an entity")
        XCTAssertNil(tails("[x](x\\.md)"), "an escape")
    }
}
