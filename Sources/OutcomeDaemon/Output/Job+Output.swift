import Foundation
import OutcomeEngine

extension Job {
    /// The job as JSON, as `queue list --json` prints it.
    public var json: JSONValue {
        .object([
            "id": .number(Double(id)),
            "call_id": .string(callID),
            "outcome": .string(outcome),
            "rule": rule.map(JSONValue.string) ?? .null,
            "event_id": .number(Double(eventID)),
            "state": .string(state.rawValue),
            "attempts": .number(Double(attempts)),
            "next_attempt_at": .string(Self.iso8601(nextAttemptAt)),
            "last_status": lastStatus.map { .number(Double($0)) } ?? .null,
            "last_error": lastError.map(JSONValue.string) ?? .null,
            "created_at": .string(Self.iso8601(createdAt)),
            "updated_at": .string(Self.iso8601(updatedAt)),
            "lease_owner": leaseOwner.map(JSONValue.string) ?? .null,
            "lease_expires_at": leaseExpiresAt.map { .string(Self.iso8601($0)) } ?? .null,
        ])
    }

    /// A table of jobs with a header line, as `queue list` prints it.
    public static func table(_ jobs: [Job]) -> String {
        let header = ["ID", "CALL", "OUTCOME", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "STATUS", "LAST ERROR"]
        let rows = jobs.map { job in
            [
                String(job.id), job.callID, job.outcome, job.state.rawValue, String(job.attempts),
                job.state == .pending ? iso8601(job.nextAttemptAt) : "-",
                job.lastStatus.map(String.init) ?? "-",
                job.lastError.map { String($0.replacingOccurrences(of: "\n", with: " ").prefix(60)) } ?? "-",
            ]
        }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
