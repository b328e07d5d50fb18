import Foundation
internal import InquestGit

/// Installs and removes the pre-commit hook that runs `inquest lint --staged`.
///
/// The hook carries a marker line, so Inquest only ever replaces or removes a hook it wrote
/// itself; someone else's hook is replaced only with `force`, and then kept as a backup.
public enum GitHooks {
    /// The line that identifies a hook written by Inquest.
    public static let marker = "# inquest-hook: written by 'inquest hook install'; 'inquest hook uninstall' removes it"
    /// Where `force` keeps a hook Inquest replaced; uninstall puts it back.
    public static let backupSuffix = ".inquest-backup"

    /// What ``install(from:force:executable:)`` did.
    public struct Installation: Sendable, Equatable {
        /// The hook file.
        public var path: String
        /// True when an earlier Inquest hook was rewritten.
        public var updated: Bool
        /// Where a foreign hook replaced with `force` was moved.
        public var backup: String?
    }

    /// What ``uninstall(from:)`` did.
    public enum Removal: Sendable, Equatable {
        /// The Inquest hook was removed; `restored` is true when a backed-up hook was put back.
        case removed(path: String, restored: Bool)
        /// There was no pre-commit hook.
        case notInstalled(path: String)
    }

    /// The hook file of the repository containing `directory`: `pre-commit` in `core.hooksPath`
    /// when set (relative to the working tree, `~/` expanded), else in the hooks folder of the
    /// main `.git` folder (shared by linked worktrees).
    public static func hookPath(from directory: URL, homeDirectory: String = NSHomeDirectory()) throws(SourceError) -> String {
        let repository = try open(directory)
        return hooksDirectory(of: repository.repository, homeDirectory: homeDirectory) + "/pre-commit"
    }

    /// Writes the pre-commit hook.
    ///
    /// - Parameters:
    ///   - force: replace a hook Inquest did not write (it is kept as `pre-commit.inquest-backup`).
    ///   - executable: an absolute path to this `inquest`, used when `inquest` is not on `PATH`
    ///     when the hook runs (e.g. a binary in `.build/release`).
    /// - Throws: ``SourceError`` outside a repository, in a bare repository, or when a foreign
    ///   hook exists and `force` is false.
    public static func install(from directory: URL, force: Bool = false, executable: String? = nil,
                               homeDirectory: String = NSHomeDirectory()) throws(SourceError) -> Installation {
        let repository = try open(directory)
        let folder = hooksDirectory(of: repository.repository, homeDirectory: homeDirectory)
        let path = folder + "/pre-commit"
        let fileManager = FileManager.default
        var updated = false
        var backup: String?
        if let existing = existingFile(path) {
            if existing.contains(marker) {
                updated = true
            } else if !force {
                throw SourceError("\(path) already exists and was not written by inquest: use --force to replace it (it is kept as pre-commit\(backupSuffix))")
            } else {
                backup = path + backupSuffix
                do {
                    if fileManager.fileExists(atPath: backup!) { try fileManager.removeItem(atPath: backup!) }
                    try fileManager.moveItem(atPath: path, toPath: backup!)
                } catch {
                    throw SourceError("cannot move \(path) aside: \(error.localizedDescription)")
                }
            }
        }
        do {
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if updated { try fileManager.removeItem(atPath: path) }
            try Data(script(workspacePrefix: repository.pathPrefix, executable: executable).utf8)
                .write(to: URL(fileURLWithPath: path))
            try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        } catch {
            throw SourceError("cannot write \(path): \(error.localizedDescription)")
        }
        return Installation(path: path, updated: updated, backup: backup)
    }

    /// Removes the pre-commit hook when Inquest wrote it, and puts back a hook it had replaced.
    /// - Throws: ``SourceError`` when the hook was not written by Inquest (it is left alone).
    public static func uninstall(from directory: URL, homeDirectory: String = NSHomeDirectory()) throws(SourceError) -> Removal {
        let repository = try open(directory)
        let path = hooksDirectory(of: repository.repository, homeDirectory: homeDirectory) + "/pre-commit"
        guard let existing = existingFile(path) else { return .notInstalled(path: path) }
        guard existing.contains(marker) else {
            throw SourceError("\(path) was not written by inquest: leaving it in place")
        }
        let fileManager = FileManager.default
        let backup = path + backupSuffix
        do {
            try fileManager.removeItem(atPath: path)
            if fileManager.fileExists(atPath: backup) {
                try fileManager.moveItem(atPath: backup, toPath: path)
                return .removed(path: path, restored: true)
            }
        } catch {
            throw SourceError("cannot remove \(path): \(error.localizedDescription)")
        }
        return .removed(path: path, restored: false)
    }

    /// The hook script. It runs from the working tree root (git runs hooks there), changes into the
    /// workspace when the archive is nested, and lints the index. `GIT_INDEX_FILE`, which git sets
    /// for `git commit -a` and `git commit <paths>`, is honoured by `--staged`.
    public static func script(workspacePrefix: String, executable: String?) -> String {
        var text = """
        #!/bin/sh
        \(marker)
        # Lints the postmortems as they will be committed; lint errors stop the commit.
        # Skip it once with: git commit --no-verify
        inquest=inquest

        """
        if let executable {
            text += "command -v \"$inquest\" >/dev/null 2>&1 || inquest=\(shellQuoted(executable))\n"
        }
        text += """
        if ! command -v "$inquest" >/dev/null 2>&1; then
          echo "inquest: not found on PATH; install it or run 'inquest hook uninstall'" >&2
          exit 1
        fi

        """
        if !workspacePrefix.isEmpty {
            // GIT_INDEX_FILE may be relative to the working tree root: make it absolute before leaving it.
            text += """
            case "${GIT_INDEX_FILE:-}" in
              ""|/*) ;;
              *) GIT_INDEX_FILE="$(pwd)/$GIT_INDEX_FILE"; export GIT_INDEX_FILE ;;
            esac
            cd \(shellQuoted(workspacePrefix)) || exit 1

            """
        }
        text += "exec \"$inquest\" lint --staged\n"
        return text
    }

    // MARK: Helpers

    private static func open(_ directory: URL) throws(SourceError) -> WorkspaceRepository {
        let start = directory.standardizedFileURL
        let root = Workspace.findRoot(from: start) ?? start
        guard let repository = try WorkspaceRepository.discover(root: root) else {
            throw SourceError("\(root.path) is not inside a git repository: there is no hook to install")
        }
        guard !repository.repository.isBare else {
            throw SourceError("\(repository.repository.gitDir) is a bare repository: nobody commits there, so it needs no pre-commit hook")
        }
        return repository
    }

    static func hooksDirectory(of repository: GitRepository, homeDirectory: String) -> String {
        if let configured = repository.configString("core.hooksPath"), !configured.isEmpty {
            var path = configured
            if path == "~" || path.hasPrefix("~/") { path = homeDirectory + path.dropFirst() }
            if !path.hasPrefix("/") { path = (repository.workdir ?? repository.gitDir) + "/" + path }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        return URL(fileURLWithPath: repository.commonDir).standardizedFileURL.path + "/hooks"
    }

    /// The contents of a hook file (or symlink to one); nil when there is none.
    private static func existingFile(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        // A dangling symlink still occupies the name: treat it as a foreign hook.
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
