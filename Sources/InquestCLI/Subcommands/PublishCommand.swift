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
        let reader = try site.openReader(source, context: context)
        let lintCache = site.cache(for: reader, context: context)
        let kept = lintCache.map { Self.keptSite(beside: $0) }
        // With the kept site, unchanged documents come from the site facts cache as stubs (their
        // pages are not rendered again, so they are not parsed either).
        let loaded = try site.load(reader, source: source, context: context, stubs: kept != nil)
        let (archive, theme, settings) = (loaded.archive, loaded.theme, loaded.settings)
        guard let workspaceRepository = reader.repository else {
            throw .failure("publish needs a git repository, and \(reader.workspace.root.path) is not inside one")
        }
        // A branch git refuses (or the one checked out here) is an error before the site is rendered.
        _ = try CLIError.exitingOnFailure { try PublishingTarget(branch: branch, in: workspaceRepository) }
        let files: [String: [UInt8]]
        if let kept {
            // Built into the folder kept beside the caches, as `inquest build` builds: only the
            // pages whose inputs changed since the last publish are rendered. The files are
            // those a build in memory makes (tested).
            var protected = [reader.workspace.root]
            if let workdir = workspaceRepository.workingDirectory { protected.append(workdir) }
            files = try CLIError.exitingOnFailure {
                let generator = InquestSite.generatorIdentity()
                let searchCache = lintCache.flatMap { SearchCache.beside($0, workspace: reader.workspace, generator: generator) }
                _ = try SiteBuild.build(archive: archive, settings: settings, theme: theme, output: kept, protected: protected,
                                        generator: generator, searchCache: searchCache, stubs: loaded.stubs)
                BuildTrace.mark("kept site built")
                defer { BuildTrace.mark("kept site read") }
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
        BuildTrace.mark("committed to \(branch)")
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
