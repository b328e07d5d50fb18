import CLibGit2
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a loose object file cannot be trusted.
struct LooseObjectFault: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Decodes loose object files (`objects/ab/cdef…`: a zlib stream of `<type> <size>\0<content>`)
/// with every bound checked, so a damaged file is an error and never reaches libgit2's own loose
/// reader. libgit2 1.5.1 (what Debian ships) spins forever on a truncated stream and overflows its
/// buffer when the header states a smaller size than the content; both are fixed upstream, but
/// Inquest must be safe with the library it is actually linked against.
enum LooseObjectDecoder {
    /// `tree 18446744073709551615\0` is 27 bytes; anything longer than this is not a header.
    static let maxHeaderBytes = 32
    /// Deflate cannot expand data by more than about 1032:1, so a stated size beyond this many
    /// times the file is a lie we can reject before allocating for it.
    static let maxExpansion = 1032
    /// Files above this size are refused (a postmortem archive has no business with them, and it
    /// keeps every count inside zlib's 32-bit fields).
    static let maxCompressedBytes = 1 << 30

    /// The object type and content of one loose object file.
    static func decode(_ compressed: [UInt8]) throws(LooseObjectFault) -> (type: git_object_t, content: [UInt8]) {
        do {
            return try decodeChecked(compressed)
        } catch let fault as LooseObjectFault {
            throw fault
        } catch {
            throw LooseObjectFault("\(error)")
        }
    }

    /// `decode` with untyped throws, as the buffer helpers it uses only rethrow untyped errors.
    private static func decodeChecked(_ compressed: [UInt8]) throws -> (type: git_object_t, content: [UInt8]) {
        guard compressed.count <= maxCompressedBytes else { throw LooseObjectFault("file larger than 1 GiB") }
        return try compressed.withUnsafeBufferPointer { input in
            let inflater = try Inflater(input: input)

            // The header: inflate at most maxHeaderBytes and look for its NUL.
            var head = [UInt8](repeating: 0, count: maxHeaderBytes)
            let headCount = try head.withUnsafeMutableBytes { buffer in
                try inflater.fill(buffer)
            }
            guard let nul = head[..<headCount].firstIndex(of: 0) else {
                throw LooseObjectFault(inflater.ended || headCount < maxHeaderBytes ? "truncated header" : "malformed header")
            }
            let (type, size) = try parseHeader(head[..<nul])
            guard size <= UInt64(compressed.count) * UInt64(maxExpansion) + UInt64(maxExpansion) else {
                throw LooseObjectFault("header states \(size) bytes, more than the compressed data can hold")
            }
            let count = Int(size)
            let already = headCount - nul - 1
            guard already <= count else { throw LooseObjectFault("content longer than the \(count) bytes its header states") }

            var content = [UInt8](repeating: 0, count: count)
            content.withUnsafeMutableBufferPointer { $0.baseAddress.map { base in
                head.withUnsafeBufferPointer { head in base.update(from: head.baseAddress! + nul + 1, count: already) }
            } }
            let rest = try content.withUnsafeMutableBytes { buffer in
                try inflater.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[already...]))
            }
            guard already + rest == count else { throw LooseObjectFault("truncated: \(already + rest) of \(count) bytes") }
            // The stream must end exactly here: one more byte of output means the header lied.
            if !inflater.ended {
                var probe: UInt8 = 0
                let extra = try withUnsafeMutableBytes(of: &probe) { buffer in try inflater.fill(buffer) }
                if extra > 0 { throw LooseObjectFault("content longer than the \(count) bytes its header states") }
                if !inflater.ended { throw LooseObjectFault("truncated zlib stream") }
            }
            return (type, content)
        }
    }

    /// `<type> <decimal size>` with one of the four object types and no stray bytes.
    static func parseHeader(_ header: ArraySlice<UInt8>) throws(LooseObjectFault) -> (git_object_t, UInt64) {
        guard let space = header.firstIndex(of: UInt8(ascii: " ")) else { throw LooseObjectFault("malformed header") }
        let name = String(decoding: header[..<space], as: UTF8.self)
        let type: git_object_t
        switch name {
        case "commit": type = GIT_OBJECT_COMMIT
        case "tree": type = GIT_OBJECT_TREE
        case "blob": type = GIT_OBJECT_BLOB
        case "tag": type = GIT_OBJECT_TAG
        default: throw LooseObjectFault("unknown object type in header")
        }
        let digits = header[(space + 1)...]
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ (48...57).contains($0) }) else {
            throw LooseObjectFault("malformed size in header")
        }
        let size = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
        return (type, size)
    }

    /// One zlib stream whose whole input is already in place; `fill` inflates into a buffer and
    /// stops at the end of the stream, at a full buffer, or when no further progress is possible.
    /// A class because zlib keeps a pointer back to its `z_stream`, which must not move.
    private final class Inflater {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private(set) var ended = false

        init(input: UnsafeBufferPointer<UInt8>) throws(LooseObjectFault) {
            stream.initialize(to: z_stream())
            guard inflateInit_(stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw LooseObjectFault("zlib could not start")
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = UInt32(input.count)
        }

        deinit {
            inflateEnd(stream)
            stream.deallocate()
        }

        /// Inflates into `buffer`; returns how many bytes were written. Each round either consumes
        /// input, produces output or stops, so this always terminates.
        func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(LooseObjectFault) -> Int {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            var written = 0
            while !ended && written < buffer.count {
                stream.pointee.next_out = (base + written).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(buffer.count - written)
                let availableBefore = stream.pointee.avail_in
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = buffer.count - written - Int(stream.pointee.avail_out)
                written += produced
                switch status {
                case Z_STREAM_END: ended = true
                case Z_OK, Z_BUF_ERROR:
                    // Nothing consumed and nothing produced: the stream stops before its end.
                    if produced == 0 && stream.pointee.avail_in == availableBefore { return written }
                default:
                    let detail = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw LooseObjectFault("bad zlib data: \(detail)")
                }
            }
            return written
        }
    }
}

