import Foundation
import XCTest
import InquestCore
@testable import InquestSite
import InquestTestSupport

/// The search index updated from the last full build's state (``SearchIndex/init(updating:model:plan:)``)
/// is the index built from scratch, byte for byte, after random sequences of edits; the state
/// file round-trips and a damaged or foreign one is never opened.
final class SearchIndexUpdateTests: XCTestCase {
    /// Words shared by many documents, and rare ones (a term whose last document goes).
    static let common = (0..<1200).map { "w\(String($0, radix: 36))ord" } + ["database", "failover", "latency", "deploy", "rollback"]

    /// A postmortem dated `day` days after 2020-01-01 (distinct days keep the order by date).
    static func document(day: Int, random: inout SplitMix64, causes: [String]? = nil) -> String {
        let date = Calendar(identifier: .gregorian).date(byAdding: .day, value: day, to: Date(timeIntervalSince1970: 1_577_836_800))!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let causeList = causes ?? (0..<random.int(0..<3)).map { _ in random.pick(["cache-stampede", "missing-alert", "config-drift", "disk-full"]) }
        let services = (0..<random.int(0..<3)).map { _ in random.pick(["api", "checkout", "search", "db"]) }
        var body = ""
        for _ in 0..<random.int(150..<450) {
            body += random.int(0..<20) == 0 ? "rare\(random.next() % 100_000) " : random.pick(common) + " "
            if random.int(0..<12) == 0 { body += ". " }
        }
        return """
            ---
            title: "Incident \(random.pick(common)) \(day)"
            date: \(formatter.string(from: date))
            status: final
            severity: SEV\(random.int(1..<4))
            services: [\(services.joined(separator: ", "))]
            root_causes: [\(causeList.joined(separator: ", "))]
            ---

            ## Summary

            \(body)

            ## Resolution

            Restarted the \(random.pick(common)) service.

            """
    }

    /// The index of `files` built from scratch, and the model without one (what an update starts from).
    func models(_ files: [String: String], catalogue: String = Fixture.catalogue) -> (full: SiteModel, light: SiteModel) {
        let documents = files.keys.sorted().map { RawDocument(path: $0, bytes: Array(files[$0]!.utf8)) }
        let input = LintInput(documents: documents, catalogue: RawDocument(path: "postmortems/causes.yml", bytes: Array(catalogue.utf8)))
        let archive = Linter().buildArchive(input)
        return (SiteModel(archive: archive, settings: Fixture.settings), SiteModel(archive: archive, settings: Fixture.settings, searchIndex: false))
    }

    /// A state file written from `index`'s snapshot, opened.
    func state(of index: SearchIndex, in folder: TemporaryFolder, key: String = "key") throws -> SearchState {
        let url = folder.url.appendingPathComponent("search-\(UUID().uuidString).cache")
        try Data(SearchState.encode(try XCTUnwrap(index.snapshot), key: key)).write(to: url)
        return try XCTUnwrap(SearchState.open(url, key: key))
    }

    /// Every file, every digest.
    func assertSame(_ updated: SearchIndex, _ full: SearchIndex, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(updated.manifest, full.manifest, "manifest: \(message)", file: file, line: line)
        XCTAssertEqual(updated.shardCount, full.shardCount, message, file: file, line: line)
        XCTAssertEqual(updated.documentFileCount, full.documentFileCount, message, file: file, line: line)
        XCTAssertEqual(updated.prefixFiles, full.prefixFiles, message, file: file, line: line)
        guard updated.shardCount == full.shardCount, updated.documentFileCount == full.documentFileCount,
              updated.prefixFiles == full.prefixFiles else { return }
        let parts: [SearchDataPage.Part] = [.manifest] + (0..<full.shardCount).map { .shard($0) }
            + (0..<full.documentFileCount).map { .document($0) } + full.prefixFiles.enumerated().map { .prefix(key: $1, index: $0) }
        for part in parts {
            XCTAssertEqual(updated.script(part), full.script(part), "\(part): \(message)", file: file, line: line)
            XCTAssertEqual(updated.digest(part), SHA256.hex(full.script(part)), "digest of \(part): \(message)", file: file, line: line)
            XCTAssertEqual(full.digest(part), SHA256.hex(full.script(part)), "full digest of \(part)", file: file, line: line)
        }
    }

