extension CommandRegistry {
    /// A registry holding the core commands every server has.
    public static func withCoreCommands() -> CommandRegistry {
        CommandRegistry([
            HelpCommand(),
            WhoCommand(),
            NickCommand(),
            MsgCommand(),
            ReplyCommand(),
            MeCommand(),
            QuitCommand(),
            JoinCommand(),
            RoomsCommand(),
            AwayCommand(),
            TopicCommand(),
            WhoisCommand(),
            IgnoreCommand(),
            UnignoreCommand(),
            ModeCommand(),
            HistoryCommand(),
            RegisterCommand(),
            PasswordCommand(),
            KeysCommand(),
        ])
    }
}
