import Foundation
import Testing
import OutcomeDaemon
import TestSupport

/// Intake under hostile or broken conditions: odd bodies and headers, a locked, full or
/// deleted store. Each case was once answered wrongly.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct IntakeHardeningTests {
    @Test func aChunkedBodyOverMaxBodyIs413() async throws {
        let daemon = try await Daemon(maxBody: "1KiB")
        try await daemon.start()
        let connection = try RawConnection(port: daemon.port)
        let chunk = String(repeating: " ", count: 4096)
        connection.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n")
        let answer = await connection.readUntilClosed(timeout: .seconds(5)).text
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
        #expect(answer.contains("max_body"))
    }

    @Test func aBlankIdempotencyKeyIsNoKey() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        func post(_ callID: String, key: String) async throws -> String {
            let body = Daemon.event(callID)
            let connection = try RawConnection(port: daemon.port)
            connection.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nIdempotency-Key:\(key)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return await connection.readUntilClosed(timeout: .seconds(10)).text
        }
        let first = try await post("c-blank-1", key: "")
        let second = try await post("c-blank-2", key: "   ")
        #expect(first.hasPrefix("HTTP/1.1 202"), "\(first)")
        #expect(second.hasPrefix("HTTP/1.1 202"), "a different event with a blank key is not a duplicate: \(second)")
        #expect(second.contains(#""call_id":"c-blank-2""#))
        let long = try await post("c-long-key", key: " " + String(repeating: "k", count: 300))
        #expect(long.hasPrefix("HTTP/1.1 400"), "\(long)")
    }

    @Test func aLockedStoreFailsEverySenderWithinOneBusyTimeoutWithoutSQL() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        let locker = try await daemon.lockStore()
        let results = await withTaskGroup(of: (Duration, String)?.self) { group in
            for index in 0..<6 {
                group.addTask {
                    // The first request holds the writer on the lock; the others queue behind it.
                    if index > 0 { try? await Task.sleep(for: .milliseconds(300)) }
                    let started = ContinuousClock.now
                    guard let response = try? await daemon.post(Daemon.event("c-queued-\(index)")) else { return nil }
                    return (ContinuousClock.now - started, "\(response.status) \(String(decoding: response.body, as: UTF8.self))")
                }
            }
            var results: [(Duration, String)] = []
            for await result in group { if let result { results.append(result) } }
            return results
        }
        await locker.release()
        let answers = results.map(\.1)
        let longest = results.map(\.0).max() ?? .zero
        #expect(answers.count == 6)
        #expect(answers.allSatisfy { $0.hasPrefix("503 ") }, "\(answers)")
        #expect(answers.allSatisfy { $0.contains("locked") && !$0.contains("INSERT") && !$0.contains("SELECT") }, "\(answers)")
        #expect(longest < .seconds(8), "a sender waited \(longest) behind a lock with a 5 s busy timeout")
    }

    @Test func readinessWritesNothingWhileCommitsSucceed() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-ready")).status == 202)
        for _ in 0..<20 { #expect(try await daemon.get("/readyz").status == 200) }
        let probed = try await Command.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM health').fetchone()[0])
            """, daemon.storePath])
        #expect(probed.stdout == "0\n", "readiness probes wrote to the store: \(probed.stdout)\(probed.stderr)")
    }

    @Test func aDeletedStoreMakesIntakeAndReadinessFail() async throws {
        let daemon = try await Daemon()
        try await daemon.start()
        #expect(try await daemon.post(Daemon.event("c-kept")).status == 202)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: daemon.storePath + suffix) }
        let response = try await daemon.post(Daemon.event("c-into-the-void"))
        #expect(response.status == 503, "a 202 now would be lost at the next restart")
        #expect(String(decoding: response.body, as: UTF8.self).contains("deleted"))
        let ready = try await daemon.get("/readyz")
        #expect(ready.status == 503)
        #expect(String(decoding: ready.body, as: UTF8.self).contains("deleted"))
        #expect(daemon.log.contains("event=store_error"))
    }

    /// A real full disk: a 4 MiB tmpfs holds the store, and a file takes the rest of it.
    @Test func aFullDiskIsNotReadyUntilThereIsRoomAgain() async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("outcomed-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try await Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint])
        try #require(mounted.status == 0, "this test needs root to mount a small tmpfs: \(mounted.stderr)")
        defer {
            _ = umount2(mountPoint, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        let daemon = try await Daemon(storeDirectory: mountPoint)
        defer { daemon.stop() }
        try await daemon.start()
        let filler = mountPoint + "/filler"
        _ = try await Command.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"])
        let padding = String(repeating: "x", count: 30_000)
        var refused: UpstreamResponse?
        for index in 0..<200 {
            let response = try await daemon.post(Daemon.event("c-full-\(index)", chat: "User: \(padding)"))
            if response.status != 202 {
                refused = response
                break
            }
        }
        let answer = try #require(refused, "the disk never filled up")
        #expect(answer.status == 503)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("full"), "\(String(decoding: answer.body, as: UTF8.self))")
        let notReady = try await daemon.get("/readyz")
        #expect(notReady.status == 503, "readiness must not say ready while every event is refused")
        #expect(try await daemon.get("/healthz").status == 200)

        try FileManager.default.removeItem(atPath: filler)
        let deadline = ContinuousClock.now + .seconds(10)
        while try await daemon.get("/readyz").status != 200 {
            guard ContinuousClock.now < deadline else { Issue.record("readiness did not come back once there was room"); break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await daemon.post(Daemon.event("c-after-full")).status == 202)
    }
}