    func testUpdatedIndexEqualsAFullIndexOverRandomEditSequences() throws {
        let folder = try TemporaryFolder()
        var random = SplitMix64(seed: 15)
        var files: [String: String] = [:]
        var days: [String: Int] = [:]
        for number in 0..<130 {
            let path = "postmortems/p\(number).md"
            files[path] = Self.document(day: number * 3, random: &random)
            days[path] = number * 3
        }
        var (full, _) = models(files)
        XCTAssertGreaterThan(full.search.shardCount, 1, "several shards, so an update leaves some alone")
        var state = try state(of: full.search, in: folder)
        var updates = 0, rebuilt = 0, kinds: [String: Int] = [:]
        var nextNumber = 130
        for step in 0..<60 {
            var described: [String] = []
            for _ in 0..<random.int(1..<3) {
                let paths = files.keys.sorted()
                let newest = paths.max { days[$0]! < days[$1]! }!
                switch random.int(0..<9) {
                case 0, 1, 2:
                    // A body edit: words added, removed, replaced.
                    let path = random.pick(paths)
                    files[path] = Self.document(day: days[path]!, random: &random)
                    described.append("edit \(path)")
                case 3:
                    // A new incident, the newest.
                    let path = "postmortems/p\(nextNumber).md"
                    nextNumber += 1
                    days[path] = days[newest]! + 1
                    files[path] = Self.document(day: days[path]!, random: &random)
                    described.append("add newest \(path)")
                case 4:
                    // A new incident dated among the others (every later id moves).
                    let path = "postmortems/p\(nextNumber).md"
                    nextNumber += 1
                    days[path] = days[random.pick(paths)]! + 1
                    if days.values.filter({ $0 == days[path]! }).count > 1 { days[path]! += 100_000 }
                    files[path] = Self.document(day: days[path]!, random: &random)
                    described.append("add older \(path)")
                case 5:
                    // The newest removed, or another one.
                    let path = random.int(0..<2) == 0 ? newest : random.pick(paths)
                    guard files.count > 4 else { continue }
                    files[path] = nil
                    days[path] = nil
                    described.append("remove \(path)")
                case 6:
                    // Renamed (its id and page URL change).
                    let path = random.pick(paths)
                    let renamed = "postmortems/r\(nextNumber).md"
                    nextNumber += 1
                    files[renamed] = files.removeValue(forKey: path)
                    days[renamed] = days.removeValue(forKey: path)
                    described.append("rename \(path)")
                case 7:
                    // Only its causes change (facet terms, filters).
                    let path = random.pick(paths)
                    files[path] = files[path]!.replacingOccurrences(of: "root_causes: [", with: "root_causes: [disk-full, ")
                    described.append("causes \(path)")
                default:
                    // Nothing: the same bytes again.
                    described.append("none")
                }
            }
            let (nextFull, light) = models(files)
            full = nextFull
            let message = "step \(step): " + described.joined(separator: ", ")
            for kind in described { kinds[String(kind.prefix { $0 != " " }), default: 0] += 1 }
            if let plan = SearchIndex.Plan(model: light, state: state), let updated = SearchIndex(updating: state, model: light, plan: plan) {
                updates += 1
                assertSame(updated, full.search, message)
                XCTAssertEqual(updated.computed, plan.changed.count, message)
            } else {
                // As the builder does: the index built in full, its state written for the next build.
                rebuilt += 1
                state = try self.state(of: full.search, in: folder)
            }
        }
        XCTAssertGreaterThan(updates, 25, "most steps are updates (\(kinds))")
        XCTAssertGreaterThan(rebuilt, 3, "some steps need the full index")
    }

    /// A term whose only document goes disappears from its shard and its prefix file, and a prefix
    /// file whose last term goes disappears.
    func testLastDocumentOfATermAndOfAPrefixFileRemoved() throws {
        let folder = try TemporaryFolder()
        var random = SplitMix64(seed: 7)
        var files: [String: String] = [:]
        for number in 0..<12 { files["postmortems/p\(number).md"] = Self.document(day: number, random: &random) }
        files["postmortems/p5.md"] = files["postmortems/p5.md"]!.replacingOccurrences(of: "## Resolution", with: "zzyzx quokkas.\n\n## Resolution")
        let (full, _) = models(files)
        XCTAssertTrue(full.search.prefixFiles.contains("z"))
        let state = try state(of: full.search, in: folder)
        files["postmortems/p5.md"] = files["postmortems/p5.md"]!.replacingOccurrences(of: "zzyzx quokkas.", with: "")
        let (after, light) = models(files)
        XCTAssertFalse(after.search.prefixFiles.contains("z"))
        let plan = try XCTUnwrap(SearchIndex.Plan(model: light, state: state))
        XCTAssertEqual(plan.changed.count, 1)
        let updated = try XCTUnwrap(SearchIndex(updating: state, model: light, plan: plan))
        assertSame(updated, after.search, "zzyzx removed")
        // And back.
        let state2 = try self.state(of: after.search, in: folder)
        files["postmortems/p5.md"] = files["postmortems/p5.md"]!.replacingOccurrences(of: "## Resolution", with: "zzyzx again.\n\n## Resolution")
        let (again, light2) = models(files)
        let plan2 = try XCTUnwrap(SearchIndex.Plan(model: light2, state: state2))
        assertSame(try XCTUnwrap(SearchIndex(updating: state2, model: light2, plan: plan2)), again.search, "zzyzx added")
    }

