import Hummingbird
import OutcomeEngine

/// Every way intake refuses a request, mapped to its status and JSON body in this one place.
public enum IntakeError: HTTPResponseError, Sendable, Equatable {
    case payloadTooLarge(limit: Int)
    case unsupportedMediaType(String?)
    case invalidJSON(String)
    case badHeader(String)
    case notAnObject
    case missingCallID(String)
    /// Refused by sender authentication; the verdict is for the log, never the response.
    case unauthorized(AuthVerdict)
    case storeUnavailable(String)
    case shuttingDown
    case notFound

    public var status: HTTPResponse.Status {
        switch self {
        case .payloadTooLarge: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .invalidJSON, .badHeader, .notAnObject: return .badRequest
        case .missingCallID: return .unprocessableContent
        case .unauthorized: return .unauthorized
        case .storeUnavailable, .shuttingDown: return .serviceUnavailable
        case .notFound: return .notFound
        }
    }

    /// Which intake check refused the request, for the `check=` key of `event=rejected`.
    public var check: String {
        switch self {
        case .payloadTooLarge: return "size"
        case .unsupportedMediaType: return "content_type"
        case .invalidJSON, .notAnObject: return "json"
        case .badHeader: return "header"
        case .missingCallID: return "call_id"
        case .unauthorized: return "auth"
        case .storeUnavailable: return "store"
        case .shuttingDown: return "shutdown"
        case .notFound: return "path"
        }
    }

    /// The text of `{"error": ...}`.
    public var message: String {
        switch self {
        case .payloadTooLarge(let limit): return "body is larger than server.max_body (\(limit) bytes)"
        case .unsupportedMediaType(let type): return "Content-Type must be application/json, not \(type.map { "\"\($0)\"" } ?? "missing")"
        case .invalidJSON(let detail), .badHeader(let detail): return detail
        case .notAnObject: return "body is JSON but not an object"
        case .missingCallID(let detail): return detail
        case .unauthorized: return "unauthorized"
        case .storeUnavailable(let detail): return "the event could not be stored, retry later: \(detail)"
        case .shuttingDown: return "shutting down, retry later"
        case .notFound: return "not found"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        let body = JSONValue.object(["error": .string(message)]).serialized()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
