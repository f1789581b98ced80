/// How `/whois` words a length of time: the two largest units, so a glance says whether someone is idle for
/// seconds or for days (`4s`, `3m 12s`, `2h 5m`, `3d 4h`).
///
/// Not the console's ban wording (``AdminConsole``), which reads back the exact length an operator typed.
enum DurationWording {
    /// `4s`, `3m 12s`, `2h 5m`, `3d 4h`; a negative duration (a clock step) reads as `0s`.
    static func compact(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }
}