// MARK: - The libgit2 backend

extension GitRepository {
    /// Puts a validating reader in front of libgit2's loose-object reader for this repository's
    /// object folder and its alternates: every loose object libgit2 reads is inflated and checked
    /// (header, size, zlib stream, id) by ``LooseObjectDecoder`` first. A damaged object becomes a
    /// libgit2 error whose message starts with `corrupt git object <sha>`; packed objects are left
    /// to libgit2's pack reader, which checks sizes itself.
    func installLooseObjectValidation() throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_repository_item_path(&buffer, pointer, GIT_REPOSITORY_ITEM_OBJECTS), "git_repository_item_path")
        var folder = String(cString: buffer.ptr)
        if !folder.hasSuffix("/") { folder += "/" }
        for objects in [folder] + Self.alternateObjectFolders(of: folder) {
            try ValidatingBackend.add(to: odb!, objectsFolder: objects)
        }
    }

    /// The object folders listed in `objects/info/alternates` (relative ones resolved against
    /// `objects`), one level deep, each with a trailing slash.
    static func alternateObjectFolders(of objects: String) -> [String] {
        guard let text = try? readWholeFile(objects + "info/alternates", limit: 1 << 20) else { return [] }
        return String(decoding: text, as: UTF8.self).split(separator: "\n").compactMap { line in
            let path = line.trimmingTrailingWhitespace
            guard !path.isEmpty, !path.hasPrefix("#") else { return nil }
            let absolute = path.hasPrefix("/") ? String(path) : objects + path
            return absolute.hasSuffix("/") ? absolute : absolute + "/"
        }
    }
}

/// An `errno` from reading a file.
struct FileReadError: Error {
    let code: Int32
}

/// Reads a whole file with `open`/`read`; throws the `errno` of a failure (ENOENT for a missing
/// file, EFBIG beyond `limit`).
func readWholeFile(_ path: String, limit: Int) throws(FileReadError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileReadError(code: errno) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw FileReadError(code: errno)
        }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[..<count])
        if bytes.count > limit { throw FileReadError(code: EFBIG) }
    }
}

private extension Substring {
    var trimmingTrailingWhitespace: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\r" || last == "\t" { text.removeLast() }
        return text
    }
}

/// The C callbacks of `inquest_validating_backend`. They capture nothing; the objects folder
/// lives in the C struct, which libgit2 frees through `free` when the odb goes away.
private enum ValidatingBackend {
    /// Above libgit2's packed (2) and loose (1) backends, so a loose object is always seen here first.
    static let priority: Int32 = 3

    static func add(to odb: OpaquePointer, objectsFolder: String) throws(GitError) {
        let backend = UnsafeMutablePointer<inquest_validating_backend>.allocate(capacity: 1)
        backend.initialize(to: inquest_validating_backend())
        let parent = UnsafeMutableRawPointer(backend).assumingMemoryBound(to: git_odb_backend.self)
        guard git_odb_init_backend(parent, UInt32(GIT_ODB_BACKEND_VERSION)) == 0 else {
            backend.deallocate()
            throw GitError(code: -1, message: "cannot set up the object reader", operation: "git_odb_init_backend")
        }
        backend.pointee.objects_path = strdup(objectsFolder)
        parent.pointee.read = { data, length, type, backend, id in
            ValidatingBackend.read(data, length, type, backend, id)
        }
        parent.pointee.read_header = { length, type, backend, id in
            var data: UnsafeMutableRawPointer?
            let code = ValidatingBackend.read(&data, length, type, backend, id)
            if code == 0 { git_odb_backend_data_free(backend, data) }
            return code
        }
        parent.pointee.read_prefix = { fullID, data, length, type, backend, shortID, hexLength in
            ValidatingBackend.readPrefix(fullID, data, length, type, backend, shortID, hexLength)
        }
        // libgit2's own loose backend answers these from file names alone, without inflating.
        parent.pointee.exists = { _, _ in 0 }
        parent.pointee.exists_prefix = { _, _, _, _ in GIT_ENOTFOUND.rawValue }
        parent.pointee.foreach = { _, _, _ in 0 }
        parent.pointee.free = { backend in
            guard let backend else { return }
            let own = UnsafeMutableRawPointer(backend).assumingMemoryBound(to: inquest_validating_backend.self)
            free(own.pointee.objects_path)
            own.deinitialize(count: 1)
            own.deallocate()
        }
        let code = git_odb_add_backend(odb, parent, priority)
        if code < 0 {
            parent.pointee.free(parent)
            try check(code, "git_odb_add_backend")
        }
    }

