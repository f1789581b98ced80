import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import ChatTransportWeb

/// Who may read `/metrics`: this machine by default, everyone with `--metrics-public`; and a 404 without metrics.
@Suite struct MetricsAccessTests {
    let endpoint = MetricsEndpoint(isPublic: false) { Array("slashchat_messages_total 3\n".utf8) }

    /// The status `/metrics` gets from `peer`.
    func status(from peer: String, metrics: MetricsEndpoint?) throws -> HTTPResponseStatus? {
        let channel = EmbeddedChannel()
        let handler = WebRequestHandler(
            page: .standard,
            originPolicy: OriginPolicy(),
            isEncrypted: false,
            metrics: metrics
        )
        try channel.connect(to: SocketAddress(ipAddress: peer, port: 40_000)).wait()
        try channel.pipeline.syncOperations.addHandler(handler)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/metrics", headers: ["Host": "x"])
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let response) = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        return response.status
    }

    @Test func loopbackMayReadTheMetrics() throws {
        #expect(try self.status(from: "127.0.0.1", metrics: self.endpoint) == .ok)
        #expect(try self.status(from: "::1", metrics: self.endpoint) == .ok)
    }

    @Test func anotherAddressMayNotUnlessTheyArePublic() throws {
        #expect(try self.status(from: "192.0.2.7", metrics: self.endpoint) == .forbidden)
        let open = MetricsEndpoint(isPublic: true, exposition: self.endpoint.exposition)
        #expect(try self.status(from: "192.0.2.7", metrics: open) == .ok)
    }

    @Test func withoutMetricsThereIsNoSuchPage() throws {
        #expect(try self.status(from: "127.0.0.1", metrics: nil) == .notFound)
    }
}
