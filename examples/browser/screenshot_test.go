package browser_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// updateScreenshotsEnv names the variable that makes TestScreenshots write
// the README's pictures into docs/screenshots.
const updateScreenshotsEnv = "GOBWARE_UPDATE_SCREENSHOTS"

// TestScreenshots pictures the page signed in with a few items in the cart,
// at desktop and at phone width.
func TestScreenshots(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	if os.Getenv(updateScreenshotsEnv) == "1" {
		dir = filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := exampletest.Start(t, "nethttp")
	b := openTab(t, s)
	b.open()
	b.signIn("cookie", "alice", "alice-password")
	b.waitState("cookie")
	for _, sku := range []string{"TEE-GOPHER", "TEE-GOPHER", "MUG-GOPHER", "PLUSH-GOPHER"} {
		b.click(`button[data-add="` + sku + `"]`)
	}
	b.waitFor("the total", `document.getElementById('cart-total').textContent === '$77.47'`)
	// Without the focus ring of the last click, and scrolled to the top.
	b.do("moving the mouse away", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 0, 0),
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))

	shots := []struct {
		name          string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"shop-desktop.png", 1280, 860, nil},
		{"shop-phone.png", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}},
	}
	for _, shot := range shots {
		b.do("resizing to "+shot.name, chromedp.EmulateViewport(shot.width, shot.height, shot.opts...))
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", shot.name, err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("screenshot %s is not a PNG", shot.name)
		}
		if err := os.WriteFile(filepath.Join(dir, shot.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.noPageErrors()
}
