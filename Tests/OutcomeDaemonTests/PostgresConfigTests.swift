import Foundation
import Testing
@testable import OutcomeDaemon

/// `queue.postgres` and the URL it names: the forms libpq users write, and what is refused.
struct PostgresConfigTests {
    @Test(arguments: [
        ("postgres://outcomed:s%40cret@db.internal:6432/queue?sslmode=require", "db.internal", nil, 6432, "outcomed", "s@cret", "queue", PostgresURL.TLSMode.require),
        ("postgresql://outcomed@10.0.0.5/outcomed", "10.0.0.5", nil, 5432, "outcomed", nil, "outcomed", .prefer),
        ("postgres://app@localhost", "localhost", nil, 5432, "app", nil, "app", .prefer),
        ("postgres://postgres@/outcomed?host=/run/postgresql&sslmode=disable", nil, "/run/postgresql/.s.PGSQL.5432", 5432, "postgres", nil, "outcomed", .disable),
        ("  postgres://a:b@h:1/d\n", "h", nil, 1, "a", "b", "d", .prefer),
    ] as [(String, String?, String?, Int, String, String?, String, PostgresURL.TLSMode)])
    func urlsThatParse(text: String, host: String?, socket: String?, port: Int, user: String, password: String?, database: String, tls: PostgresURL.TLSMode) throws {
        let url = try PostgresURL(text)
        #expect(url.host == host && url.socketPath == socket && url.port == port)
        #expect(url.user == user && url.password == password && url.database == database && url.tls == tls)
        #expect(!url.redacted.contains("cret"))
    }

    @Test(arguments: [
        ("mysql://u@h/d", "must start with postgres://"),
        ("postgres://h/d", "names no user"),
        ("postgres://u@/d", "names no host"),
        ("postgres://u:secretpw@h/d?sslmode=verify-full", "sslmode=verify-full is not one of disable, prefer, require"),
        ("postgres://u:secretpw@h/d?pool=3", "the parameter \"pool\" is not supported"),
        ("postgres://u@h/d?host=relative", "must be a socket directory"),
        ("postgres://u@h/a/b", "contains a slash"),
    ])
    func urlsThatAreRefused(text: String, message: String) {
        #expect {
            try PostgresURL(text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(message) && !description.contains("secretpw")
        }
    }

    static let head = "outcomes: [a]\nrules: []\napi:\n  base_url: http://127.0.0.1:1\n  token_env: T\n"

    @Test func aQueueOnPostgresReadsItsURLFromTheEnvironment() throws {
        let yaml = Self.head + "queue:\n  postgres:\n    url_env: PG_URL\n    pool: 4\n"
        let config = try Config.parse(yaml: yaml, file: "pg.yaml", mode: .serve, environment: ["T": "t", "PG_URL": "postgres://u@h/d"])
        #expect(config.queue.postgres?.pool == 4)
        #expect(config.queue.postgres?.url.kind == .environment("PG_URL"))
    }

    @Test(arguments: [
        ("queue:\n  path: /tmp/q.sqlite\n  postgres:\n    url_env: PG_URL\n", 7, 3, "give queue.path (the embedded store) or queue.postgres (a shared store), not both"),
        ("queue:\n  postgres:\n    url: postgres://u:p@h/d\n", 8, 5, "secrets are never written inline: use url_file (a path) or url_env (a variable name)"),
        ("queue:\n  postgres:\n    pool: 4\n", 8, 5, "queue.postgres needs url_file (a path) or url_env (a variable name)"),
        ("queue:\n  postgres:\n    url_env: PG_URL\n    pool: 1\n", 9, 11, "pool"),
        ("queue:\n  postgres:\n    url_env: BAD_URL\n", 8, 14, "queue.postgres.url_env: the PostgreSQL URL must start with postgres://"),
    ] as [(String, Int, Int, String)])
    func badPostgresSettingsNameTheirPlace(queue: String, line: Int, column: Int, message: String) {
        do {
            _ = try Config.parse(yaml: Self.head + queue, file: "pg.yaml", mode: .serve, environment: ["T": "t", "PG_URL": "postgres://u@h/d", "BAD_URL": "http://u:pw@h/d"])
            Issue.record("accepted: \(queue)")
        } catch {
            #expect(error.location.line == line && error.location.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(!"\(error)".contains("pw@"))
        }
    }
}
