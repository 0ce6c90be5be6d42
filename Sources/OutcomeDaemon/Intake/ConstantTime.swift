/// Comparisons whose time does not depend on where two secrets differ.
enum ConstantTime {
    static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let reference = Array(b)
        guard !reference.isEmpty else { return a.isEmpty }
        var difference: UInt8 = a.count == reference.count ? 0 : 1
        for (index, byte) in a.enumerated() {
            difference |= byte ^ reference[index % reference.count]
        }
        return difference == 0
    }
}
