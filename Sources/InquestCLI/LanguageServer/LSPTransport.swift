import Foundation

/// JSON-RPC framing over byte streams: `Content-Length: N\r\n\r\n` then N bytes of JSON.
final class LSPTransport {
    private let read: () -> Data
    private let write: (Data) -> Void
    private var buffer = Data()

    /// - Parameters:
    ///   - read: the next chunk of input; empty at end of input.
    ///   - write: writes bytes to the client.
    init(read: @escaping () -> Data, write: @escaping (Data) -> Void) {
        self.read = read
        self.write = write
    }

    /// Standard input and output.
    static var standard: LSPTransport {
        LSPTransport(read: { FileHandle.standardInput.availableData }, write: { FileHandle.standardOutput.write($0) })
    }

    /// The next message body; nil at end of input.
    func receive() -> Data? {
        while true {
            if let message = takeMessage() { return message }
            let chunk = read()
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func send(_ body: Data) {
        var message = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        message.append(body)
        write(message)
    }

    /// A whole message from the buffer, when one has arrived.
    private func takeMessage() -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        guard let headerEnd = buffer.range(of: separator) else { return nil }
        let header = String(decoding: buffer[buffer.startIndex..<headerEnd.lowerBound], as: UTF8.self)
        var length: Int?
        for line in header.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let length, length >= 0 else {
            // A header without a length cannot be framed: drop it and read on.
            buffer.removeSubrange(buffer.startIndex..<headerEnd.upperBound)
            return Data()
        }
        let bodyStart = headerEnd.upperBound
        guard buffer.distance(from: bodyStart, to: buffer.endIndex) >= length else { return nil }
        let bodyEnd = buffer.index(bodyStart, offsetBy: length)
        let body = Data(buffer[bodyStart..<bodyEnd])
        buffer.removeSubrange(buffer.startIndex..<bodyEnd)
        return body
    }
}
