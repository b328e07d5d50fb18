import CCmarkGFM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bump allocator per thread for cmark-gfm's parse of one document, handed to cmark through
/// its `cmark_mem` hooks (cmark-gfm ships an arena of its own, `cmark_get_arena_mem_allocator`,
/// but it is one process-wide arena that is not safe to use from several threads).
///
/// Why: at 10,000 postmortems a sixth of the cold lint's CPU was glibc's `malloc`/`free`, most of
/// it cmark's: a `calloc` per node, a `realloc` per growing buffer, a copy per literal
/// (`cmark_node_get_literal`) and a `free` for each of them, in a heap that the parsed archive
/// keeps large and fragmented. Here those are pointer bumps in memory the thread reuses for
/// every document, released at once when the tree has been converted to ``MarkdownNode``s.
///
/// cmark allocates, reallocates and frees everything of a parse through the parser's `cmark_mem`
/// (the reason its own arena, whose `free` does nothing, works), so the tree and every buffer of
/// one parse live in the arena; nothing of it outlives ``withArena(_:)``.
///
/// The state lives in raw memory, not in a class: the hooks run for every node, and a class's
/// stored properties are checked for exclusive access on each use.
enum CmarkArena {
    /// Bytes of a chunk (one normally holds a whole postmortem's parse); a request larger than a
    /// quarter of it gets a block of its own, freed when the parse is done.
    static let chunkSize = 256 * 1024
    /// Chunks kept for the next document after a very large one (the rest are freed).
    static let keptChunks = 4
    /// The largest body parsed in the arena. The arena gives back only its latest allocation
    /// before the parse ends, so memory a parse frees as it goes (a table frees each row's cells)
    /// stays taken: a 12.7 MB table peaked at 1.7 GB instead of 0.9 GB. The gain is on the many
    /// small documents of an archive; a body larger than this takes cmark's default allocator.
    static let largestBody = 1 << 20

    /// Whether a body of `count` bytes is parsed in the arena (``largestBody``).
    static func suits(bodyBytes count: Int) -> Bool { count <= largestBody }
    /// Each allocation is preceded by its usable size, in a 16-byte header (keeps payloads aligned
    /// as `malloc`'s are).
    private static let header = 16
    /// A chunk starts with the next chunk's address and its own size.
    private static let chunkHeader = 16

    struct State {
        /// The first chunk (kept across parses) and the chunk being filled.
        var first: UnsafeMutableRawPointer
        var chunk: UnsafeMutableRawPointer
        var used: Int
        var capacity: Int
        /// The payload most recently allocated in `chunk`: it can grow or be given back in place.
        var last: UnsafeMutableRawPointer?
        /// Blocks of their own (large requests), linked through their first word.
        var large: UnsafeMutableRawPointer?
        /// A parse is using this arena (a nested parse on the same thread takes the plain allocator).
        var busy: Bool
    }

    /// The `cmark_mem` whose hooks allocate from the calling thread's arena.
    nonisolated(unsafe) static let memory: UnsafeMutablePointer<cmark_mem> = {
        let memory = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        memory.initialize(to: cmark_mem(
            calloc: { count, size in CmarkArena.allocate(count: count, size: size, zeroed: true) },
            realloc: { pointer, size in CmarkArena.reallocate(pointer, size: size) },
            free: { pointer in CmarkArena.release(pointer) }))
        return memory
    }()

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { state in
            guard let state else { return }
            CmarkArena.destroy(state.assumingMemoryBound(to: State.self))
        }
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// Runs `body` with this thread's arena behind ``memory``; when it returns, everything
    /// allocated from the arena is given back at once. `body` gets false when the arena is
    /// already in use on this thread or cannot be made, and must then use cmark's default allocator.
    static func withArena<Result>(_ body: (_ arena: Bool) -> Result) -> Result {
        guard let state = acquire() else { return body(false) }
        defer { reset(state) }
        return body(true)
    }

    private static func acquire() -> UnsafeMutablePointer<State>? {
        let state: UnsafeMutablePointer<State>
        if let existing = pthread_getspecific(key) {
            state = existing.assumingMemoryBound(to: State.self)
            if state.pointee.busy { return nil }
        } else {
            guard let chunk = newChunk(size: chunkSize) else { return nil }
            state = UnsafeMutablePointer<State>.allocate(capacity: 1)
            state.initialize(to: State(first: chunk, chunk: chunk, used: chunkHeader, capacity: chunkSize, last: nil, large: nil, busy: false))
            guard pthread_setspecific(key, state) == 0 else {
                free(chunk)
                state.deallocate()
                return nil
            }
        }
        state.pointee.busy = true
        return state
    }

    private static func current() -> UnsafeMutablePointer<State> {
        // The hooks run only inside `withArena` on this thread, where the state exists.
        pthread_getspecific(key)!.assumingMemoryBound(to: State.self)
    }

