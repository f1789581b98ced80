import Crypto
import Foundation

/// The web client: one self-contained page (HTML, CSS, JavaScript) built into the binary, and the emoji table it
/// suggests from.
///
/// The sources are three files in `Page/` (embedded by SwiftPM, no build step); the page served is `index.html`
/// with `style.css` and `client.js` put inline, so it needs nothing from anywhere but this server. Its
/// Content-Security-Policy allows exactly that one script, by its hash: no other script can run in the page, even if
/// a bug let server text become markup.
struct WebClientPage: Sendable {
    /// The page, ready to send.
    let html: [UInt8]
    /// The `Content-Security-Policy` header the page is served with.
    let contentSecurityPolicy: String
    /// A version tag for the page (a prefix of its hash): its `ETag`, so a reload sees a new version at once.
    let entityTag: String

    /// The page built from the embedded files.
    static let standard = WebClientPage(
        template: String(decoding: PackageResources.index_html, as: UTF8.self),
        style: String(decoding: PackageResources.style_css, as: UTF8.self),
        script: String(decoding: PackageResources.client_js, as: UTF8.self)
    )

    static let styleMarker = "/* style.css */"
    static let scriptMarker = "/* client.js */"

    init(template: String, style: String, script: String) {
        let page = template.replacingOccurrences(of: Self.styleMarker, with: style)
            .replacingOccurrences(of: Self.scriptMarker, with: script)
        self.html = Array(page.utf8)
        // The hash is of the script element's whole text as the browser sees it, whitespace around the marker
        // included, so a template edit cannot make the policy refuse the page's own script.
        let scriptHash = Data(SHA256.hash(data: Data(Self.inlineScript(of: page).utf8))).base64EncodedString()
        self.contentSecurityPolicy =
            "default-src 'none'; script-src 'sha256-\(scriptHash)'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        let pageHash = SHA256.hash(data: Data(page.utf8)).map { String(format: "%02x", $0) }.joined()
        self.entityTag = "\"\(pageHash.prefix(16))\""
    }

    /// The text of the page's one inline `<script>` element (empty if there is none).
    static func inlineScript(of page: String) -> String {
        guard let open = page.range(of: "<script>"),
            let close = page.range(of: "</script>", range: open.upperBound..<page.endIndex)
        else { return "" }
        return String(page[open.upperBound..<close.lowerBound])
    }
}
