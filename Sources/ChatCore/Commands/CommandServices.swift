import ProcessRunning

/// What commands beyond the core ones need from the server: the process runner, the tools found on PATH, and
/// the plugin folder (for `/doctor`).
public struct CommandServices: Sendable {
    public let processRunner: ProcessRunner
    public let tools: ExternalTools
    public let plugins: PluginDirectory?

    public init(
        processRunner: ProcessRunner = ProcessRunner(),
        tools: ExternalTools = ExternalTools(),
        plugins: PluginDirectory? = nil
    ) {
        self.processRunner = processRunner
        self.tools = tools
        self.plugins = plugins
    }
}
