/// The version that `outcomed version` prints and the `User-Agent` carries.
public enum OutcomedVersion {
    /// The current version.
    public static let current = "0.1.0"
}
