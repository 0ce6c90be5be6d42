import Foundation
import TestSupport

/// Webhook signatures made by Python's `hmac`, as Retell and Vapi would send them: an
/// implementation that shares no code with the daemon's verifiers.
enum PythonSigner {
    static let script = """
        import base64, hashlib, hmac, sys
        kind, key, timestamp = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
        body = sys.stdin.buffer.read()
        if kind == "retell":
            print("v=%s,d=%s" % (timestamp, hmac.new(key, body + timestamp.encode(), hashlib.sha256).hexdigest()))
        else:
            mac = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha512).digest()
            print("sha512=" + base64.b64encode(mac).decode())
        """

    /// `X-Retell-Signature` for `body` at `milliseconds`.
    static func retell(_ body: String, apiKey: String, milliseconds: Int64) async throws -> String {
        try await run(["retell", apiKey, String(milliseconds)], body: body)
    }

    /// The signature of a Vapi credential with sha512, base64, prefix `sha512=` and `{timestamp}.{body}`.
    static func vapiSHA512Base64(_ body: String, secret: String, timestamp: Int64) async throws -> String {
        try await run(["vapi", secret, String(timestamp)], body: body)
    }

    static func run(_ arguments: [String], body: String) async throws -> String {
        let result = try await Command.run("/usr/bin/env", ["python3", "-c", script] + arguments, stdin: Data(body.utf8))
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
