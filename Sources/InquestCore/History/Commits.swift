/// A commit, named by its full hexadecimal id. This is how code outside the git adapter
/// (`Git/`) refers to commits: a plain value, with no repository or libgit2 type behind it.
public struct CommitID: Sendable, Hashable, CustomStringConvertible {
    /// The full id, lowercase hexadecimal.
    public let hex: String

    public init(hex: String) {
        self.hex = hex
    }

    /// The first seven digits, as git abbreviates ids in messages.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }
}

/// Who makes a commit and when: the author of a publish commit.
public struct CommitSignature: Sendable, Hashable {
    public var name: String
    public var email: String
    /// Seconds since the epoch and the UTC offset to record.
    public var time: Timestamp

    public init(name: String, email: String, time: Timestamp) {
        self.name = name
        self.email = email
        self.time = time
    }
}
