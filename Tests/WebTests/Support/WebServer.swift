import ChatCore
import ChatTesting
import ChatTransportTLS
import ChatTransportWeb
import Foundation
import NIOCore
import NIOPosix

/// An in-process server with a web door (plain HTTP, or HTTPS with `certificates`) beside its plain TCP port.
enum WebServer {
    static func withServer(
        _ configuration: ServerConfiguration = .loopback(),
        certificates: TLSCertificates? = nil,
        originPolicy: OriginPolicy = OriginPolicy(),
        _ body: (TestServer, Int) async throws -> Void
    ) async throws {
        let web = WebListener(host: "127.0.0.1", port: 0, certificates: certificates, originPolicy: originPolicy)
        try await TestServer.withServer(configuration, extraListeners: [web]) { server in
            guard let address = server.addresses.last, address.kind == "web" else {
                throw ExpectationFailure("no web listener among \(server.addresses)")
            }
            try await body(server, address.port)
        }
    }
}

/// One plain HTTP exchange over a raw socket: what a browser or a load balancer sends, and the whole answer.
enum HTTPExchange {
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        func header(_ name: String) -> String? { self.headers[name.lowercased()] }
    }

    /// Sends `request` as given and reads until the server closes the connection.
    static func send(_ request: String, to port: Int) async throws -> Answer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let received = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: request))
                    var bytes: [UInt8] = []
                    for try await buffer in inbound { bytes += buffer.readableBytesView }
                    return bytes
                }
            }
            group.addTask {
                try await Task.sleep(for: TestTime.expected)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let received else { throw ExpectationFailure("the server did not answer and close in time") }
        let text = String(decoding: received, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let headLines = parts[0].components(separatedBy: "\r\n")
        let status = Int(headLines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// `GET path` as a browser asks it.
    static func get(_ path: String, port: Int, method: String = "GET") async throws -> Answer {
        try await Self.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n", to: port)
    }
}
