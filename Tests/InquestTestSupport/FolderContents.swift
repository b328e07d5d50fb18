import Foundation

/// Every regular file below `folder` with its bytes, keyed by the path relative to `folder`:
/// for comparing a written site or a workspace before and after a run, byte for byte.
public func regularFiles(in folder: URL) throws -> [String: [UInt8]] {
    let root = folder.standardizedFileURL.path
    var out: [String: [UInt8]] = [:]
    guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
    for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
        out[String(url.standardizedFileURL.path.dropFirst(root.count + 1))] = Array(try Data(contentsOf: url))
    }
    return out
}