    /// A catalogue title is part of the data of every document citing that cause: those documents
    /// change, the others do not.
    func testACatalogueTitleChangesTheDocumentsOfItsCause() throws {
        let folder = try TemporaryFolder()
        var random = SplitMix64(seed: 5)
        var files: [String: String] = [:]
        for number in 0..<40 { files["postmortems/p\(number).md"] = Self.document(day: number, random: &random, causes: number % 8 == 0 ? ["config-drift"] : ["disk-full"]) }
        let (full, _) = models(files)
        let state = try state(of: full.search, in: folder)
        let renamed = Fixture.catalogue.replacingOccurrences(of: "title: \"Configuration drift\"", with: "title: \"Drifting configuration\"")
        XCTAssertNotEqual(renamed, Fixture.catalogue)
        let (after, light) = models(files, catalogue: renamed)
        let plan = try XCTUnwrap(SearchIndex.Plan(model: light, state: state))
        XCTAssertEqual(plan.changed.count, 5, "the five documents citing config-drift")
        assertSame(try XCTUnwrap(SearchIndex(updating: state, model: light, plan: plan)), after.search, "catalogue title")
    }

    /// An update leaves the files its change does not touch in the state: they are not made.
    func testBodyEditMakesOnlyTheFilesItTouches() throws {
        let folder = try TemporaryFolder()
        var random = SplitMix64(seed: 3)
        var files: [String: String] = [:]
        for number in 0..<130 { files["postmortems/p\(number).md"] = Self.document(day: number, random: &random) }
        let (full, _) = models(files)
        let state = try state(of: full.search, in: folder)
        files["postmortems/p40.md"] = files["postmortems/p40.md"]!.replacingOccurrences(of: "## Resolution", with: "database failover.\n\n## Resolution")
        let (after, light) = models(files)
        let plan = try XCTUnwrap(SearchIndex.Plan(model: light, state: state))
        let updated = try XCTUnwrap(SearchIndex(updating: state, model: light, plan: plan))
        assertSame(updated, after.search, "one sentence added")
        let made = updated.madeFiles
        XCTAssertLessThanOrEqual(made.shards, 3, "only the shards of the changed terms")
        XCTAssertEqual(made.documents, 1, "only the edited document's file")
        XCTAssertLessThan(made.shards, updated.shardCount)
    }

    func testStateRoundTripsAndADamagedOrForeignOneIsNotOpened() throws {
        let folder = try TemporaryFolder()
        var random = SplitMix64(seed: 11)
        var files: [String: String] = [:]
        for number in 0..<10 { files["postmortems/p\(number).md"] = Self.document(day: number, random: &random) }
        let (full, light) = models(files)
        let bytes = SearchState.encode(try XCTUnwrap(full.search.snapshot), key: "key")
        let url = folder.url.appendingPathComponent("state.cache")
        func open(_ data: [UInt8], key: String = "key") throws -> SearchState? {
            try Data(data).write(to: url)
            return SearchState.open(url, key: key)
        }
        let state = try XCTUnwrap(try open(bytes))
        XCTAssertEqual(state.documentCount, 10)
        XCTAssertEqual(Set(state.allEntries().keys), Set(full.search.entries.keys), "one row per document, by key")
        // Rows in id order, matched in place as the keys and URLs a build makes.
        for (id, index) in light.archive.chronological.enumerated() {
            let postmortem = light.archive.postmortems[index]
            XCTAssertEqual(state.key(id), SearchIndex.documentKey(postmortem, model: light))
            XCTAssertTrue(state.hasKey(id, ofDocument: index, model: light))
            XCTAssertTrue(state.hasKey(id, ofDocument: index, model: light, sameCatalogue: true))
            XCTAssertEqual(state.url(id), light.postmortemURL(index))
            XCTAssertTrue(state.hasURL(id, ofDocument: index, model: light))
            XCTAssertFalse(state.hasKey((id + 1) % 10, ofDocument: index, model: light), "another document's key")
        }
        // Nothing changed: an update with nothing to do, the same files.
        let plan = try XCTUnwrap(SearchIndex.Plan(model: light, state: state))
        XCTAssertTrue(plan.changed.isEmpty && plan.removed.isEmpty)
        assertSame(try XCTUnwrap(SearchIndex(updating: state, model: light, plan: plan)), full.search, "no change")

        XCTAssertNil(try open(bytes, key: "other"), "another configuration or generator")
        XCTAssertNil(try open(Array(bytes.dropLast())), "truncated")
        XCTAssertNil(try open(bytes + [0]), "longer")
        for position in [bytes.count / 3, bytes.count / 2, bytes.count - 1] {
            var flipped = bytes
            flipped[position] ^= 0x20
            XCTAssertNil(try open(flipped), "a byte changed at \(position)")
        }
        XCTAssertNil(try open(Array("garbage".utf8)))
        XCTAssertNil(try open([]))
        var older = bytes
        let version = Array("inquest-search-state\t3".utf8)
        XCTAssertEqual(Array(older[0..<version.count]), version)
        older[version.count - 1] = UInt8(ascii: "2")
        XCTAssertNil(try open(older), "another format version")
    }
}
