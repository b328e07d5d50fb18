import Foundation
import XCTest
@testable import InquestCore
import InquestTestSupport

/// The command lines of docs/git.md, run exactly as written against scripted checkouts shaped like
/// the CI runners' (the YAML runners themselves cannot run here).
final class GitDocsTests: XCTestCase {
    private static let docs = Repository.root.appendingPathComponent("docs/git.md")

    static let gitHubSARIF = "inquest lint --changed-since origin/${{ github.base_ref }} --format sarif --output inquest.sarif"
    static let gitHubAnnotations = "inquest lint --changed-since origin/${{ github.base_ref }} --format github"
    static let gitLabFetch = "git fetch origin $CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    static let gitLabLint = "inquest lint --changed-since origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    static let bareLint = "cd incidents.git && inquest lint --rev main"
    static let publishBranch = "git branch --force gh-pages origin/gh-pages 2>/dev/null || true"
    static let publish = "inquest publish --branch gh-pages --base-url \"https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/\""
    static let publishPush = "git push origin gh-pages"

    func testTheCommandsAreTheOnesInTheDocs() throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        for command in [Self.gitHubSARIF, Self.gitHubAnnotations, Self.gitLabFetch, Self.gitLabLint, Self.bareLint,
                        Self.publishBranch, Self.publish, Self.publishPush,
                        "inquest hook install", "inquest hook uninstall", "fetch-depth: 0", "GIT_DEPTH: 0",
                        "github/codeql-action/upload-sarif", "actions/checkout"] {
            XCTAssertTrue(text.contains(command), "docs/git.md no longer contains: \(command)")
        }
        let hooks = try String(contentsOf: Repository.root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        for line in ["- id: inquest-lint", "entry: inquest lint --staged", "language: system", "pass_filenames: false", "files: '^(postmortems/|inquest\\.yml$)'", "language: swift"] {
            XCTAssertTrue(hooks.contains(line), ".pre-commit-hooks.yaml: \(line)")
        }
    }

    /// The upstream repository of a pull request: `main` with two published postmortems, a
    /// `feature` branch adding a broken one, and `main` moving on (with its own broken edit, which
    /// the pull request must not be blamed for).
    private func upstream() throws -> GitTestRepository {
        let origin = try GitTestRepository()
        try origin.writeCatalogue()
        try origin.writePostmortem("postmortems/2025/2025-01-10-a.md", sections: ["Summary": "The first incident of the year."])
        try origin.writePostmortem("postmortems/2025/2025-02-10-b.md", sections: ["Summary": "The second incident of the year."])
        try origin.commitAll("Import", as: .priya)
        try origin.checkout(newBranch: "feature")
        try origin.writePostmortem("postmortems/2025/2025-05-10-new.md", fields: ["severity": "SEV9"],
                                   sections: ["Summary": "The incident this pull request writes up."])
        try origin.commitAll("Write up the May incident", as: .marcus)
        try origin.checkout("main")
        try origin.writePostmortem("postmortems/2025/2025-02-10-b.md", fields: ["severity": "SEV8"],
                                   sections: ["Summary": "The second incident of the year."])
        try origin.commitAll("Edit b on main", as: .lena)
        return origin
    }

    private func shell(_ command: String, in folder: URL, repo: GitTestRepository, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, error: String) {
        let binary = try XCTUnwrap(InquestBinary.url, "the inquest binary is built with --build-tests")
        var env = repo.environment(for: .priya)
        env["PATH"] = binary.deletingLastPathComponent().path + ":/usr/bin:/bin"
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        return try Subprocess.execute(["/bin/sh", "-c", command], in: folder, environment: env)
    }

    func testGitHubActionsCommands() throws {
        let origin = try upstream()
        // actions/checkout with fetch-depth: 0 on a pull request: every branch as origin/*, and a
        // detached HEAD on the merge of the pull request into its base.
        let checkout = try origin.clone("github")
        try checkout.checkout(detached: "origin/main")
        try checkout.merge("origin/feature", message: "Merge pull request #7", as: .priya)
        let baseRef = "main" // ${{ github.base_ref }} is substituted before the shell sees the line
        let sarifRun = try shell(Self.gitHubSARIF.replacingOccurrences(of: "${{ github.base_ref }}", with: baseRef),
                                 in: checkout.url, repo: origin)
        XCTAssertEqual(sarifRun.status, 1, "lint errors fail the step: \(sarifRun.error)")
        let data = try Data(contentsOf: checkout.url.appendingPathComponent("inquest.sarif"))
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let results = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let files = Set(results.compactMap { result in
            ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
                .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        })
        XCTAssertEqual(files, ["postmortems/2025/2025-05-10-new.md"], "only the pull request's document")
        XCTAssertTrue(results.contains { $0["ruleId"] as? String == "schema/invalid-value" })

        let annotations = try shell(Self.gitHubAnnotations.replacingOccurrences(of: "${{ github.base_ref }}", with: baseRef),
                                    in: checkout.url, repo: origin)
        XCTAssertEqual(annotations.status, 1)
        XCTAssertTrue(annotations.output.contains("::error file=postmortems/2025/2025-05-10-new.md,line="), annotations.output)
        XCTAssertFalse(annotations.output.contains("file=postmortems/2025/2025-02-10-b.md"), annotations.output)
    }

