import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `outcomed serve`: intake, delivery, reload, metrics and systemd integration in one
/// ServiceGroup. The delivery worker comes first so that it drains last; the reloader and the
/// shutdown announcer come last so that they stop first.
public enum Daemon {
    /// Runs Swift Concurrency on the server's event loops, so a request is handled without
    /// hopping between NIO's threads and the global pool, where the runtime allows it; returns
    /// whether it does. The release binary links the Swift runtime statically, which keeps the
    /// hook this needs private, so there tasks stay on the global pool (README, performance).
    /// Call it from `main`, before any task.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Installs the log handler for the whole process (once).
    public static func bootstrapLogging(format: LogFormat, level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let journal = isJournal(environment["JOURNAL_STREAM"])
        LoggingSystem.bootstrap { _ in LineLogHandler(format: format, level: level, journal: journal) }
    }

    /// The connections intake may hold: the configured limit, lowered so that connections plus
    /// `reserve` (the store, libcurl, logs) stay within the soft open-file limit; past it,
    /// `accept` fails in a loop and healthy senders time out.
    static func connectionLimit(configured: Int, reserve: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return configured }
        let available = Int(clamping: limit.rlim_cur) - reserve
        return max(1, min(configured, available))
    }

    /// Whether stderr is the journal stream that `JOURNAL_STREAM` (`device:inode`) names.
    static func isJournal(_ value: String?) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// Runs until SIGTERM or SIGINT; throws `ConfigError` for a bad config and `StoreError`
    /// for a store that cannot be opened.
    public static func run(_ options: ServeOptions) async throws {
        let environment = ProcessInfo.processInfo.environment
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = {
            var logger = Logger(label: "outcomed")
            logger.logLevel = options.logLevel
            return logger
        }()
        let notifier = SystemdNotifier(environment: environment)

        let config = try Config.load(path: options.configPath, mode: .serve, environment: environment)
        for warning in config.warnings { logger.warning("config warning", metadata: ["event": "config_loaded", "warning": "\(warning)"]) }
        let runtime = try DaemonRuntimeSettings(config: config, dryRun: options.dryRun, environment: environment)
        guard let api = config.api else { return }
        try await StoreOpener.withStore(config.queue, create: true, environment: environment, logger: logger) { store in
            try await serve(
                store: store, config: config, api: api, runtime: runtime, options: options,
                environment: environment, registry: registry, notifier: notifier, logger: logger
            )
        }
    }

    private static func serve(
        store: any QueueStore, config: Config, api: APIConfig, runtime: DaemonRuntimeSettings, options: ServeOptions,
        environment: [String: String], registry: PrometheusCollectorRegistry, notifier: SystemdNotifier, logger: Logger
    ) async throws {
        // The embedded store is one process's file: a second serve on it refuses to start, and
        // readiness watches that the file stays the one opened. A shared store has neither.
        let embedded = store as? SQLiteQueueStore
        let storeLock = try embedded.map { try StoreLock(storePath: $0.path) }
        defer { withExtendedLifetime(storeLock) {} }
        let health = StoreHealth(path: embedded?.path)
        OutcomedMetrics.reload(successful: true, at: WallClock.seconds())
        logger.notice("config_loaded", metadata: [
            "event": "config_loaded", "path": "\(config.path)", "rules": "\(config.rules.rules.count)", "queue": "\(store.location)",
        ])
        if runtime.live.authenticator.isOpen {
            logger.warning("no server.auth method is configured: every request is accepted", metadata: ["event": "started"])
        }

        let client = CurlClient(timeout: api.timeout, maxConnections: max(api.concurrency, 1), logger: logger)
        defer { client.shutdown() }
        let worker = DeliveryWorker(store: store, client: client, settings: runtime.delivery, logger: logger)
        let live = LiveConfigHolder(runtime.live)
        let writer = IntakeWriter(store: store, health: health, handoff: worker.handoff)
        let reloader = ConfigReloader(config: config, dryRun: options.dryRun, live: live, worker: worker, notifier: notifier, logger: logger)
        let controller = IntakeController(
            live: live, writer: writer, store: store, health: health, metrics: registry, logger: logger,
            onQueued: { worker.notify() },
            reload: { await reloader.reload() }
        )
        let router = Router(context: IntakeContext.self)
        controller.register(on: router)

        let address: BindAddress
        switch config.server.listen {
        case .tcp(let host, let port): address = .hostname(host, port: port)
        case .unix(let path):
            try UnixSocketPath.prepare(path)
            address = .unixDomainSocket(path: path)
        }
        let maxConnections = Self.connectionLimit(configured: config.server.maxConnections, reserve: 64 + api.concurrency)
        if maxConnections < config.server.maxConnections {
            logger.warning("server.max_connections lowered to fit the open-file limit", metadata: [
                "event": "started", "configured": "\(config.server.maxConnections)", "effective": "\(maxConnections)",
            ])
        }
        let readTimeout = TimeAmount.milliseconds(config.server.readTimeout.milliseconds)
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(timeout: readTimeout)],
            idleTimeout: .milliseconds(config.server.idleTimeout.milliseconds)
        )
        var serverLogger = logger
        serverLogger.logLevel = max(options.logLevel, .warning)
        let dryRun = options.dryRun
        let ready = ReadyFlag()
        let application = Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(
                address: address,
                serverName: nil,
                availableConnectionsDelegate: .maximum(maxConnections, logger: serverLogger)
            ),
            onServerRunning: { channel in
                let listening: String
                switch (config.server.listen, channel.localAddress?.port) {
                case (.tcp(let host, _), let port?): listening = "\(ListenAddress.tcp(host: host, port: port))"
                default: listening = "\(config.server.listen)"
                }
                logger.notice("started", metadata: [
                    "event": "started", "version": "\(OutcomedVersion.current)", "listen": "\(listening)", "dry_run": "\(dryRun)",
                ])
                notifier.notify("READY=1\nSTATUS=listening on \(config.server.listen)")
                ready.set()
            },
            logger: serverLogger
        )

        var services: [any Service] = [worker, application, QueueMetricsService(store: store, worker: worker)]
        if let shared = store as? PostgresQueueStore {
            services.append(PostgresWakeups(client: shared.client, channel: PostgresQueueStore.notificationChannel, logger: logger, wake: { worker.notify() }))
        }
        if let watchdog = WatchdogService(environment: environment, notifier: notifier, worker: worker, store: store, ready: ready, logger: logger) {
            services.append(watchdog)
        }
        services.append(reloader)
        services.append(ShutdownAnnouncer(controller: controller, notifier: notifier, logger: logger))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: serverLogger
        ))
        try await group.run()
        logger.notice("stopped", metadata: ["event": "stopped"])
    }
}
