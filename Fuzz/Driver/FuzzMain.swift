import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `inquest-fuzz <target> [arguments…]`
///
/// Built normally (as `swift build` does), this replays stored inputs: every file named, or every
/// file in a folder named, goes through the target once — `make test` replays `Fuzz/corpus/` so a
/// past finding stays fixed. Built by `make fuzz` (sanitizer coverage plus libFuzzer's runtime
/// without its `main`), the same binary hands the arguments to libFuzzer instead.
@main
struct FuzzMain {
    typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    typealias RunDriver = @convention(c) (
        UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, Callback
    ) -> Int32

    /// Names the target for the processes libFuzzer starts (merge, fork).
    static let targetVariable = "INQUEST_FUZZ_TARGET"

    /// The target libFuzzer's C callback runs (a C callback cannot capture it).
    nonisolated(unsafe) static var selected: FuzzTarget = .document

    static func main() {
        var arguments = CommandLine.arguments
        // libFuzzer runs this binary again for `-merge=1` and `-fork`, with its own arguments
        // only: the target's name comes through the environment then.
        if let name = ProcessInfo.processInfo.environment[targetVariable], arguments.count >= 2,
           FuzzTarget(rawValue: arguments[1]) == nil, arguments[1] != "replay" {
            arguments.insert(name, at: 1)
        }
        guard arguments.count >= 2 else { usage() }
        if arguments[1] == "replay" {
            // `replay <folder>`: each subfolder named after a target holds that target's inputs.
            guard arguments.count == 3 else { usage() }
            var total = 0
            for target in FuzzTarget.allCases {
                total += replay(target, [arguments[2] + "/" + target.rawValue])
            }
            print("replayed \(total) stored inputs without a failure")
            return
        }
        guard let target = FuzzTarget(rawValue: arguments[1]) else { usage() }
        selected = target
        setenv(targetVariable, target.rawValue, 1)
        // Present only when linked with libclang_rt.fuzzer_no_main (see the Makefile's fuzz target).
        if let symbol = dlsym(nil, "LLVMFuzzerRunDriver") {
            let run = unsafeBitCast(symbol, to: RunDriver.self)
            arguments.remove(at: 1)
            var argc = Int32(arguments.count)
            var cStrings = arguments.map { strdup($0) } + [nil]
            let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
                var argv = buffer.baseAddress!
                return run(&argc, &argv) { data, size in
                    FuzzMain.selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                    return 0
                }
            }
            exit(status)
        }
        let count = replay(target, Array(arguments.dropFirst(2)))
        print("\(target.rawValue): replayed \(count) inputs without a failure")
    }

    /// Runs the target on every file (folders: their files, sorted); returns how many.
    static func replay(_ target: FuzzTarget, _ paths: [String]) -> Int {
        var count = 0
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        return count
    }

    static func usage() -> Never {
        let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        FileHandle.standardError.write(Data("usage: inquest-fuzz (\(targets)) [files or folders…]\n       inquest-fuzz replay <corpus folder>\n".utf8))
        exit(2)
    }
}
