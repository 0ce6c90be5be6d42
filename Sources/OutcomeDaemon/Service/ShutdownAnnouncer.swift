import Logging
import ServiceLifecycle

/// The last service in the group, so the first told of a graceful shutdown: it logs `stopping`,
/// tells systemd, and makes intake answer 503 while the server and delivery drain.
struct ShutdownAnnouncer: Service {
    let controller: IntakeController
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        notifier.notify("STOPPING=1")
        logger.notice("stopping", metadata: ["event": "stopping"])
        controller.beginShutdown()
    }
}
