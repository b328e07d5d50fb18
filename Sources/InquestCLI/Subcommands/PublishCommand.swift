import ArgumentParser
import Foundation
import InquestCore
import InquestSite

struct Publish: InquestCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Build the site and commit it onto a branch (e.g. gh-pages) without a checkout.",
        discussion: """
            The site is built into a folder kept beside the caches ($GIT_DIR/inquest/published-site, \
            rendering only the pages whose inputs changed since the last publish; in memory with \
            --no-cache) and committed as the whole tree of the branch, with the branch's previous tip \
            as parent; the working tree and the index are not touched. An unchanged site makes no \
            commit. Push the branch yourself (git push origin gh-pages). What is published is what \
            is committed: HEAD, or --rev; uncommitted edits are not.
            Exit status: 0 published or already up to date, 2 usage, configuration, theme or git error.
            """
    )

    @OptionGroup var source: SourceOptions

    @OptionGroup var site: SiteOptions

    @Option(help: ArgumentHelp("Branch to commit the site onto.", valueName: "branch"))
    var branch: String = "gh-pages"

    @Option(name: [.short, .long], help: ArgumentHelp("Commit message (default: 'Publish postmortems site from <commit>').", valueName: "message"))
    var message: String?

    func validate() throws {
        if source.staged { throw ValidationError("publish reads a commit (HEAD or --rev), not the index: --staged cannot be used") }
    }

    func run(in context: CLIContext) throws(CLIError) {
        // Publishing the working tree would put uncommitted edits on the branch under a message
        // naming a commit that does not contain them; publish a commit instead.
        var source = self.source
        if source.rev == nil { source.rev = "HEAD" }
        let (reader, archive, theme, settings) = try site.load(source, context: context)
        guard let workspaceRepository = reader.repository else {
            throw .failure("publish needs a git repository, and \(reader.workspace.root.path) is not inside one")
        }
        // A branch git refuses (or the one checked out here) is an error before the site is rendered.
        _ = try CLIError.exitingOnFailure { try PublishingTarget(branch: branch, in: workspaceRepository) }
        let files: [String: [UInt8]]
        if let kept = site.cache(for: reader, context: context).map({ Self.keptSite(beside: $0) }) {
            // Built into the folder kept beside the caches, as `inquest build` builds: only the
            // pages whose inputs changed since the last publish are rendered. The files are
            // those a build in memory makes (tested).
            var protected = [reader.workspace.root]
            if let workdir = workspaceRepository.workingDirectory { protected.append(workdir) }
            files = try CLIError.exitingOnFailure {
                _ = try SiteBuild.build(archive: archive, settings: settings, theme: theme, output: kept, protected: protected,
                                        generator: InquestSite.generatorIdentity())
                return try SitePublisher.files(in: kept)
            }
        } else {
            files = SiteBuilder(archive: archive, settings: settings, theme: theme).render().files
        }
        let author = Self.author(repository: workspaceRepository, environment: context.environment, now: Date())
        let target = (try? reader.targetCommit()).flatMap { $0 }
        let result = try CLIError.exitingOnFailure {
            try SitePublisher(repository: workspaceRepository).publish(files: files, branch: branch, message: message ?? Self.defaultMessage(target: target), author: author)
        }
        switch result {
        case .committed(let commit, let parent, let files):
            context.out("Published \(files) files to \(branch) as \(commit.prefix(7))" + (parent.map { " (parent \($0.prefix(7)))" } ?? " (new branch)") + "\n")
        case .unchanged(let commit):
            context.out("\(branch) is already up to date at \(commit.prefix(7)); no commit made\n")
        }
    }

    /// Where publish keeps the site it built last, beside the lint cache (`$GIT_DIR/inquest/`).
    static func keptSite(beside cache: LintCache) -> URL {
        cache.url.deletingLastPathComponent().appendingPathComponent("published-site")
    }

    /// The publish commit's author: git's user.name/user.email, at SOURCE_DATE_EPOCH when set
    /// (reproducible pipelines, tests), else at `now` — a publish commit is a real event.
    static func author(repository: WorkspaceRepository, environment: [String: String], now: Date) -> CommitSignature {
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Int64.init) ?? Int64(now.timeIntervalSince1970)
        return CommitSignature(name: repository.configString("user.name") ?? "Inquest",
                               email: repository.configString("user.email") ?? "inquest@localhost",
                               time: Timestamp(seconds: Int(seconds), offsetMinutes: 0))
    }

    /// `Publish postmortems site from 1a2b3c4`, with the version that built it.
    static func defaultMessage(target: CommitID?) -> String {
        "Publish postmortems site" + (target.map { " from \($0.short)" } ?? "") + "\n\nBuilt by inquest \(InquestVersion.current).\n"
    }
}
