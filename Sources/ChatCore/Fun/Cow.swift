import Foundation

/// A figure for cowsay: a template with `$thoughts`, `$eyes` and `$tongue` placeholders, as in cowsay's `.cow`
/// files (without their Perl).
public struct Cow: Sendable, Equatable {
    public let name: String
    let template: [String]

    /// The figures available without the real `cowsay` installed. `default` matches cowsay's own exactly; the
    /// others are our drawings.
    public static let builtIn: [Cow] = [.default, .cat, .penguin, .ghost]

    /// The built-in figure called `name`, if any.
    public static func named(_ name: String) -> Cow? {
        Self.builtIn.first { $0.name == name }
    }

    public static let `default` = Cow(
        name: "default",
        template: [
            #"        $thoughts   ^__^"#,
            #"         $thoughts  ($eyes)\_______"#,
            #"            (__)\       )\/\"#,
            #"             $tongue ||----w |"#,
            #"                ||     ||"#,
        ]
    )

    public static let cat = Cow(
        name: "cat",
        template: [
            #"   $thoughts"#,
            #"    $thoughts   /\_/\"#,
            #"       ( $eyes )"#,
            #"       =( $tongue)="#,
            #"        (\")(\")_/"#,
        ]
    )

    public static let penguin = Cow(
        name: "penguin",
        template: [
            #"   $thoughts"#,
            #"    $thoughts   .--."#,
            #"       |$eyes |"#,
            #"       |:_/ |"#,
            #"      //   \ \"#,
            #"     (|     | )"#,
            #"    /'\_   _/`\"#,
            #"    \___)=(___/"#,
        ]
    )

    public static let ghost = Cow(
        name: "ghost",
        template: [
            #"   $thoughts"#,
            #"    $thoughts   .-----."#,
            #"      / $eyes    \"#,
            #"      |  $tongue    |"#,
            #"      |         |"#,
            #"      '~~~~~~~~~'"#,
        ]
    )

    /// The figure's lines with the placeholders filled in.
    func lines(thoughts: String, eyes: String, tongue: String) -> [String] {
        self.template.map { line in
            line.replacingOccurrences(of: "$thoughts", with: thoughts)
                .replacingOccurrences(of: "$eyes", with: eyes)
                .replacingOccurrences(of: "$tongue", with: tongue)
        }
    }
}
