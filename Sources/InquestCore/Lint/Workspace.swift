import Foundation

/// A repository on disk: its root, its configuration, and how to turn command-line paths into
/// a ``LintInput``. The CLI's commands all start here.
public struct Workspace: Sendable {
    public let root: URL
    public let configuration: Configuration
    /// The configuration file used, repository-relative; nil when defaults apply.
    public let configurationPath: String?
    /// A digest of the configuration file's bytes ("defaults" without one), for the lint cache's
    /// key; nil when the configuration was made in code, which turns the cache off.
    public var configurationDigest: String?

    /// Finds the repository root above `directory` (the nearest folder with `inquest.yml` or `.git`)
    /// and loads the configuration.
    /// - Parameter configFile: an explicit configuration file (`--config`), absolute or relative to `directory`.
    public static func open(at directory: URL, configFile: String? = nil) throws -> Workspace {
        let start = directory.standardizedFileURL
        let root = findRoot(from: start) ?? start
        let loader = ConfigurationLoader(knownRuleIDs: RuleRegistry.ids)
        let configURL: URL?
        if let configFile {
            let url = configFile.hasPrefix("/") ? URL(fileURLWithPath: configFile) : start.appendingPathComponent(configFile)
            guard FileManager.default.fileExists(atPath: url.path) else { throw SourceError("\(configFile): configuration file not found") }
            configURL = url
        } else {
            let url = root.appendingPathComponent(ConfigurationLoader.fileName)
            configURL = FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        guard let configURL else {
            var workspace = Workspace(root: root, configuration: Configuration(), configurationPath: nil)
            workspace.configurationDigest = "defaults"
            return workspace
        }
        let bytes = try readConfigurationFile(configURL.path)
        let display = relativePath(of: configURL, to: root) ?? configURL.path
        var workspace = Workspace(root: root, configuration: try loader.load(bytes: bytes, path: display), configurationPath: display)
        workspace.configurationDigest = ContentID.of(bytes)
        return workspace
    }

    public init(root: URL, configuration: Configuration, configurationPath: String? = nil) {
        self.root = root.standardizedFileURL
        self.configuration = configuration
        self.configurationPath = configurationPath
    }

    /// This workspace with `inquest.yml` read through `source` rather than from disk, so that
    /// `--rev` and `--staged` use the configuration committed or staged with the documents.
    /// Defaults apply when the source has no `inquest.yml`.
    public func readingConfiguration(from source: some DocumentSource) throws -> Workspace {
        guard let file = try source.file(ConfigurationLoader.fileName) else {
            var workspace = Workspace(root: root, configuration: Configuration(), configurationPath: nil)
            workspace.configurationDigest = "defaults"
            return workspace
        }
        let loader = ConfigurationLoader(knownRuleIDs: RuleRegistry.ids)
        var workspace = Workspace(root: root, configuration: try loader.load(bytes: file.bytes, path: file.path), configurationPath: file.path)
        workspace.configurationDigest = ContentID.of(file.bytes)
        return workspace
    }

    static func findRoot(from start: URL) -> URL? {
        var current = start
        while true {
            for marker in [ConfigurationLoader.fileName, ".git"]
            where FileManager.default.fileExists(atPath: current.appendingPathComponent(marker).path) {
                return current
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// `url` relative to `root`, or nil when it is outside.
    public static func relativePath(of url: URL, to root: URL) -> String? {
        let path = url.standardizedFileURL.path, base = root.standardizedFileURL.path
        if path == base { return "" }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    /// The lint input for `source`: the whole postmortems folder, plus files under `paths`
    /// (relative to `directory`), reporting only on `paths` when any are given.
    /// - Parameter listOnly: list the postmortems folder without reading it
    ///   (``DocumentSource/postmortemListing(under:)``); files named in `paths` are still read.
    public func lintInput(source: some DocumentSource, paths: [String], from directory: URL, listOnly: Bool = false) throws(SourceError) -> LintInput {
        // A run that silently checks nothing would pass a CI gate: a missing or linked folder is an error.
        switch try source.kind(of: configuration.postmortems) {
        case .folder: break
        case .symbolicLink:
            throw SourceError("'\(configuration.postmortems)' is a symbolic link, and Inquest does not follow links; set 'postmortems:' in inquest.yml to the real folder")
        case .file:
            throw SourceError("'\(configuration.postmortems)' is a file, not a folder of postmortems")
        case nil where !source.isSnapshot:
            // At a revision or in the index the folder may legitimately not exist yet (the first
            // commit of an archive); in the working tree it is a misconfiguration.
            throw SourceError("no postmortems folder '\(configuration.postmortems)' in \(source.label) (set 'postmortems:' in inquest.yml, or run 'inquest init')")
        case nil:
            break
        }
        var documents = try (listOnly ? source.postmortemListing(under: configuration.postmortems) : source.postmortemFiles(under: configuration.postmortems))
        // In place: a filtered copy of a 10,000-document listing is a megabyte of fresh memory.
        documents.removeAll { PostmortemFiles.isExcluded($0.path, configuration: configuration) }
        var report: Set<String>?
        if !paths.isEmpty {
            var selected: Set<String> = []
            for path in paths {
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
                guard let relative = Self.relativePath(of: url, to: root) else {
                    throw SourceError("\(path): outside the repository at \(root.path)")
                }
                if relative == configuration.causes { selected.insert(relative); continue }
                if try source.kind(of: relative) == .symbolicLink {
                    throw SourceError("\(path): a symbolic link; Inquest does not follow links")
                }
                if try source.kind(of: relative) == .file, !PostmortemFiles.isMarkdown(relative), relative != configuration.causes {
                    throw SourceError("\(path): not a Markdown (.md or .markdown) file")
                }
                if PostmortemFiles.isMarkdown(relative), PostmortemFiles.isExcluded(relative, configuration: configuration),
                   try source.kind(of: relative) == .file { continue }
                if let single = try source.file(relative), PostmortemFiles.isMarkdown(relative) {
                    selected.insert(single.path)
                    // Compared in place: `firstIndex(where:)` copied (retained) each of 10,000 documents.
                    let existing = documents.withUnsafeBufferPointer { listed in listed.indices.first { listed[$0].path == single.path } }
                    if let index = existing {
                        if !documents[index].isLoaded { documents[index] = single }
                    } else {
                        documents.append(single)
                    }
                    continue
                }
                let listed = try listOnly ? source.postmortemListing(under: relative) : source.postmortemFiles(under: relative)
                let under = listed.filter { !PostmortemFiles.isExcluded($0.path, configuration: configuration) }
                if listed.isEmpty, try source.file(relative) == nil {
                    throw SourceError("\(path): no such file or folder")
                }
                if PostmortemFiles.isInside(configuration.causes, folder: relative) { selected.insert(configuration.causes) }
                let known = Set(documents.map(\.path))
                for document in under {
                    selected.insert(document.path)
                    if !known.contains(document.path) { documents.append(document) }
                }
            }
            report = selected
        }
        let catalogue = try source.file(configuration.causes)
        return LintInput(documents: documents, catalogue: catalogue, reportPaths: report)
    }
}

/// The configuration file's bytes, read with `open`/`read` so a failure keeps its reason and
/// leaks nothing (Foundation's `contents(atPath:)` lost a buffer on an unreadable file).
private func readConfigurationFile(_ path: String) throws(SourceError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SourceError("\(path): cannot read configuration: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw SourceError("\(path): cannot read configuration: \(String(cString: strerror(errno)))")
        }
        if count == 0 { return bytes }
        bytes += chunk[..<count]
        if bytes.count > 16 * 1024 * 1024 { throw SourceError("\(path): configuration file is larger than 16 MiB") }
    }
}
