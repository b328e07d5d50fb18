import Foundation
import XCTest
import InquestTestSupport

/// The identities of the sample history.
extension GitPerson {
    static let alice = GitPerson(name: "Alice Archer", email: "alice@example.com")
    /// Bob's old identity, mapped to `bob` by the sample's `.mailmap`.
    static let bobby = GitPerson(name: "Bobby", email: "bob@old.example")
    static let bob = GitPerson(name: "Bob Builder", email: "bob@example.com")
    static let carol = GitPerson(name: "Carol Chen", email: "carol@example.com")
    static let dependabot = GitPerson(name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com")
}

/// The shared fixture history, built in-process by `GitTestRepository` (dates one day apart from
/// 1,700,000,000, all +0200):
///
///     c1 Alice   add .mailmap, README.md, docs/intro.md, docs/guide.md, docs/link.md → intro.md,
///                src/main.c, and gitlink vendor/lib
///     c2 Bobby   edit docs/intro.md                        (mailmapped to Bob Builder)
///     c3 Carol   git mv docs/guide.md docs/manual.md       (tags: v1.0 annotated, light)
///     c4 Bob     on branch feature: edit docs/manual.md, add docs/feature.md
///     c5 Alice   on main: edit docs/intro.md
///     c6 Alice   merge feature (--no-ff)
///     c7 bot     dependabot[bot] edits README.md
///
/// Each test gets its own copy, so it may change it freely.
struct SampleRepository {
    let script: GitTestRepository
    let c1, c2, c3, c4, c5, c6, c7: String

    var path: String { script.path }
    /// The temporary folder holding the repository; clones go next to it.
    var folder: Folder { Folder(url: script.base) }

    struct Folder {
        let url: URL
        var path: String { url.path }
        func subpath(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    init() throws {
        let script = try GitTestRepository()
        self.script = script
        script.nextTime = 1_700_000_000
        script.offsetMinutes = 120

        try script.write(".mailmap", "Bob Builder <bob@example.com> <bob@old.example>\n")
        try script.write("README.md", "# Sample\n")
        try script.write("docs/intro.md", "Intro\n\nFirst version.\n")
        try script.write("docs/guide.md", "Guide\n\nA long enough body so that rename detection is sure.\nLine two.\nLine three.\n")
        try script.symlink("docs/link.md", to: "intro.md")
        try script.write("src/main.c", "int main(void) { return 0; }\n")
        try script.addAll()
        // An embedded repository is recorded as a gitlink (submodule entry), which must be skipped.
        try script.embedRepository("vendor/lib", files: ["lib.c": "int lib;\n"], as: .alice)
        c1 = try script.commit("Initial import", as: .alice)

        try script.write("docs/intro.md", "Intro\n\nSecond version.\n")
        try script.addAll()
        c2 = try script.commit("Reword intro", as: .bobby)

        try script.move("docs/guide.md", "docs/manual.md")
        c3 = try script.commit("Rename guide to manual", as: .carol)
        try script.tag("v1.0", message: "Version 1.0", as: .carol)
        try script.tag("light")

        try script.checkout(newBranch: "feature")
        try script.write("docs/manual.md", "Guide\n\nA long enough body so that rename detection is sure.\nLine two.\nLine three.\nLine four.\n")
        try script.write("docs/feature.md", "Feature\n")
        try script.addAll()
        c4 = try script.commit("Document the feature", as: .bob)

        try script.checkout("main")
        try script.write("docs/intro.md", "Intro\n\nThird version.\n")
        try script.addAll()
        c5 = try script.commit("Polish intro", as: .alice)

        c6 = try script.merge("feature", message: "Merge branch 'feature'", as: .alice)

        try script.write("README.md", "# Sample\n\nBadge.\n")
        try script.addAll()
        c7 = try script.commit("Bump badge", as: .dependabot)
    }
}
