extension CommandRegistry {
    /// Adds the fun commands: cows, trains, eyes, emoji, and the PATH tools that were found.
    public func registerFunCommands(tools: ExternalTools) {
        for command: any ChatCommand in [
            CowsayCommand(style: .say),
            CowsayCommand(style: .think),
            TrainCommand(),
            EyesCommand(),
            SlapCommand(),
            FunCommand(),
            EmojiCommand(),
            DoctorCommand(),
        ] {
            self.register(command)
        }
        for command in ToolCommand.available(in: tools) {
            self.register(command)
        }
    }
}
