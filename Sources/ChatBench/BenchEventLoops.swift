import NIOCore
import NIOPosix

/// The bench's own event loops, shut down when the run ends however it ends.
enum BenchEventLoops {
    static func with<Result: Sendable>(
        threads: Int,
        _ body: (MultiThreadedEventLoopGroup) async throws -> Result
    ) async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        do {
            let result = try await body(group)
            try? await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}