    func testGitLabCommands() throws {
        let origin = try upstream()
        // A merge request pipeline: the source branch fetched and checked out detached; the
        // target branch not fetched at all.
        let checkout = try GitTestRepository(plain: true)
        let folder = checkout.url
        try Subprocess.run(["git", "init", "-q", "-b", "main"], in: folder, environment: origin.environment(for: .priya))
        try origin.git(["remote", "add", "origin", "file://" + origin.path], in: folder)
        try origin.git(["fetch", "-q", "origin", "+refs/heads/feature:refs/remotes/origin/feature"], in: folder)
        try origin.git(["checkout", "-q", "--detach", "origin/feature"], in: folder)
        let variables = ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"]

        let before = try shell(Self.gitLabLint, in: folder, repo: origin, environment: variables)
        XCTAssertEqual(before.status, 2, "without the fetch the base is unknown")
        XCTAssertTrue(before.error.contains("git fetch origin main"), before.error)

        let fetch = try shell(Self.gitLabFetch, in: folder, repo: origin, environment: variables)
        XCTAssertEqual(fetch.status, 0, fetch.error)
        let lint = try shell(Self.gitLabLint, in: folder, repo: origin, environment: variables)
        XCTAssertEqual(lint.status, 1, lint.error)
        XCTAssertTrue(lint.output.contains("postmortems/2025/2025-05-10-new.md:"), lint.output)
        XCTAssertFalse(lint.output.split(separator: "\n").contains { $0.hasPrefix("postmortems/2025/2025-02-10-b.md:") }, lint.output)
        XCTAssertTrue(lint.output.contains("1 file checked: 1 error,"), lint.output)
        withExtendedLifetime(checkout) {} // its folder is used through `folder` above
    }

    /// The site workflow's step, in two runs on fresh checkouts of `main` (the second with the
    /// first run's caches restored): each pushes a commit of the site onto `gh-pages`, the second
    /// on top of the first.
    func testPublishCommands() throws {
        let origin = try upstream()
        let step = [Self.publishBranch,
                    Self.publish.replacingOccurrences(of: "${{ github.repository_owner }}", with: "your-org")
                        .replacingOccurrences(of: "${{ github.event.repository.name }}", with: "incidents"),
                    Self.publishPush].joined(separator: "\n")
        let first = try origin.clone("site-run-1")
        let run1 = try shell("set -e\n" + step, in: first.url, repo: origin)
        XCTAssertEqual(run1.status, 0, run1.error)
        let published = try origin.sha("gh-pages")
        XCTAssertTrue(try origin.files(at: "gh-pages").contains("index.html"))
        XCTAssertTrue(try origin.files(at: "gh-pages").contains("sitemap.xml"), "the base URL gives a sitemap")

        try origin.writePostmortem("postmortems/2025/2025-03-10-c.md", sections: ["Summary": "The third incident of the year."])
        try origin.commitAll("Write up the March incident", as: .lena)
        let second = try origin.clone("site-run-2")
        try FileManager.default.copyItem(at: first.url.appendingPathComponent(".git/inquest"),
                                         to: second.url.appendingPathComponent(".git/inquest"))
        let run2 = try shell("set -e\n" + step, in: second.url, repo: origin)
        XCTAssertEqual(run2.status, 0, run2.error)
        XCTAssertEqual(try origin.sha("gh-pages~1"), published, "on top of the first run's commit")
        XCTAssertNotEqual(try origin.sha("gh-pages"), published)
        XCTAssertTrue(try origin.files(at: "gh-pages").contains("postmortems/2025-03-10-c.html"))
    }

    func testBareRepositoryCommand() throws {
        let origin = try upstream()
        _ = try origin.clone("incidents.git", bare: true)
        let run = try shell(Self.bareLint, in: origin.base, repo: origin)
        XCTAssertEqual(run.status, 1, run.error)
        XCTAssertTrue(run.output.contains("postmortems/2025/2025-02-10-b.md:"), run.output)
    }

    func testHookCommands() throws {
        let repo = try upstream()
        let install = try shell("inquest hook install", in: repo.url, repo: repo, environment: ["HOME": repo.home.path])
        XCTAssertEqual(install.status, 0, install.error)
        XCTAssertEqual(install.output, "installed \(repo.path)/.git/hooks/pre-commit\n")
        let again = try shell("inquest hook install", in: repo.url, repo: repo, environment: ["HOME": repo.home.path])
        XCTAssertEqual(again.output, "updated \(repo.path)/.git/hooks/pre-commit\n")
        let uninstall = try shell("inquest hook uninstall", in: repo.url, repo: repo, environment: ["HOME": repo.home.path])
        XCTAssertEqual(uninstall.status, 0, uninstall.error)
        try repo.write(".git/hooks/pre-commit", "#!/bin/sh\n")
        let refused = try shell("inquest hook install", in: repo.url, repo: repo, environment: ["HOME": repo.home.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.error.contains("use --force"), refused.error)
    }

    func testLintOptionErrorsExitTwo() throws {
        let repo = try upstream()
        let unknown = try shell("inquest lint --rev no-such-tag", in: repo.url, repo: repo)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.error, "inquest: error: unknown revision 'no-such-tag': not a branch, tag or commit in this repository\n")
        let both = try shell("inquest lint --rev main --staged", in: repo.url, repo: repo)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.error.contains("--rev and --staged cannot be combined"), both.error)
        let clean = try shell("inquest lint --base main", in: repo.url, repo: repo)
        XCTAssertEqual(clean.status, 0, clean.output + clean.error)
        XCTAssertEqual(clean.output, "0 files checked: 0 errors, 0 warnings, 0 infos\n")
    }
}
