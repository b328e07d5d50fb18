import Foundation
import Synchronization
import XCTest
@testable import InquestCore
import InquestTestSupport

/// ``BackgroundWork``: work runs at once unless a command defers writes; deferred jobs for one
/// file run one after the other in the order asked, and readers and the command wait for them.
final class BackgroundWorkTests: XCTestCase {
    func testWithoutDeferralTheWorkIsDoneWhenStartReturns() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("now.cache")
        BackgroundWork.start(writing: url) { try? Data("written".utf8).write(to: url) }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "written")
    }

    func testDeferredJobsForOneFileRunInOrderAndAreWaitedFor() throws {
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("later.cache")
        let other = folder.url.appendingPathComponent("other.cache")
        let order = Mutex<[Int]>([])
        let gate = DispatchSemaphore(value: 0)
        BackgroundWork.deferWrites()
        defer { BackgroundWork.finish() }
        // The first job waits until told: the second, for the same file, must wait for it.
        BackgroundWork.start(writing: url) {
            gate.wait()
            order.withLock { $0.append(1) }
            try? Data("first".utf8).write(to: url)
        }
        BackgroundWork.start(writing: url) {
            order.withLock { $0.append(2) }
            try? Data("second".utf8).write(to: url)
        }
        BackgroundWork.start(writing: other) { try? Data("other".utf8).write(to: other) }
        BackgroundWork.wait(for: other)
        XCTAssertEqual(try String(contentsOf: other, encoding: .utf8), "other", "another file does not wait for the first one")
        XCTAssertEqual(order.withLock { $0 }, [], "neither job on the held file has run")
        gate.signal()
        BackgroundWork.wait(for: url)
        XCTAssertEqual(order.withLock { $0 }, [1, 2], "jobs for one file run in the order asked")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second", "the last one asked wins")
    }

    func testFinishWaitsForEveryJobAndRunsWorkAtOnceAfterwards() throws {
        let folder = try TemporaryFolder()
        let done = Mutex(0)
        BackgroundWork.deferWrites()
        for number in 0..<8 {
            BackgroundWork.start(writing: folder.url.appendingPathComponent("\(number).cache")) {
                Thread.sleep(forTimeInterval: 0.01)
                done.withLock { $0 += 1 }
            }
        }
        BackgroundWork.finish()
        XCTAssertEqual(done.withLock { $0 }, 8)
        let url = folder.url.appendingPathComponent("after.cache")
        BackgroundWork.start(writing: url) { try? Data("now".utf8).write(to: url) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "after finish, work runs at once again")
    }
}
