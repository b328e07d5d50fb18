/// A problem that stops a build or a publish: bad input (an output folder Inquest did not
/// create, a broken theme file) or an I/O error. The CLI prints it and exits with code 2.
public struct SiteError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
