import Foundation
import InquestCore

/// A build as the command line runs it: read the archive (working tree or `--rev`) with its git
/// history, load the theme with the repository's `site/` overrides, render, write.
public enum SiteBuild {
    /// The workspace folder holding theme overrides.
    public static let themeFolder = "site"

    /// Parses the archive from `reader` and attaches its git history. History is optional: a
    /// repository whose history cannot be read still builds, with front-matter dates.
    /// - Returns: the archive and a warning when history was unavailable.
    /// - Parameter parsed: the archive already parsed from `reader` (by lint), to skip a second parse.
    public static func loadArchive(reader: ArchiveReader, parsed: Archive? = nil) throws(SiteError) -> (archive: Archive, warning: String?) {
        let workspace = reader.workspace
        var archive: Archive
        if let parsed {
            archive = parsed
        } else {
            let input: LintInput
            do {
                input = try workspace.lintInput(source: reader.source, paths: [], from: workspace.root)
            } catch {
                throw SiteError(error.message)
            }
            archive = Linter(configuration: workspace.configuration).buildArchive(input)
        }
        var warning: String?
        do {
            archive.history = try reader.history(for: archive)
        } catch {
            if error.isCorruptObject { throw SiteError(error.message) }
            warning = "git history unavailable (\(error.message)); using front-matter dates"
        }
        return (archive, warning)
    }

    /// The repository's own theme files (`site/templates/*.mustache`, `site/assets/**`), read
    /// from the revision for `--rev`, else from the working tree.
    public static func themeOverrides(reader: ArchiveReader) throws(SiteError) -> [String: [UInt8]] {
        if case .revision = reader.selection {
            do {
                var out: [String: [UInt8]] = [:]
                for file in try reader.source.files(under: themeFolder, where: Theme.isThemeFile) {
                    out[String(file.path.dropFirst(themeFolder.count + 1))] = file.bytes
                }
                return out
            } catch {
                if error.isCorruptObject { throw SiteError(error.message) }
                throw SiteError("\(reader.source.label): cannot read the theme in \(themeFolder)/: \(error.message)")
            }
        }
        return themeOverrides(folder: reader.workspace.root.appendingPathComponent(themeFolder))
    }

    /// Theme files in a folder on disk; symbolic links are never followed.
    public static func themeOverrides(folder: URL) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        func walk(_ url: URL, _ relative: String, depth: Int) {
            guard depth < 16, let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                let child = url.appendingPathComponent(name)
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(child.path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: walk(child, path, depth: depth + 1)
                case S_IFREG where Theme.isThemeFile(path) && info.st_size <= 16 * 1024 * 1024:
                    if let data = FileManager.default.contents(atPath: child.path) { out[path] = Array(data) }
                default: continue
                }
            }
        }
        walk(folder, "", depth: 0)
        return out
    }

    /// What a build did, for the command's summary line.
    public struct Summary: Sendable {
        public var output: URL
        public var pages: Int
        public var rendered: Int
        public var reused: Int
        public var files: Int
        /// Output files written; the others were hard-linked from the previous build.
        public var written: Int = 0
        public var index: URL { output.appendingPathComponent(RenderedSite.indexPath) }
    }

    /// Builds the site of `archive` into `output`, streaming pages to disk and reusing the
    /// unchanged files of the previous build there (hard links; see ``SiteBuilder``).
    /// - Parameters:
    ///   - inputs: the ``BuildInputs`` digest of what `archive` was read from, stored with the
    ///     site so that the next build can tell nothing changed; nil when unknown.
    ///   - lintErrors: lint errors of those inputs, stored with the digest.
    public static func build(archive: Archive, settings: SiteSettings, theme: Theme, output: URL, protected: [URL],
                             generator: String = InquestSite.generatorIdentity(), incremental: Bool = true,
                             inputs: String? = nil, lintErrors: Int = 0) throws(SiteError) -> Summary {
        let tree = try SiteWriter.OutputTree(output: output, protected: protected, generator: generator, reusePrevious: incremental)
        let builder = SiteBuilder(archive: archive, settings: settings, theme: theme, generator: generator)
        let written = try builder.write(into: tree, inputs: inputs, lintErrors: lintErrors)
        try tree.commit(cache: written.cache)
        return Summary(output: output.standardizedFileURL, pages: written.rendered + written.reused, rendered: written.rendered,
                       reused: written.reused, files: written.files, written: written.written)
    }
}
