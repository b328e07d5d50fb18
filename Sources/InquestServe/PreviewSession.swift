import Foundation
import InquestCore
import InquestSite

/// What the preview shows at one moment: the site of the working tree as of ``version``, and
/// what went wrong reloading it (a broken `inquest.yml` or template keeps the last good state).
public struct PreviewSnapshot: Sendable {
    /// Goes up by one at every change the preview picked up; the page script reloads on it.
    public let version: Int
    public let renderer: PageRenderer
    /// Problems with the configuration, catalogue or theme, shown on every page.
    public let problems: [String]
}

/// One working tree as `inquest serve` sees it: every postmortem parsed once at start, then only
/// the files that change re-parsed (``refresh()``), with the archive's indexes rebuilt only when a
/// change touches what they are made of (``Archive/replacing(_:)``, as the language server does).
/// Pages are rendered on request from the current ``PageRenderer``; nothing is written to disk.
///
/// Thread safety: ``refresh()`` runs on one thread (the watcher); readers take a snapshot under a
/// lock and render outside it.
public final class PreviewSession: @unchecked Sendable {
    /// Everything read from the working tree; replaced as a whole when `inquest.yml` changes.
    private struct Loaded {
        var root: URL
        var configuration: Configuration
        /// Absolute path of the configuration file watched (it may not exist yet).
        var configurationFile: String
        var git: GitLintState
        var history: ArchiveHistory?
        var documents: [String: Postmortem]
        var catalogue: CauseCatalogue?
        var archive: Archive
        var theme: Theme
        var settings: SiteSettings
        /// Why the theme on screen is not the one on disk (a template that does not parse).
        var themeProblem: String?
    }

    /// The folder the workspace is searched from, and `--config`.
    private let directory: URL
    private let configFile: String?
    private let environment: [String: String]
    private let lock = NSLock()
    private var loaded: Loaded
    private var current: PreviewSnapshot
    private var stamps: [String: FileScanner.Stamp] = [:]
    private var scanner: FileScanner
    /// The folders the last scan read, with what matters in each (``FileScanner/scan(folders:)``).
    private var folders: [String: FileScanner.Interest] = [:]
    /// Diagnostics by document path for ``current``'s version.
    private var diagnosticsCache: [String: [Diagnostic]] = [:]
    /// Why the configuration in use is not the one on disk; kept until it loads again.
    private var configurationProblem: String?
    /// Warnings from loading (git history unavailable …), for the command to print once.
    public private(set) var warnings: [String] = []

    /// Reads the working tree around `directory`.
    /// - Throws: what the other commands throw for a bad workspace (``ConfigurationError``,
    ///   ``SourceError``) and ``SiteError`` for a theme that does not load.
    public init(directory: URL, configFile: String? = nil, environment: [String: String]) throws {
        self.directory = directory
        self.configFile = configFile
        self.environment = environment
        var warnings: [String] = []
        let loaded = try Self.load(directory: directory, configFile: configFile, environment: environment, warnings: &warnings)
        self.loaded = loaded
        self.warnings = warnings
        scanner = Self.scanner(for: loaded)
        current = PreviewSnapshot(version: 1, renderer: PageRenderer(archive: loaded.archive, settings: loaded.settings, theme: loaded.theme),
                                  problems: [])
        stamps = scanner.scan(folders: &folders)
    }

    /// The workspace root.
    public var root: URL { lock.withLock { loaded.root } }

    /// The current state.
    public var snapshot: PreviewSnapshot { lock.withLock { current } }

    /// Looks for changed files and applies them. Returns the changed paths (workspace-relative),
    /// empty when nothing changed. Call from one thread at a time.
    @discardableResult
    public func refresh() -> [String] {
        let scan = scanner.scan(folders: &folders)
        let changed = FileScanner.changes(from: stamps, to: scan)
        guard !changed.isEmpty else { return [] }
        stamps = scan
        apply(changed)
        return changed
    }

    /// The folders a change to the watched files happens in, as the last scan found them
    /// (``FileScanner/scan(folders:)``). Call from the thread that calls ``refresh()``.
    func watchedFolders() -> [String: FileScanner.Interest] {
        folders
    }

    /// Every finding in the document at `path` (workspace-relative), as `inquest lint PATH`
    /// reports them, against the archive of the current snapshot.
    public func diagnostics(forDocument path: String) -> [Diagnostic] {
        let (version, cached, configuration, git, archive) = lock.withLock {
            (current.version, diagnosticsCache[path], loaded.configuration, loaded.git, current.renderer.archive)
        }
        if let cached { return cached }
        var linter = Linter(configuration: configuration)
        linter.git = git
        let found = linter.lint(LintInput(documents: [], catalogue: nil, reportPaths: [path]), archive: archive).diagnostics
        lock.withLock { if current.version == version { diagnosticsCache[path] = found } }
        return found
    }

    // MARK: Changes

