import Foundation
import HTTPTypes
import Testing
@testable import OutcomeDaemon

/// Signatures made by Python's `hmac` (Vectors/make-signature-vectors.py), checked through the
/// config parser and SenderAuthenticator, so neither side can agree with itself by mistake.
struct SignatureVectorTests {
    struct Vectors: Decodable {
        var now_ms: Int64
        var environment: [String: String]
        var cases: [Vector]
    }

    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var auth: String
        var headers: [String: String]
        var body: String
        var accepted: Bool
        var log: String
        var testDescription: String { name }
    }

    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/signature-vectors.json").path

    static func load() throws -> Vectors {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
        return try JSONDecoder().decode(Vectors.self, from: data)
    }

    static let vectors: [Vector] = (try? load().cases) ?? []

    @Test func theVectorsAreThere() async throws {
        #expect(try Self.load().cases.count >= 40)
    }

    @Test(arguments: vectors)
    func pythonSignaturesAreJudgedAsExpected(vector: Vector) async throws {
        let file = try Self.load()
        let indented = vector.auth.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let yaml = "outcomes: [a]\nrules: []\nserver:\n  auth:\n\(indented)\n"
        let config = try Config.parse(yaml: yaml, file: "vector.yaml", mode: .rules)
        let authenticator = try SenderAuthenticator(config.server.auth, environment: file.environment)
        var headers = HTTPFields()
        for (name, value) in vector.headers {
            guard let field = HTTPField.Name(name) else { throw CocoaError(.coderInvalidValue) }
            headers[field] = value
        }
        let verdict = authenticator.authenticate(headers: headers, body: Array(vector.body.utf8), nowMilliseconds: file.now_ms)
        #expect(verdict.isAccepted == vector.accepted)
        #expect(verdict.description == vector.log)
        for secret in file.environment.values {
            #expect(!verdict.description.contains(secret))
        }
    }
}
