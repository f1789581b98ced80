import Crypto
import Foundation
import Testing

@testable import ChatTransportWeb

/// The page as served: its sources put inline, nothing from elsewhere, and a policy that lets exactly its own script
/// run, whatever whitespace the template puts around it.
@Suite struct WebClientPageTests {
    @Test func theServedPageHoldsItsStyleAndScriptInline() {
        let page = String(decoding: WebClientPage.standard.html, as: UTF8.self)
        #expect(!page.contains(WebClientPage.styleMarker))
        #expect(!page.contains(WebClientPage.scriptMarker))
        #expect(page.components(separatedBy: "<script").count == 2, "one script element")
        #expect(!page.contains("<script src") && !page.contains("<link"), "nothing loaded from elsewhere")
        #expect(!page.contains("http://") && !page.contains("https://"), "no address of another site")
    }

    @Test func thePolicyAllowsTheInlineScriptByItsHash() throws {
        let page = WebClientPage.standard
        let script = WebClientPage.inlineScript(of: String(decoding: page.html, as: UTF8.self))
        #expect(script.count > 1000)
        let hash = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        #expect(page.contentSecurityPolicy.contains("script-src 'sha256-\(hash)'"))
    }

    @Test func whitespaceAroundTheMarkerIsPartOfTheHashedScript() {
        let page = WebClientPage(
            template: "<html><script>\n  /* client.js */\n</script></html>",
            style: "",
            script: "go()"
        )
        let hash = Data(SHA256.hash(data: Data("\n  go()\n".utf8))).base64EncodedString()
        #expect(page.contentSecurityPolicy.contains("'sha256-\(hash)'"))
    }

    @Test func theServedPageBuildsNoMarkupFromText() {
        let script = String(decoding: PackageResources.client_js, as: UTF8.self)
        #expect(
            !script.contains("innerHTML") && !script.contains("outerHTML") && !script.contains("insertAdjacentHTML")
        )
        #expect(!script.contains("eval(") && !script.contains("document.write"))
    }
}
