import ChatTesting
import Foundation

/// Where the real IRC clients the tests drive are installed, if they are.
enum RealIRCClients {
    static let weechat = CommandRun.find("weechat-headless")
    static let irssi = CommandRun.find("irssi")
    /// `SLASHCHAT_REQUIRE_IRC_CLIENTS=1` (as `.ci/run` sets it): a missing client fails its test instead of skipping it.
    static let required = ProcessInfo.processInfo.environment["SLASHCHAT_REQUIRE_IRC_CLIENTS"] == "1"
}
