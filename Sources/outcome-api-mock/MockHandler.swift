import Foundation
import NIOCore
import NIOHTTP1

/// Serves the upstream endpoint and the `/-/` control API on one connection.
final class MockHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: MockState
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(state: MockState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            handle(head, body: Data(body.readableBytesView), context: context)
        }
    }

    private func handle(_ head: HTTPRequestHead, body: Data, context: ChannelHandlerContext) {
        let (path, query) = split(head.uri)
        switch (head.method, path) {
        case (.GET, "/healthz"):
            respond(context, head, 200, ["status": "ok"])
        case (.GET, "/-/requests"):
            respond(context, head, 200, ["requests": state.requestsJSON(callID: query["call_id"])])
        case (.GET, "/-/stats"):
            respond(context, head, 200, state.stats())
        case (.POST, "/-/reset"):
            state.reset()
            respond(context, head, 200, ["status": "reset"])
        case (.POST, "/-/mode"):
            guard let object = json(body), let name = object["mode"] as? String, let mode = MockMode(rawValue: name) else {
                return respond(context, head, 400, ["error": "expected {\"mode\": \"up\"|\"down\"|\"401\"}"])
            }
            state.mode = mode
            respond(context, head, 200, ["mode": mode.rawValue])
        case (.POST, "/-/delay"):
            guard let object = json(body), let delay = object["delay_ms"] as? Int, (0...60_000).contains(delay) else {
                return respond(context, head, 400, ["error": "expected {\"delay_ms\": 0...60000}"])
            }
            state.delayMilliseconds = delay
            respond(context, head, 200, ["delay_ms": delay])
        case (.POST, "/-/faults"):
            guard let object = json(body), let callID = object["call_id"] as? String, let list = object["responses"] as? [[String: Any]] else {
                return respond(context, head, 400, ["error": "expected {\"call_id\": \"...\", \"responses\": [...]}"])
            }
            let faults = list.compactMap(Fault.init)
            guard faults.count == list.count else { return respond(context, head, 400, ["error": "each response needs status, reset or delay_ms"]) }
            state.addFaults(faults, for: callID)
            respond(context, head, 200, ["call_id": callID, "queued": faults.count])
        case (.PATCH, _):
            patch(head, path: path, body: body, context: context)
        default:
            respond(context, head, 404, ["message": "not found"])
        }
    }

    private func patch(_ head: HTTPRequestHead, path: String, body: Data, context: ChannelHandlerContext) {
        let prefix = "/webhooks/calls/", suffix = "/change-outcome"
        guard let start = path.range(of: prefix), path.hasSuffix(suffix), start.upperBound <= path.index(path.endIndex, offsetBy: -suffix.count) else {
            return respond(context, head, 404, ["message": "not found"])
        }
        let encoded = String(path[start.upperBound..<path.index(path.endIndex, offsetBy: -suffix.count)])
        guard !encoded.isEmpty, !encoded.contains("/"), let callID = encoded.removingPercentEncoding else {
            return respond(context, head, 404, ["message": "not found"])
        }
        let outcome = (try? JSONDecoder().decode(PatchBody.self, from: body))?.callOutcome
        var record = MockState.Recorded(
            callID: callID, outcome: outcome, status: 0, at: Date().timeIntervalSince1970,
            authorization: head.headers.first(name: "Authorization"), userAgent: head.headers.first(name: "User-Agent"),
            contentType: head.headers.first(name: "Content-Type"), accept: head.headers.first(name: "Accept"), rawPath: path
        )
        let answer: (Int, [String: Any], String?)
        var verbatim: Data?
        if head.headers.first(name: "Authorization") != "Bearer \(state.token)" {
            answer = (401, ["message": "Unauthenticated."], nil)
        } else if let fault = state.nextFault(for: callID) {
            if fault.reset {
                state.record(record)
                return reset(context)
            }
            let status = fault.status ?? 200
            var payload: [String: Any] = ["message": "scripted \(status)"]
            if status < 300 {
                verbatim = Self.success(callID, outcome)
            } else if fault.echoHeaders {
                payload["headers"] = Dictionary(head.headers.map { ($0.name, $0.value) }) { first, _ in first }
                payload["raw"] = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            } else if let text = fault.body {
                verbatim = Data(text.utf8)
            }
            if fault.delayMilliseconds > 0 {
                record.status = status
                state.record(record)
                let loop = context.eventLoop.assumeIsolated()
                loop.scheduleTask(in: .milliseconds(Int64(fault.delayMilliseconds))) {
                    self.respond(context, head, status, payload, retryAfter: fault.retryAfter, verbatim: verbatim)
                }
                return
            }
            answer = (status, payload, fault.retryAfter)
        } else {
            switch state.mode {
            case .down: answer = (503, ["message": "Service Unavailable"], nil)
            case .unauthorized: answer = (401, ["message": "Unauthenticated."], nil)
            case .up:
                if outcome == nil {
                    answer = (422, ["message": "The call outcome field is required."], nil)
                } else {
                    answer = (200, [:], nil)
                    verbatim = Self.success(callID, outcome)
                }
            }
        }
        record.status = answer.0
        state.record(record)
        let delay = state.delayMilliseconds
        guard delay > 0 else { return respond(context, head, answer.0, answer.1, retryAfter: answer.2, verbatim: verbatim) }
        state.begin(callID)
        let loop = context.eventLoop.assumeIsolated()
        loop.scheduleTask(in: .milliseconds(Int64(delay))) {
            self.state.end(callID)
            self.respond(context, head, answer.0, answer.1, retryAfter: answer.2, verbatim: verbatim)
        }
    }

    /// A PATCH's body: only the outcome is read.
    private struct PatchBody: Decodable {
        var callOutcome: String?

        enum CodingKeys: String, CodingKey {
            case callOutcome = "call_outcome"
        }
    }

    /// The answer to a PATCH that succeeded, as the API sends it (keys sorted), written by hand:
    /// `JSONSerialization` with sorted keys took 44% of the mock's CPU under the bench's load,
    /// on the cores that the daemon it measures runs on.
    private static func success(_ callID: String, _ outcome: String?) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(128 + callID.utf8.count + (outcome?.utf8.count ?? 0))
        out += #"{"data":{"call_outcome":"#.utf8
        if let outcome { appendString(outcome, to: &out) } else { out += "null".utf8 }
        out += #","events_count":"14","id":"#.utf8
        appendString(callID, to: &out)
        out += #","status":"completed","to_number":15551234567}}"#.utf8
        return Data(out)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), backslash: out += [backslash, byte]
            case UInt8(ascii: "\n"): out += [backslash, UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [backslash, UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [backslash, UInt8(ascii: "t")]
            case 0..<0x20: out += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private func reset(_ context: ChannelHandlerContext) {
        guard let provider = context.channel as? SocketOptionProvider else { return context.close(promise: nil) }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Answers with `object` as JSON, or with a scripted error body exactly as it was given.
    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: Int, _ object: [String: Any], retryAfter: String? = nil, verbatim: Data? = nil) {
        let data = verbatim ?? (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(data.count))
        if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func json(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let key = parts[0].removingPercentEncoding, let value = parts[1].removingPercentEncoding {
                query[key] = value
            }
        }
        return (String(uri[..<mark]), query)
    }
}
