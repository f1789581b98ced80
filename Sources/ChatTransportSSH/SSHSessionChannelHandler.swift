import ChatCore
import NIOCore
import NIOSSH

/// The one session channel an SSH connection may open: it answers the channel's requests (a terminal and then a
/// shell start the chat; commands, subsystems and the rest are refused) and turns SSH's channel data into the bytes
/// the connection pump reads and the outbox writes, so the chat behind it is the same pipeline as every door's.
/// When the channel closes, it sends the exit status first, and the connection goes with it.
///
/// With a terminal (`pty-req`, as `ssh` asks for when run from one) the chat is drawn on it (``SSHTerminal``);
/// without one (`ssh -T`, input from a file) it arrives as plain lines, as on TCP.
final class SSHSessionChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = SSHChannelData

    /// Builds the chat behind this handler, once the shell is asked for: on the terminal the client asked for, if
    /// it did.
    private let startChat: (any Channel, SSHTerminalRequest?) throws -> Void
    /// What a request to run a command is told on stderr before the channel closes.
    private let noCommandsReply: String
    private var chatStarted = false
    private var exitStatusSent = false
    private var terminal: SSHTerminalRequest?

    init(noCommandsReply: String, startChat: @escaping (any Channel, SSHTerminalRequest?) throws -> Void) {
        self.noCommandsReply = noCommandsReply
        self.startChat = startChat
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = self.unwrapInboundIn(data)
        // Only the channel's own stream is the user's typing; a client has no business sending stderr.
        guard message.type == .channel, case .byteBuffer(let bytes) = message.data, self.chatStarted else { return }
        context.fireChannelRead(self.wrapInboundOut(bytes))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = self.unwrapOutboundIn(data)
        context.write(self.wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(bytes))), promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is SSHChannelRequestEvent.ShellRequest:
            let request = event as! SSHChannelRequestEvent.ShellRequest
            guard !self.chatStarted else {
                self.reply(request.wantReply, success: false, context: context)
                return
            }
            do {
                try self.startChat(context.channel, self.terminal)
            } catch {
                self.reply(request.wantReply, success: false, context: context)
                context.close(promise: nil)
                return
            }
            self.chatStarted = true
            self.reply(request.wantReply, success: true, context: context)
        case let request as SSHChannelRequestEvent.ExecRequest:
            self.refuseCommand(wantReply: request.wantReply, context: context)
        case let request as SSHChannelRequestEvent.SubsystemRequest:
            self.refuseCommand(wantReply: request.wantReply, context: context)
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            // One terminal, asked for before the shell.
            guard !self.chatStarted, self.terminal == nil else {
                self.reply(request.wantReply, success: false, context: context)
                return
            }
            self.terminal = SSHTerminalRequest(request)
            self.reply(request.wantReply, success: true, context: context)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            self.reply(request.wantReply, success: false, context: context)
        case let event as ChannelEvent where event == .inputClosed && !self.chatStarted:
            // The client ended its input before asking for anything: there is nothing to answer.
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // The exit status goes out before the channel's close, so `ssh` exits 0 after `/quit`, the end of its input,
        // or the server's goodbye; a command it refused exits 1.
        if mode == .all, !self.exitStatusSent {
            self.exitStatusSent = true
            let status = SSHChannelRequestEvent.ExitStatus(exitStatus: self.chatStarted ? 0 : 1)
            context.triggerUserOutboundEvent(status, promise: nil)
        }
        context.close(mode: mode, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // One session per connection: when it ends, so does the connection.
        context.channel.parent?.close(promise: nil)
        context.fireChannelInactive()
    }

    /// Says why on stderr (before the refusal, which makes OpenSSH exit), then closes.
    private func refuseCommand(wantReply: Bool, context: ChannelHandlerContext) {
        let channel = context.channel
        let text = channel.allocator.buffer(string: self.noCommandsReply)
        context.writeAndFlush(self.wrapOutboundOut(SSHChannelData(type: .stdErr, data: .byteBuffer(text))))
            .whenComplete { _ in channel.close(promise: nil) }
        self.reply(wantReply, success: false, context: context)
    }

    private func reply(_ wantReply: Bool, success: Bool, context: ChannelHandlerContext) {
        guard wantReply else { return }
        let event: Any = success ? ChannelSuccessEvent() : ChannelFailureEvent()
        context.triggerUserOutboundEvent(event, promise: nil)
    }
}

@available(*, unavailable)
extension SSHSessionChannelHandler: Sendable {}
