import ServiceLifecycle

extension Task where Success == Never, Failure == Never {
    /// Whether a service loop should end: its task was cancelled or a graceful shutdown began.
    static var isCancelledOrShuttingDown: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully
    }
}
