import FlyingFox
import FlyingSocks
import Foundation
@testable import InquestServe
import XCTest

/// Why the preview server's sockets send each write at once (see ``NoDelaySocketPool``).
final class NoDelaySocketPoolTests: XCTestCase {
    func testAConnectionWaitingInThePoolHasNagleSwitchedOff() async throws {
        let (listener, port) = try Self.listenOnLoopback()
        defer { close(listener) }
        let client = try Self.connect(to: port)
        defer { close(client) }
        let accepted = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(accepted, 0)
        defer { close(accepted) }
        XCTAssertFalse(Self.noDelay(accepted), "a fresh connection starts with Nagle on")

        let pool = NoDelaySocketPool()
        try await pool.prepare()
        let running = Task { try await pool.run() }
        defer { running.cancel() }
        // A connected socket is writable at once, so this returns as soon as the pool has looked.
        try await pool.suspendSocket(Socket(file: .init(rawValue: accepted)), untilReadyFor: .write)

        XCTAssertTrue(Self.noDelay(accepted))
    }

    func testConnectionsAcceptedFromAListenerWithNagleOffInheritIt() throws {
        // The pool sees the listening socket before any connection: this is what makes the
        // option reach connections whose request arrived before they were ever suspended.
        let (listener, port) = try Self.listenOnLoopback()
        defer { close(listener) }
        NoDelaySocketPool.disableNagle(on: Socket(file: .init(rawValue: listener)))
        let client = try Self.connect(to: port)
        defer { close(client) }
        let accepted = accept(listener, nil, nil)
        XCTAssertGreaterThanOrEqual(accepted, 0)
        defer { close(accepted) }

        XCTAssertTrue(Self.noDelay(accepted))
    }

    func testASocketThatIsNotTCPIsLeftAlone() {
        var pair: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        defer { close(pair[0]); close(pair[1]) }
        NoDelaySocketPool.disableNagle(on: Socket(file: .init(rawValue: pair[0])))
        // Still a working socket.
        XCTAssertEqual(write(pair[0], "x", 1), 1)
    }

    private static func noDelay(_ descriptor: Int32) -> Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 else { return false }
        return value != 0
    }

    private static func listenOnLoopback() throws -> (Int32, UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EBADF) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 4) == 0 else { close(descriptor); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    private static func connect(to port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(descriptor); throw POSIXError(.ECONNREFUSED) }
        return descriptor
    }
}
