/// The mock's global behaviour, switchable at run time with `POST /-/mode`.
enum MockMode: String, Sendable {
    /// Answer normally (after any per-call faults).
    case up
    /// Answer every PATCH with 503.
    case down
    /// Answer every PATCH with 401, as if the token were revoked.
    case unauthorized = "401"
}
