/// A promise the product broke on a fuzz input: what a fuzzer reports as a crash.
struct BrokenPromise: Error, Sendable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
