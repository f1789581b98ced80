import ArgumentParser
import ChatCore
import Logging

/// Where the log goes: `--log-level` and `--log-file` applied once, before anything logs.
extension ServerCommand {
    /// stderr always; the log file too when given (returned, so SIGHUP can reopen it). A cluster node's lines carry
    /// its name (`node=NAME`).
    func bootstrapLogging(node: String? = nil) throws -> (Logger, LogFile?) {
        let level = Logger.Level(rawValue: self.logLevel.lowercased()) ?? .info
        let file = try self.logFile.map { path in
            do {
                return try LogFile(path: path)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = [StreamLogHandler.standardError(label: label)]
            if let file {
                handlers.append(StreamLogHandler(label: label, stream: file.stream))
            }
            var handler = MultiplexLogHandler(handlers)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "slashchat")
        if let node { logger[metadataKey: "node"] = "\(node)" }
        return (logger, file)
    }
}
