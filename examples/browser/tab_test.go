package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// chromiumEnv names the variable that holds the path of the browser.
const chromiumEnv = "GOBWARE_TEST_CHROMIUM"

// chromium returns the browser's path, or skips the test when none is set.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv(chromiumEnv)
	if path == "" {
		t.Skipf("%s is not set: skipping the browser tests (set it to a Chromium binary, e.g. %s=$(command -v chromium))", chromiumEnv, chromiumEnv)
	}
	return path
}

// seenRequest is a request the page sent to the API, as Chromium reports it.
type seenRequest struct {
	Method, Path, Body, Authorization, Cookie string
}

// tab is one headless Chromium with one tab on an example server. It records
// every API request the page sends and every error the page reports.
type tab struct {
	t      *testing.T
	server *exampletest.Server
	ctx    context.Context // the tab, with the deadline of the whole walk
	base   string          // where the page is opened: server.URL unless set

	mu       sync.Mutex
	errors   []string
	requests []seenRequest

	// spoil makes the next API request that carries a bearer token carry a
	// wrong one instead, as if the access token had expired.
	spoil atomic.Bool
}

// openTab starts Chromium for s. The browser is closed at test cleanup, before
// the server stops.
func openTab(t *testing.T, s *exampletest.Server) *tab {
	t.Helper()
	path := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-pings", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting Chromium (%s=%s): %v", chromiumEnv, path, err)
	}
	ctx, cancel := context.WithTimeout(browserCtx, 2*time.Minute)
	t.Cleanup(cancel)
	b := &tab{t: t, server: s, ctx: ctx}

	messages := chromedp.Console(browserCtx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// A refused fetch (401, 422) is logged by the network stack; it is
			// the API working, not the page failing.
			if m.IsException() || (m.Type == chromedp.ConsoleError && m.Source != "network") {
				b.mu.Lock()
				b.errors = append(b.errors, fmt.Sprintf("%s (%s:%d, source %q)", m, m.URL, m.Line+1, m.Source))
				b.mu.Unlock()
			}
		}
	}()

	paused := chromedp.Events(browserCtx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			b.intercept(browserCtx, ev)
		}
	}()
	if _, err := chromedp.Call(browserCtx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: s.URL + "/api/*"}},
	}); err != nil {
		t.Fatalf("Fetch.enable: %v", err)
	}
	return b
}

// intercept records a paused API request and lets it go on, with a wrong
// bearer token if spoil is set.
func (b *tab) intercept(ctx context.Context, ev fetch.EventRequestPaused) {
	r := ev.Request
	u, _ := url.Parse(r.URL)
	seen := seenRequest{Method: r.Method, Path: u.Path}
	for _, e := range r.PostDataEntries {
		seen.Body += string(e.Bytes)
	}
	params := fetch.ContinueRequestParams{RequestID: ev.RequestID}
	var headers []*fetch.HeaderEntry
	spoiled := false
	for name, v := range r.Headers {
		value := fmt.Sprint(v)
		switch strings.ToLower(name) {
		case "authorization":
			seen.Authorization = value
			if b.spoil.CompareAndSwap(true, false) {
				value, spoiled = "Bearer not-a-valid-token", true
			}
		case "cookie":
			seen.Cookie = value
		}
		headers = append(headers, &fetch.HeaderEntry{Name: name, Value: value})
	}
	if spoiled {
		params.Headers = headers
	}
	b.mu.Lock()
	b.requests = append(b.requests, seen)
	b.mu.Unlock()
	if _, err := chromedp.Call(ctx, fetch.ContinueRequest, params); err != nil && ctx.Err() == nil {
		b.t.Errorf("continuing %s %s: %v", r.Method, r.URL, err)
	}
}

// requestsTo returns the recorded requests to method and path.
func (b *tab) requestsTo(method, path string) []seenRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []seenRequest
	for _, r := range b.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// allRequests returns every recorded API request.
func (b *tab) allRequests() []seenRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]seenRequest(nil), b.requests...)
}

// noPageErrors fails the test if the page threw or logged an error.
func (b *tab) noPageErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("page error: %s", e)
	}
}

// do runs actions, failing the test with what names the step.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page message: %q)", what, err, b.messageNow())
	}
}

// eval evaluates a JavaScript expression in the page, awaiting a promise.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, for up to 15 seconds.
func (b *tab) waitFor(what, cond string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		b.t.Fatalf("waiting for %s (%s): %v; page message: %q", what, cond, err, b.messageNow())
	}
}

// messageNow is the text of the page's message region, for diagnostics.
func (b *tab) messageNow() string {
	v, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.getElementById('message') || {}).textContent || ''`))
	return v
}

// text returns the text of the first element matching a CSS selector.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%s) || {textContent: '<missing>'}).textContent.trim()`, js(sel)))
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// open loads the page and waits until its script has started.
func (b *tab) open() {
	b.t.Helper()
	base := b.base
	if base == "" {
		base = b.server.URL
	}
	b.do("loading the page", chromedp.Navigate(base+"/"))
	b.waitFor("the page to start", `document.body.dataset.ready === 'true'`)
}

// reload reloads the page and waits until its script has started again.
func (b *tab) reload() {
	b.t.Helper()
	b.do("reloading the page", chromedp.Evaluate[chromedp.Void](`document.body.dataset.ready = ''`), chromedp.Reload())
	b.waitFor("the page to start again", `document.body.dataset.ready === 'true'`)
}

// state is the page's sign-in state: "signed-out", "cookie" or "jwt".
func (b *tab) state() string {
	b.t.Helper()
	return eval[string](b, `document.body.dataset.state`)
}

// waitState waits until the page is in state.
func (b *tab) waitState(state string) {
	b.t.Helper()
	b.waitFor("the page to be "+state, fmt.Sprintf(`document.body.dataset.state === %s`, js(state)))
}

// typeInto replaces a field's content by typing, as a person would.
func (b *tab) typeInto(sel, keys string) {
	b.t.Helper()
	b.do("typing into "+sel,
		chromedp.Focus(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).value = ''`, js(sel))),
		chromedp.SendKeys(chromedp.CSS(sel), keys),
	)
}

// signIn fills in the form with the keyboard and presses Enter. mode is the
// radio button's value, "cookie" or "jwt".
func (b *tab) signIn(mode, user, password string) {
	b.t.Helper()
	b.do("choosing "+mode, chromedp.Click(chromedp.CSS(`input[name=mode][value=`+mode+`]`)))
	b.typeInto("#username", user)
	b.typeInto("#password", password+"\r")
}

// waitMessage waits for the message region to show a message of kind
// ("info" or "error") containing want, and returns the message.
func (b *tab) waitMessage(kind, want string) string {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("a %s message with %q", kind, want), fmt.Sprintf(
		`(m => m.dataset.kind === %s && m.textContent.includes(%s))(document.getElementById('message'))`, js(kind), js(want)))
	return b.text("#message")
}

// click clicks the element matching a CSS selector.
func (b *tab) click(sel string) {
	b.t.Helper()
	b.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// fetchStatus is the status the page's own fetch of path gets, sending the
// page's cookies.
func (b *tab) fetchStatus(path string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`fetch(%s, {credentials: 'same-origin', cache: 'no-store'}).then(r => r.status)`, js(path)))
}

// cookies returns the browser's cookies for the server.
func (b *tab) cookies() []*network.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.server.URL + "/"}})
	if err != nil {
		b.t.Fatalf("Network.getCookies: %v", err)
	}
	return res.Cookies
}
