import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OutcomeEngine
import Prometheus
import Synchronization

/// The intake HTTP API (SPEC §2): `POST /v1/events`, health, readiness, metrics and reload.
public final class IntakeController: Sendable {
    private let live: LiveConfigHolder
    private let writer: IntakeWriter
    private let store: any QueueStore
    private let health: StoreHealth
    private let logger: Logger
    private let onQueued: @Sendable () -> Void
    private let reload: @Sendable () async -> Result<Void, ConfigError>
    private let metrics: PrometheusCollectorRegistry?
    private let stopping = Atomic<Bool>(false)
    private let idempotencyKey = HTTPField.Name("Idempotency-Key")
    /// The longest `Idempotency-Key` kept; a longer one is a 400.
    static let maxIdempotencyKeyBytes = 256

    /// Creates the controller; `health` answers readiness, `onQueued` wakes delivery, `reload`
    /// runs a config reload.
    public init(
        live: LiveConfigHolder,
        writer: IntakeWriter,
        store: any QueueStore,
        health: StoreHealth,
        metrics: PrometheusCollectorRegistry?,
        logger: Logger,
        onQueued: @escaping @Sendable () -> Void,
        reload: @escaping @Sendable () async -> Result<Void, ConfigError>
    ) {
        self.live = live
        self.writer = writer
        self.store = store
        self.health = health
        self.metrics = metrics
        self.logger = logger
        self.onQueued = onQueued
        self.reload = reload
    }

    /// From now on, new events get 503.
    public func beginShutdown() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<IntakeContext>) {
        router.post("/v1/events") { request, context in
            try await self.receive(request, context: context)
        }
        router.get("/healthz") { _, _ in
            Self.json(.ok, ["status": .string("ok")])
        }
        router.get("/readyz") { _, _ in
            let problem = await self.health.check { await self.store.probeWrite(now: WallClock.milliseconds()) }
            if let problem {
                return Self.json(.serviceUnavailable, ["status": .string("not ready"), "store_writable": .bool(false), "reason": .string(problem)])
            }
            if self.stopping.load(ordering: .relaxed) {
                return Self.json(.serviceUnavailable, ["status": .string("not ready"), "store_writable": .bool(true), "reason": .string("shutting down")])
            }
            return Self.json(.ok, ["status": .string("ready")])
        }
        router.get("/metrics") { _, _ in
            let text = self.metrics?.emitToString() ?? ""
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.post("/-/reload") { _, context in
            guard context.isLocal else { throw IntakeError.notFound }
            switch await self.reload() {
            case .success: return Self.json(.ok, ["status": .string("reloaded")])
            case .failure(let error): return Self.json(.unprocessableContent, ["error": .string(error.description)])
            }
        }
    }

    func receive(_ request: Request, context: IntakeContext) async throws -> Response {
        do {
            return try await accept(request, on: context.eventLoop)
        } catch {
            OutcomedMetrics.event("rejected")
            var metadata: Logger.Metadata = [
                "event": "rejected", "status": "\(error.status.code)", "check": "\(error.check)", "error": "\(error.message)", "peer": "\(context.peer)",
            ]
            if case .unauthorized(let verdict) = error { metadata["auth"] = "\(verdict)" }
            logger.warning("rejected", metadata: metadata)
            throw error
        }
    }

    private func accept(_ incoming: Request, on eventLoop: any EventLoop) async throws(IntakeError) -> Response {
        guard !stopping.load(ordering: .relaxed) else { throw .shuttingDown }
        let config = live.current
        var request = incoming
        if let length = request.headers[.contentLength].flatMap(Int.init), length > config.maxBody {
            throw .payloadTooLarge(limit: config.maxBody)
        }
        let body: [UInt8]
        do {
            body = Array(try await request.collectBody(upTo: config.maxBody).readableBytesView)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            // A body without Content-Length (chunked) is only found too large while it is read.
            throw .payloadTooLarge(limit: config.maxBody)
        } catch {
            throw .invalidJSON("could not read the body: \(error)")
        }
        let verdict = config.authenticator.authenticate(headers: request.headers, body: body, nowMilliseconds: WallClock.milliseconds())
        guard verdict.isAccepted else { throw .unauthorized(verdict) }
        let contentType = request.headers[.contentType]
        guard let contentType, Self.isJSON(contentType) else { throw .unsupportedMediaType(contentType) }
        if logger.logLevel <= .debug {
            logger.debug("received", metadata: ["event": "received", "bytes": "\(body.count)", "body": "\(String(decoding: body, as: UTF8.self))"])
        }

        let normalization: Normalization
        do {
            normalization = try CallEvent.normalize(JSONParser().parse(body))
        } catch let error as JSONParseError {
            throw .invalidJSON(error.description)
        } catch EventError.notAnObject {
            throw .notAnObject
        } catch {
            throw .missingCallID("\(error)")
        }
        guard case .event(let event) = normalization else {
            OutcomedMetrics.event("ignored")
            return Self.json(.ok, ["status": .string("ignored")])
        }

        let decision = config.rules.decide(event)
        let key = try Self.idempotencyKey(idempotencyKey.flatMap { request.headers[$0] }) ?? IntakeRecord.contentKey(of: body)
        let receipt: IntakeReceipt
        do {
            receipt = try await writer.commit(IntakeRecord(idempotencyKey: key, callID: event.callID, body: body, decision: decision), resumingOn: eventLoop)
        } catch {
            logger.error("cannot store event", metadata: ["event": "store_error", "status": "503", "call_id": "\(event.callID)", "error": "\(error)"])
            throw .storeUnavailable(StoreHealth.describe(error))
        }
        if receipt.duplicate {
            OutcomedMetrics.event("duplicate")
            var first = (try? JSONParser().parse(receipt.response)).flatMap(\.objectValue) ?? [:]
            first["duplicate"] = .bool(true)
            logger.info("duplicate", metadata: ["event": "received", "call_id": "\(event.callID)", "duplicate": "true", "event_id": "\(receipt.eventID)"])
            return Self.raw(.ok, JSONValue.object(first).serialized())
        }
        OutcomedMetrics.event("accepted")
        OutcomedMetrics.decision(decision)
        var metadata: Logger.Metadata = [
            "event": "decided", "call_id": "\(event.callID)", "action": "\(decision.action.rawValue)",
            "rule": "\(decision.ruleLabel)", "outcome": "\(decision.outcome ?? "none")",
            "event_id": "\(receipt.eventID)",
        ]
        if let jobID = receipt.jobID {
            metadata["job_id"] = "\(jobID)"
            // A job handed off is with delivery already; a pending one waits for a claim.
            if !receipt.handedOff { onQueued() }
        }
        logger.info("decided", metadata: metadata)
        return Self.raw(.accepted, receipt.response)
    }

    /// The stored key for an `Idempotency-Key` header; nil (use the body's digest) when it is
    /// absent or blank, since a blank key would make every later blank-keyed event a duplicate.
    static func idempotencyKey(_ header: String?) throws(IntakeError) -> String? {
        guard let header else { return nil }
        let key = header.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        guard key.utf8.count <= maxIdempotencyKeyBytes else {
            throw .badHeader("Idempotency-Key is longer than \(maxIdempotencyKeyBytes) bytes")
        }
        return "key:" + key
    }

    static func isJSON(_ contentType: String) -> Bool {
        if contentType == "application/json" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json"
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: JSONValue]) -> Response {
        raw(status, JSONValue.object(object).serialized())
    }

    static func raw(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
