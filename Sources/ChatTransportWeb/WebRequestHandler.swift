import ChatCore
import EmojiData
import NIOCore
import NIOHTTP1

/// Answers the web door's plain HTTP requests (those that did not become a WebSocket): the page at `/`, `/healthz`
/// for load balancers, `/metrics` for Prometheus, the emoji table the page suggests from at `/emoji`, and `404` for
/// anything else. Every
/// answer closes the connection: a page load is a handful of requests, and a connection that is not a chat holds
/// no slot afterwards.
final class WebRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let page: WebClientPage
    private let originPolicy: OriginPolicy
    private let isEncrypted: Bool
    private let metrics: MetricsEndpoint?
    /// The one request of this connection has had its answer; whatever else comes is dropped with the connection.
    private var hasAnswered = false
    /// The peer is this machine (for `/metrics`).
    private var peerIsLoopback = false

    init(page: WebClientPage, originPolicy: OriginPolicy, isEncrypted: Bool, metrics: MetricsEndpoint?) {
        self.page = page
        self.originPolicy = originPolicy
        self.isEncrypted = isEncrypted
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.peerIsLoopback = PeerAddress(context.channel.remoteAddress).isLoopback
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Answered as soon as the head is in: nothing here needs a body, and waiting for one would let a client
        // hold the connection open by trickling a body the guard in front no longer times.
        guard case .head(let head) = self.unwrapInboundIn(data), !self.hasAnswered else { return }
        self.hasAnswered = true
        self.respond(to: head, context: context)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let response = self.response(to: head)
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
        headers.replaceOrAdd(name: "Connection", value: "close")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD, !response.body.isEmpty {
            let body = context.channel.allocator.buffer(bytes: response.body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private struct Response {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders = [:]
        var body: [UInt8] = []

        static func text(_ status: HTTPResponseStatus, _ text: String) -> Response {
            Response(
                status: status,
                headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"],
                body: Array(text.utf8)
            )
        }
    }

    /// What `head` gets: a pure decision, no I/O.
    private func response(to head: HTTPRequestHead) -> Response {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard head.method == .GET || head.method == .HEAD else {
            var response = Response.text(.methodNotAllowed, "Only GET and HEAD are served here.\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        switch path {
        case "/":
            if head.headers["If-None-Match"].contains(self.page.entityTag) {
                return Response(status: .notModified, headers: ["ETag": self.page.entityTag])
            }
            return Response(
                status: .ok,
                headers: [
                    "Content-Type": "text/html; charset=utf-8",
                    // Revalidated on every load (a 304 when unchanged), so a new version shows on the next reload.
                    "Cache-Control": "no-cache",
                    "ETag": self.page.entityTag,
                    "Content-Security-Policy": self.page.contentSecurityPolicy,
                    "X-Frame-Options": "DENY",
                ],
                body: self.page.html
            )
        case "/healthz":
            // Exactly `ok`, as Kubernetes' own /healthz answers, for checks that compare the body.
            return .text(.ok, "ok")
        case "/metrics":
            guard let metrics = self.metrics else { return .text(.notFound, "Not found.\n") }
            guard metrics.isPublic || self.peerIsLoopback else {
                return .text(.forbidden, "Metrics are served to this machine only (see --metrics-public).\n")
            }
            return Response(
                status: .ok,
                headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                body: metrics.exposition()
            )
        case "/emoji":
            // One `shortcode<TAB>emoji` line each, every line ended (the table's literal has no final newline).
            var response = Response.text(.ok, EmojiData.shortcodeTable + "\n")
            response.headers.replaceOrAdd(name: "Cache-Control", value: "max-age=3600")
            return response
        case "/ws":
            // Here only when the upgrade did not happen: refused by the origin rule, or not a WebSocket request.
            if !self.originPolicy.allows(head, isEncrypted: self.isEncrypted) {
                return .text(.forbidden, "This page's origin may not open the chat.\n")
            }
            return .text(.upgradeRequired, "This is the chat's WebSocket: open / in a browser.\n")
        default:
            return .text(.notFound, "Not found.\n")
        }
    }
}

@available(*, unavailable)
extension WebRequestHandler: Sendable {}
