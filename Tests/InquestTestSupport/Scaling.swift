import Foundation
import XCTest

/// Asserts that `work(input(size * factor))` takes less than `limit` times the CPU time of
/// `work(input(size))`: a generous bound that linear code meets and quadratic code (`factor²`)
/// does not. Inputs are made before the clock starts.
///
/// The small run is the best of `smallRuns` (cheap). The large run, which is most of the cost, is
/// measured once and measured again (up to three times in all, best kept) only when the ratio
/// is over the limit: noise on a loaded machine only ever inflates a measurement, so the
/// retries give the verdict that always taking the best of three gave, for a third of the cost
/// when the code is linear.
/// - Parameter warmUp: run the small case once first (first-use allocations, lazy tables).
public func assertScalesLinearly<Input>(_ what: String, size: Int, factor: Int = 8, limit: Double, warmUp: Bool = true,
                                        smallRuns: Int = 3, file: StaticString = #filePath, line: UInt = #line,
                                        input: (Int) -> Input, _ work: (Input) -> Void) {
    let smallInput = input(size), largeInput = input(size * factor)
    if warmUp { work(smallInput) }
    let small = max((0..<smallRuns).map { _ in cpuSeconds { work(smallInput) } }.min()!, 1e-6)
    var large = cpuSeconds { work(largeInput) }
    for _ in 1..<3 where large / small >= limit {
        large = min(large, cpuSeconds { work(largeInput) })
    }
    XCTAssertLessThan(large / small, limit, "\(what): \(small) CPU s at 1×, \(large) CPU s at \(factor)×", file: file, line: line)
}

/// ``assertScalesLinearly(_:size:factor:limit:warmUp:file:line:input:_:)`` where the work makes its own input from the size.
public func assertScalesLinearly(_ what: String, size: Int, factor: Int = 8, limit: Double, warmUp: Bool = true,
                                 file: StaticString = #filePath, line: UInt = #line, _ work: (Int) -> Void) {
    assertScalesLinearly(what, size: size, factor: factor, limit: limit, warmUp: warmUp, file: file, line: line, input: { $0 }, work)
}
