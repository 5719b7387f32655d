package fiber_test

import (
	"fmt"
	"io"
	"net/http/httptest"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
)

// ExampleNew protects a fiber route with a session cookie.
func ExampleNew() {
	key := []byte("an example key of exactly 32 by.") // use core.ParseSecret(os.Getenv("SESSION_SECRET"))
	sessions, _ := cookie.New([][]byte{key}, cookie.NewMemoryStore(), cookie.Options{})

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/login", func(c *fiber.Ctx) error {
		// Check the password first; then:
		return gobfiber.Login(c, sessions, "alice")
	})
	app.Get("/account", gobfiber.New(gobfiber.Config{Strategy: sessions}), func(c *fiber.Ctx) error {
		return c.SendString("hello " + gobfiber.UserID(c))
	})

	login, _ := app.Test(httptest.NewRequest("POST", "/login", nil), -1)
	anonymous, _ := app.Test(httptest.NewRequest("GET", "/account", nil), -1)
	fmt.Println(anonymous.StatusCode)

	r := httptest.NewRequest("GET", "/account", nil)
	r.AddCookie(login.Cookies()[0])
	account, _ := app.Test(r, -1)
	body, _ := io.ReadAll(account.Body)
	fmt.Println(account.StatusCode, string(body))
	// Output:
	// 401
	// 200 hello alice
}