    /// A chunk: [next chunk | size | allocations …].
    private static func newChunk(size: Int) -> UnsafeMutableRawPointer? {
        guard let chunk = malloc(size) else { return nil }
        chunk.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        chunk.storeBytes(of: size, toByteOffset: 8, as: Int.self)
        return chunk
    }

    @inline(__always)
    private static func rounded(_ size: Int) -> Int { (size + 15) & ~15 }

    static func allocate(count: Int, size: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, bytes >= 0, bytes <= Int.max / 2 else { return nil }
        guard let payload = allocate(bytes, in: current()) else { return nil }
        if zeroed { memset(payload, 0, bytes) }
        return payload
    }

    private static func allocate(_ bytes: Int, in state: UnsafeMutablePointer<State>) -> UnsafeMutableRawPointer? {
        let total = header + rounded(bytes)
        if total > chunkSize / 4 {
            // [next large block | padding | header | payload]
            guard let block = malloc(16 + total) else { return nil }
            block.storeBytes(of: state.pointee.large, as: UnsafeMutableRawPointer?.self)
            state.pointee.large = block
            let payload = block + 16 + header
            (payload - header).storeBytes(of: rounded(bytes), as: Int.self)
            return payload
        }
        if state.pointee.used + total > state.pointee.capacity {
            // The next kept chunk, or a new one linked after the current.
            let chunk = state.pointee.chunk
            var next = chunk.load(as: UnsafeMutableRawPointer?.self)
            if next == nil {
                guard let made = newChunk(size: chunkSize) else { return nil }
                chunk.storeBytes(of: made, as: UnsafeMutableRawPointer?.self)
                next = made
            }
            state.pointee.chunk = next!
            state.pointee.capacity = next!.load(fromByteOffset: 8, as: Int.self)
            state.pointee.used = chunkHeader
        }
        let start = state.pointee.chunk + state.pointee.used
        start.storeBytes(of: rounded(bytes), as: Int.self)
        state.pointee.used += total
        let payload = start + header
        state.pointee.last = payload
        return payload
    }

    static func reallocate(_ pointer: UnsafeMutableRawPointer?, size: Int) -> UnsafeMutableRawPointer? {
        let state = current()
        guard size >= 0, size <= Int.max / 2 else { return nil }
        guard let pointer else { return allocate(size, in: state) }
        let old = (pointer - header).load(as: Int.self)
        if size <= old { return pointer }
        // The latest allocation of the chunk grows in place when the chunk has room.
        if pointer == state.pointee.last {
            let end = pointer - state.pointee.chunk + rounded(size)
            if end <= state.pointee.capacity, header + rounded(size) <= chunkSize / 4 {
                (pointer - header).storeBytes(of: rounded(size), as: Int.self)
                state.pointee.used = end
                return pointer
            }
        }
        guard let moved = allocate(size, in: state) else { return nil }
        memcpy(moved, pointer, old)
        return moved
    }

    /// Gives back the latest allocation (a buffer freed right after use); anything else waits for the reset.
    static func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let state = current()
        if pointer == state.pointee.last {
            state.pointee.used = pointer - header - state.pointee.chunk
            state.pointee.last = nil
        }
    }

    /// The blocks of their own (large requests) freed.
    private static func freeLargeBlocks(_ state: UnsafeMutablePointer<State>) {
        var large = state.pointee.large
        while let block = large {
            large = block.load(as: UnsafeMutableRawPointer?.self)
            free(block)
        }
        state.pointee.large = nil
    }

    /// Everything allocated since `acquire` given back: large blocks freed, chunks kept for the
    /// next parse (at most ``keptChunks``).
    private static func reset(_ state: UnsafeMutablePointer<State>) {
        freeLargeBlocks(state)
        var chunk = state.pointee.first
        for _ in 1..<keptChunks {
            guard let next = chunk.load(as: UnsafeMutableRawPointer?.self) else { break }
            chunk = next
        }
        var extra = chunk.load(as: UnsafeMutableRawPointer?.self)
        chunk.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        while let surplus = extra {
            extra = surplus.load(as: UnsafeMutableRawPointer?.self)
            free(surplus)
        }
        state.pointee.chunk = state.pointee.first
        state.pointee.capacity = state.pointee.first.load(fromByteOffset: 8, as: Int.self)
        state.pointee.used = chunkHeader
        state.pointee.last = nil
        state.pointee.busy = false
    }

    /// The thread ended: its chunks and state are freed.
    private static func destroy(_ state: UnsafeMutablePointer<State>) {
        freeLargeBlocks(state)
        var chunk: UnsafeMutableRawPointer? = state.pointee.first
        while let current = chunk {
            chunk = current.load(as: UnsafeMutableRawPointer?.self)
            free(current)
        }
        state.deinitialize(count: 1)
        state.deallocate()
    }
}
