// Package browser holds the end-to-end tests of the demo shop page in a real
// headless Chromium, run against each example server (net/http, gin, fiber).
//
// The package has no code of its own: its tests start a server with
// examples/internal/exampletest, open GET / in Chromium through the DevTools
// protocol (github.com/chromedp/chromedp, no driver program needed) and use
// the page as a person would: type into the sign-in form, press Enter, click
// the buttons, change quantities with the keyboard. They then check what the
// page shows and what the browser holds:
//
//   - signing in with a session cookie and with a JWT, and a wrong password
//     shown as a message on the page;
//   - adding items, changing and removing them, a refused quantity, and the
//     totals in dollars;
//   - the session cookie is HttpOnly, Secure and invisible to document.cookie;
//     in token mode nothing lands in localStorage, sessionStorage or cookies;
//   - an access token the server refuses is refreshed once and the request
//     retried; sign-out revokes the refresh token; a session ended elsewhere
//     brings the page back to the sign-in form with a message;
//   - after sign-out the page's own fetch of /api/me gets 401;
//   - no uncaught exception, console error or Content-Security-Policy
//     violation in the page, at any point.
//
// # Running
//
// The tests need a Chromium binary and skip without one, so `go test ./...`
// passes on a machine with no browser. Point them at one with
// GOBWARE_TEST_CHROMIUM:
//
//	GOBWARE_TEST_CHROMIUM=$(command -v chromium) go test ./examples/browser/
//
// The browser runs headless, without a sandbox (CI runs as root), and with
// its background networking off, so it makes no request but to the example
// server on 127.0.0.1.
//
// With GOBWARE_UPDATE_SCREENSHOTS=1 the run also writes the README's pictures
// of the page, docs/screenshots/shop-desktop.png and shop-phone.png. Without
// it the screenshots are still taken, to a temporary directory, so a broken
// screenshot fails the run but CI never changes the work tree.
package browser
