import FuzzSupport
import OutcomeFuzzing

/// Fuzzes intake's parse, normalise and decide against the rules of config/outcomed.yaml.
@main
enum FuzzIntake {
    static func main() {
        _ = target
        FuzzDriver.run(fuzzOne)
    }
}

private let target: IntakeFuzzTarget = {
    let path = FuzzDriver.repository + "/config/outcomed.yaml"
    do {
        return try IntakeFuzzTarget(configPath: path)
    } catch {
        FuzzDriver.fail("cannot load \(path): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.check(target.run(FuzzDriver.bytes(data, size)))
    return 0
}
