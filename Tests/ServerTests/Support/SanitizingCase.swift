import Testing

/// A line containing bytes a terminal would act on, and what the other clients must see of it.
///
/// Shown escaped in test output, so a failing case does not recolour or clear the terminal reading the results.
struct SanitizingCase: Sendable, CustomTestStringConvertible {
    let sent: String
    let shown: String

    init(_ sent: String, shown: String) {
        self.sent = sent
        self.shown = shown
    }

    var testDescription: String {
        "\(String(reflecting: self.sent)) → \(String(reflecting: self.shown))"
    }
}
