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
            OneThread.ensure()
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

/// Makes `parallelMap` (Dispatch's `concurrentPerform`) run every iteration on the calling thread.
///
/// libdispatch sizes `concurrentPerform` by the CPUs the process may run on, read once when the
/// library loads. The fuzzer therefore starts itself again bound to the CPU it is on, and the new
/// process, its Dispatch sized for one CPU, lets the scheduler use every CPU again at once. Each
/// execution then stays on one thread: libFuzzer expects that (its coverage and timing are per
/// execution), and waking a worker to share two postmortem views cost more CPU than it saved
/// (about a tenth of `site`). The parallel paths themselves run under ThreadSanitizer in
/// `make sanitize`.
enum OneThread {
    static let variable = "INQUEST_FUZZ_CPU_MASK"

    typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32

    static func ensure() {
        guard let getSymbol = dlsym(nil, "sched_getaffinity"), let setSymbol = dlsym(nil, "sched_setaffinity"),
              let cpuSymbol = dlsym(nil, "sched_getcpu") else { return }
        let getAffinity = unsafeBitCast(getSymbol, to: Affinity.self)
        let setAffinity = unsafeBitCast(setSymbol, to: Affinity.self)
        let currentCPU = unsafeBitCast(cpuSymbol, to: (@convention(c) () -> Int32).self)
        let size = MemoryLayout<cpu_set_t>.size
        if let saved = getenv(variable) {
            // The started-again process: Dispatch is sized; give back the CPUs the parent had.
            var mask = decode(String(cString: saved))
            unsetenv(variable)
            _ = setAffinity(0, size, &mask)
            return
        }
        var mask = cpu_set_t()
        let cpu = Int(currentCPU())
        guard getAffinity(0, size, &mask) == 0, count(mask) > 1, cpu >= 0, cpu < size * 8 else { return }
        var one = cpu_set_t()
        withUnsafeMutableBytes(of: &one) { $0[cpu / 8] = UInt8(1) << UInt8(cpu % 8) }
        guard setAffinity(0, size, &one) == 0 else { return }
        setenv(variable, encode(mask), 1)
        var argv = CommandLine.arguments.map { strdup($0) } + [nil]
        // The binary's own path (not /proc/self/exe, which would name the process "exe").
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(path, &argv)
        // Not started again (no /proc): go on as before, on every CPU.
        unsetenv(variable)
        _ = setAffinity(0, size, &mask)
    }

    static func count(_ mask: cpu_set_t) -> Int {
        withUnsafeBytes(of: mask) { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
    }

    static func encode(_ mask: cpu_set_t) -> String {
        withUnsafeBytes(of: mask) { bytes in bytes.map { String($0, radix: 16) }.joined(separator: ",") }
    }

    static func decode(_ text: String) -> cpu_set_t {
        var mask = cpu_set_t()
        let bytes = text.split(separator: ",").map { UInt8($0, radix: 16) ?? 0 }
        withUnsafeMutableBytes(of: &mask) { raw in
            for (index, byte) in bytes.prefix(raw.count).enumerated() { raw[index] = byte }
        }
        return mask
    }
}