    private static func folder(_ backend: UnsafeMutablePointer<git_odb_backend>?) -> String {
        let own = UnsafeMutableRawPointer(backend!).assumingMemoryBound(to: inquest_validating_backend.self)
        return String(cString: own.pointee.objects_path)
    }

    /// Reads and validates `objects/xx/yyyy…`; ENOTFOUND when there is no such loose object (the
    /// pack backend answers then).
    static func read(
        _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ length: UnsafeMutablePointer<Int>?,
        _ type: UnsafeMutablePointer<git_object_t>?, _ backend: UnsafeMutablePointer<git_odb_backend>?,
        _ id: UnsafePointer<git_oid>?
    ) -> Int32 {
        guard let data, let length, let type, let backend, let id else { return GIT_ERROR.rawValue }
        let oid = GitOID(id)
        let hex = oid.hex
        let path = folder(backend) + hex.prefix(2) + "/" + hex.dropFirst(2)
        return deliver(path: path, oid: oid, data: data, length: length, type: type, backend: backend)
    }

    /// Finds the loose objects whose id starts with the given prefix; exactly one is read and
    /// validated, several are ambiguous.
    static func readPrefix(
        _ fullID: UnsafeMutablePointer<git_oid>?, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        _ length: UnsafeMutablePointer<Int>?, _ type: UnsafeMutablePointer<git_object_t>?,
        _ backend: UnsafeMutablePointer<git_odb_backend>?, _ shortID: UnsafePointer<git_oid>?, _ hexLength: Int
    ) -> Int32 {
        guard let fullID, let data, let length, let type, let backend, let shortID, hexLength >= 2 else { return GIT_ENOTFOUND.rawValue }
        let prefix = String(GitOID(shortID).hex.prefix(hexLength))
        let directory = folder(backend) + prefix.prefix(2)
        let rest = prefix.dropFirst(2)
        guard let handle = opendir(directory) else { return GIT_ENOTFOUND.rawValue }
        var matches: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.count == 38, name.hasPrefix(rest) { matches.append(name) }
        }
        closedir(handle)
        guard !matches.isEmpty else { return GIT_ENOTFOUND.rawValue }
        guard matches.count == 1, let oid = GitOID(hex: String(prefix.prefix(2)) + matches[0]) else {
            git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), "ambiguous object id prefix \(prefix)")
            return GIT_EAMBIGUOUS.rawValue
        }
        fullID.pointee = oid.raw
        return deliver(path: directory + "/" + matches[0], oid: oid, data: data, length: length, type: type, backend: backend)
    }

    private static func deliver(
        path: String, oid: GitOID, data: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
        length: UnsafeMutablePointer<Int>, type: UnsafeMutablePointer<git_object_t>,
        backend: UnsafeMutablePointer<git_odb_backend>
    ) -> Int32 {
        let compressed: [UInt8]
        do {
            compressed = try readWholeFile(path, limit: LooseObjectDecoder.maxCompressedBytes)
        } catch {
            if error.code == ENOENT { return GIT_ENOTFOUND.rawValue }
            return fail(oid, "unreadable: \(String(cString: strerror(error.code)))")
        }
        let object: (type: git_object_t, content: [UInt8])
        do {
            object = try LooseObjectDecoder.decode(compressed)
        } catch {
            return fail(oid, error.reason)
        }
        // The id is the hash of header and content: a mismatch means the file was damaged in a
        // way zlib could not notice, or holds another object.
        var computed = git_oid()
        let hashed = object.content.withUnsafeBytes { git_odb_hash(&computed, $0.baseAddress, $0.count, object.type) }
        guard hashed == 0, GitOID(computed) == oid else { return fail(oid, "content does not match its id") }
        // One spare NUL byte, as libgit2's own reader provides: some parsers rely on it.
        guard let buffer = git_odb_backend_data_alloc(backend, object.content.count + 1) else {
            return fail(oid, "out of memory")
        }
        object.content.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
        }
        buffer.storeBytes(of: 0, toByteOffset: object.content.count, as: UInt8.self)
        data.pointee = buffer
        length.pointee = object.content.count
        type.pointee = object.type
        return 0
    }

    private static func fail(_ oid: GitOID, _ reason: String) -> Int32 {
        git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), "\(GitError.corruptObjectPrefix)\(oid.hex) (\(reason))")
        return GIT_ERROR.rawValue
    }
}
