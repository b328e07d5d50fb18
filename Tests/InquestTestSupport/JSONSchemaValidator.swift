import Foundation
import XCTest

/// Python's `jsonschema` (an independent validator, installed by the Makefile's test setup and
/// .ci/run) behind `Tests/schema/validate.py serve`: one Python process for the whole test run, so
/// each check costs a validation, not a Python start and a jsonschema import (about 0.3 s each).
public final class JSONSchemaValidator: @unchecked Sendable {
    /// What `validate.py KIND SCHEMA FILES…` printed (standard output and error) and its exit status.
    public struct Validation: Sendable {
        public let status: Int32
        public let output: String
    }

    /// validate.py stopped answering (a crash: its traceback is on standard error).
    public struct ValidatorStopped: Error {}

    private let process = Process()
    private let requests: FileHandle
    private let answers: FileHandle
    private var buffer = Data()
    private let lock = NSLock()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: Swift.Result<JSONSchemaValidator, any Error>?

    /// The shared validator; throws `XCTSkip` when python3 with jsonschema and PyYAML is missing.
    public static func shared() throws -> JSONSchemaValidator {
        let result = lock.withLock { () -> Swift.Result<JSONSchemaValidator, any Error> in
            if let started { return started }
            let made = Swift.Result { try JSONSchemaValidator() }
            started = made
            return made
        }
        return try result.get()
    }

    private init() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import jsonschema, yaml"]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        if check.terminationStatus != 0 {
            throw XCTSkip("python3 with jsonschema and PyYAML is needed (make test / .ci/run install them)")
        }
        let input = Pipe(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root.appendingPathComponent("Tests/schema/validate.py").path, "serve"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        // The process ends when the test process does: its standard input closes.
        requests = input.fileHandleForWriting
        answers = output.fileHandleForReading
    }

    /// Validates `files` of `kind` (`config`, `front-matter` or `json`) against the schema at `schema`.
    public func validate(_ kind: String, schema: String, _ files: [String]) throws -> Validation {
        try lock.withLock {
            let request = try JSONSerialization.data(withJSONObject: [kind, schema] + files) + Data("\n".utf8)
            try requests.write(contentsOf: request)
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: line) as? [String: Any], "validate.py answered \(line)")
                    return Validation(status: Int32(try XCTUnwrap(answer["status"] as? Int)), output: try XCTUnwrap(answer["output"] as? String))
                }
                // `availableData` returns what one read gives (`read(upToCount:)` waits for the full count).
                let more = answers.availableData
                guard !more.isEmpty else {
                    throw ValidatorStopped()
                }
                buffer += more
            }
        }
    }
}