    private func apply(_ changed: [String]) {
        var state = lock.withLock { loaded }
        var problems: [String] = []
        let configuration = state.configuration
        let configPath = Workspace.relativePath(of: URL(fileURLWithPath: state.configurationFile), to: state.root)
        if changed.contains(where: { $0 == configPath }) {
            // Folders, schema, rules, site settings: everything may differ. Start over.
            var warnings: [String] = []
            do {
                let fresh = try Self.load(directory: directory, configFile: configFile, environment: environment, warnings: &warnings)
                configurationProblem = nil
                publish(fresh, problems: [])
                scanner = Self.scanner(for: fresh)
                stamps = scanner.scan(folders: &folders)
            } catch {
                configurationProblem = "\(configPath ?? "inquest.yml"): \(Self.describe(error)); showing the archive as it was before this change"
                publish(state, problems: [])
            }
            return
        }

        let themeChanged = changed.contains(where: { $0.hasPrefix(Self.themeFolder + "/") })
        if themeChanged {
            do {
                state.theme = try Theme.load(overrides: SiteBuild.themeOverrides(folder: state.root.appendingPathComponent(Self.themeFolder)))
                state.themeProblem = nil
            } catch {
                state.themeProblem = "\(Self.describe(error)); showing the previous theme"
            }
        }

        let source = WorkingTreeSource(root: state.root)
        var indexesChanged = false
        var replaced: [Postmortem] = []
        if changed.contains(configuration.causes) {
            state.catalogue = (try? source.file(configuration.causes)).flatMap { $0 }.map(CauseCatalogue.parse)
            indexesChanged = true
        }
        let parser = PostmortemParser(schema: configuration.schema)
        for path in changed where Self.isDocument(path, configuration) {
            let document: RawDocument?
            do {
                document = try source.file(path)
            } catch {
                problems.append(error.message)
                document = nil
            }
            let existed = state.documents[path] != nil
            if let document {
                let postmortem = parser.parse(document)
                state.documents[path] = postmortem
                if existed { replaced.append(postmortem) } else { indexesChanged = true }
            } else if existed {
                state.documents[path] = nil
                indexesChanged = true
            }
        }
        if !indexesChanged {
            // Most saves change no id, date, cause, service, tag or link: swap the documents in.
            var archive: Archive? = state.archive
            for postmortem in replaced { archive = archive?.replacing(postmortem) }
            if let archive { state.archive = archive } else { indexesChanged = true }
        }
        if indexesChanged {
            var archive = Archive(postmortems: Array(state.documents.values), catalogue: state.catalogue)
            archive.history = state.history
            state.archive = archive
        }
        // Only documents swapped in: the other documents' part of the site model is kept.
        publish(state, problems: problems, swapped: indexesChanged || themeChanged ? nil : replaced.map(\.path))
    }

    private func publish(_ state: Loaded, problems: [String], swapped: [String]? = nil) {
        let previous = lock.withLock { current.renderer }
        let renderer = swapped.map { PageRenderer(archive: state.archive, replacing: $0, in: previous) }
            ?? PageRenderer(archive: state.archive, settings: state.settings, theme: state.theme)
        lock.withLock {
            loaded = state
            let lasting = [configurationProblem, state.themeProblem].compactMap { $0 }
            current = PreviewSnapshot(version: current.version + 1, renderer: renderer, problems: lasting + problems)
            diagnosticsCache = [:]
        }
    }

    // MARK: Loading

    static let themeFolder = SiteBuild.themeFolder

    private static func isDocument(_ path: String, _ configuration: Configuration) -> Bool {
        PostmortemFiles.isPostmortem(path) && PostmortemFiles.isInside(path, folder: configuration.postmortems)
            && !PostmortemFiles.isExcluded(path, configuration: configuration) && path != configuration.causes
    }

    private static func load(directory: URL, configFile: String?, environment: [String: String], warnings: inout [String]) throws -> Loaded {
        let reader = try ArchiveReader.open(at: directory, configFile: configFile, selection: .workingTree)
        let workspace = reader.workspace
        let plan = try LintPlan.make(reader: reader, from: workspace.root, loadHistory: false)
        var archive = plan.archive
        var history: ArchiveHistory?
        do {
            history = try reader.history(for: archive)
        } catch {
            if error.isCorruptObject { throw error }
            warnings.append("git history unavailable (\(error.message)); using front-matter dates")
        }
        archive.history = history
        let theme = try Theme.load(overrides: SiteBuild.themeOverrides(reader: reader))
        var settings = SiteSettings(configuration: workspace.configuration, repositoryPrefix: reader.repository?.pathPrefix ?? "",
                                    environment: environment)
        // Served from the root of a local server: links that start from the base URL (the 404
        // page's) must point here, not at the published host.
        settings.baseURL = "/"
        let configurationFile = configFile.map { $0.hasPrefix("/") ? $0 : directory.appendingPathComponent($0).path }
            ?? workspace.root.appendingPathComponent(ConfigurationLoader.fileName).path
        return Loaded(root: workspace.root, configuration: workspace.configuration, configurationFile: configurationFile, git: plan.git,
                      history: history, documents: Dictionary(archive.postmortems.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first }),
                      catalogue: archive.catalogue, archive: archive, theme: theme, settings: settings)
    }

    private static func scanner(for state: Loaded) -> FileScanner {
        var watches: [FileScanner.Watch] = [.folder(state.configuration.postmortems, markdownOnly: true),
                                            .folder(themeFolder, markdownOnly: false),
                                            .file(state.configuration.causes)]
        if let config = Workspace.relativePath(of: URL(fileURLWithPath: state.configurationFile), to: state.root) {
            watches.append(.file(config))
        }
        return FileScanner(root: state.root, watches: watches)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as SourceError: error.message
        case let error as SiteError: "\(error)"
        default: "\(error)"
        }
    }
}
