import ArgumentParser
import Foundation
import InquestCore
import InquestGit
import InquestSite

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site and commit it onto a branch (e.g. gh-pages) without a checkout.",
        discussion: """
            The site is rendered in memory and committed as the whole tree of the branch, with the \
            branch's previous tip as parent; the working tree and the index are not touched. An \
            unchanged site makes no commit. Push the branch yourself (git push origin gh-pages). \
            What is published is what is committed: HEAD, or --rev; uncommitted edits are not.
            Exit status: 0 published or already up to date, 2 usage, configuration, theme or git error.
            """
    )

    @OptionGroup var source: SiteSourceOptions

    @Option(help: ArgumentHelp("Branch to commit the site onto.", valueName: "branch"))
    var branch: String = "gh-pages"

    @Option(name: [.short, .long], help: ArgumentHelp("Commit message (default: 'Publish postmortems site from <commit>').", valueName: "message"))
    var message: String?

    func run() throws {
        // Publishing the working tree would put uncommitted edits on the branch under a message
        // naming a commit that does not contain them; publish a commit instead.
        var source = self.source
        if source.rev == nil { source.rev = "HEAD" }
        let (reader, archive, theme, settings) = try source.load()
        guard let workspaceRepository = reader.repository else {
            printError("inquest: error: publish needs a git repository, and \(reader.workspace.root.path) is not inside one")
            throw ExitStatus.failure
        }
        let repository = workspaceRepository.repository
        let site = SiteBuilder(archive: archive, settings: settings, theme: theme).render()
        let environment = ProcessInfo.processInfo.environment
        // A publish commit is a real event: it carries the time it was made, unless
        // SOURCE_DATE_EPOCH pins it (reproducible pipelines, tests).
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Int64.init) ?? Int64(Date().timeIntervalSince1970)
        let author = GitSignature(name: repository.configString("user.name") ?? "Inquest",
                                  email: repository.configString("user.email") ?? "inquest@localhost",
                                  time: GitTime(secondsSinceEpoch: seconds))
        let target = (try? reader.targetCommit()).flatMap { $0 }
        let defaultMessage = "Publish postmortems site" + (target.map { " from \($0.short)" } ?? "") + "\n\nBuilt by inquest \(InquestVersion.current).\n"
        do {
            switch try SitePublisher(repository: repository).publish(site, branch: branch, message: message ?? defaultMessage, author: author) {
            case .committed(let commit, let parent, let files):
                writeOut("Published \(files) files to \(branch) as \(commit.prefix(7))" + (parent.map { " (parent \($0.prefix(7)))" } ?? " (new branch)") + "\n")
            case .unchanged(let commit):
                writeOut("\(branch) is already up to date at \(commit.prefix(7)); no commit made\n")
            }
        } catch {
            printError("inquest: error: \(error.message)")
            throw ExitStatus.failure
        }
    }
}
