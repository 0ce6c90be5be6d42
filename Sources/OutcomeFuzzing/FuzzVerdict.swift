/// What one fuzz input came to: refused the way the product refuses it, accepted, or a broken
/// promise that a fuzzer must report as a crash.
public enum FuzzVerdict: Sendable, Equatable {
    /// The input was refused with the error the product gives for it.
    case rejected(String)
    /// The input went through; the text says what it came to.
    case accepted(String)
    /// The product went through but broke one of its own promises; the text says which.
    case inconsistent(String)

    /// The broken promise, if there is one.
    public var problem: String? {
        guard case .inconsistent(let problem) = self else { return nil }
        return problem
    }
}
