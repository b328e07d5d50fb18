import FlyingFox
import FlyingSocks
import Foundation

/// FlyingFox's socket pool with Nagle's algorithm switched off on every socket it waits for.
///
/// FlyingFox sends a response as two writes (header, then body). With Nagle on, the body waits
/// for the client's ACK of the header, which a client on a kept-alive connection delays by
/// ~40 ms: every request after a connection's first stalled that long. FlyingFox offers no hook
/// for socket options, but every socket passes through the pool before its first write: the
/// listening socket while it waits to accept (Linux hands the option on to the sockets it
/// accepts) and each connection while it waits for its request.
struct NoDelaySocketPool: AsyncSocketPool {
    let base: any AsyncSocketPool

    init(base: any AsyncSocketPool = HTTPServer.defaultPool()) {
        self.base = base
    }

    func prepare() async throws {
        try await base.prepare()
    }

    func run() async throws {
        try await base.run()
    }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        Self.disableNagle(on: socket)
        try await base.suspendSocket(socket, untilReadyFor: events)
    }

    /// Sets `TCP_NODELAY`; a socket that is not TCP (or already closed) is left as it is.
    static func disableNagle(on socket: Socket) {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))
    }
}
