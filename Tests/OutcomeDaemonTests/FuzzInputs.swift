import Foundation

/// The inputs the fuzz targets start from: the checked-in seeds and the inputs that once broke
/// a target (Fuzz/corpus/<target>/ and Fuzz/regressions/<target>/).
enum FuzzInputs {
    static func files(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { folder in
            let directory = Paths.root + "/Fuzz/\(folder)/\(target)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { "Fuzz/\(folder)/\(target)/\($0)" }
        }
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: Paths.root + "/" + file) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file])
        }
        return Array(data)
    }
}
