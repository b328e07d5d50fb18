import Dispatch

/// Result slots written concurrently: each index is written by exactly one iteration, so no two
/// threads ever touch the same element.
private final class ParallelSlots<Output>: @unchecked Sendable {
    var values: [Output?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Maps over `items` on all cores, keeping the input order. Work items must be independent.
/// Items are handed out in up to 128 chunks: small enough to balance uneven work (a postmortem
/// page costs far more than a tag page), large enough to keep scheduling overhead low.
public func parallelMap<Input: Sendable, Output: Sendable>(_ items: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = ParallelSlots<Output>(count: items.count)
    let chunk = max(1, items.count / 128)
    let chunks = (items.count + chunk - 1) / chunk
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let base = buffer
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * chunk
            for index in start..<min(items.count, start + chunk) { base[index] = transform(items[index]) }
        }
    }
    return slots.values.map { $0! }
}
