import Dispatch

/// Result slots written concurrently: each index is written by exactly one iteration.
private final class Slots<Output>: @unchecked Sendable {
    var values: [Output?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

/// Maps over `items` on all cores, keeping the input order (InquestCore's helper is internal).
/// Work items must be independent; rendering pages is.
func concurrentMap<Input: Sendable, Output: Sendable>(_ items: [Input], _ transform: @Sendable (Input) -> Output) -> [Output] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = Slots<Output>(count: items.count)
    // Small chunks balance the load: one postmortem page costs far more than a tag page.
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
