import FuzzSupport
import OutcomeFuzzing

/// Fuzzes config loading as `outcomed check` does it; each config that loads decides the
/// example events.
@main
enum FuzzConfig {
    static func main() {
        _ = target
        FuzzDriver.run(fuzzOne)
    }
}

private let target: ConfigFuzzTarget = {
    let directory = FuzzDriver.repository + "/config/examples/events"
    do {
        return try ConfigFuzzTarget(eventDirectory: directory)
    } catch {
        FuzzDriver.fail("cannot load the events in \(directory): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.check(target.run(FuzzDriver.bytes(data, size)))
    return 0
}
