import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in for CommVoice's change-outcome endpoint, with fault injection, for tests,
/// benchmarks and `make run`.
@main
struct OutcomeAPIMock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome-api-mock",
        abstract: "Serves PATCH /webhooks/calls/{call}/change-outcome with scriptable faults.",
        discussion: """
            Control API: GET /-/requests[?call_id=ID], GET /-/stats, POST /-/reset,
            POST /-/mode {"mode":"up"|"down"|"401"}, POST /-/delay {"delay_ms":50} (every unscripted answer waits; /-/stats counts
            "overlaps": PATCHes for a call that arrived while another for it was being answered, and "peak_active": the most
            PATCHes answered at once),
            POST /-/faults {"call_id":"ID","responses":[{"status":503},{"status":429,"retry_after":"2"},{"reset":true},{"delay_ms":3000},{"status":422,"echo_headers":true}]}
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 picks a free one.")
    var port = 8788

    @Option(help: "The bearer token the mock accepts.")
    var token = "demo-token"

    @Option(help: "Write the bound port to this file once listening.")
    var portFile: String?

    @Option(help: "Event loop threads.")
    var threads = 1

    func run() async throws {
        let state = MockState(token: token)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MockHandler(state: state))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let bound = channel.localAddress?.port ?? port
        if let portFile {
            try String(bound).write(toFile: portFile, atomically: true, encoding: .utf8)
        }
        FileHandle.standardOutput.write(Data("outcome-api-mock listening on http://\(host):\(bound) (token \(token))\n".utf8))
        try await channel.closeFuture.get()
    }
}
