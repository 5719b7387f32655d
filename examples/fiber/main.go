// Command fiber is the demo shop served by fiber and gobware's
// adapters/fiber. Run it from the repository root:
//
//	go run ./examples/fiber
//
// Configuration comes from the environment; see README.md. The HTTP API is
// described in docs/API.md; the net/http and gin examples serve the same
// one.
//
// Read it top to bottom: the authentication endpoints are mounted on a
// group in one line, and the shop's own handlers (the cart, me) are fiber
// handlers behind gobfiber.New, which read the user with gobfiber.UserID,
// call the cart service directly and return its errors to
// gobfiber.ErrorHandler.
package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"time"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/examples/demo"
	"github.com/gobware/gobware/httpapi"
	"github.com/gofiber/fiber/v2"
)

func main() {
	// demo.Main reads the configuration, connects the stores, builds the
	// strategies, the limiter, the users and the cart (demo.App), and calls
	// serve until SIGINT or SIGTERM.
	demo.Main("fiber", serve)
}

func serve(ctx context.Context, app *demo.App, ln net.Listener) error {
	// The ready-made endpoints: log in and out, sessions, tokens, and the
	// admin's view of other users' sessions.
	auth := &authapi.API{
		Users:    app.Users,
		Sessions: app.Sessions,
		Tokens:   app.Tokens,
		Limiter:  app.Logins,
		Devices:  app.Devices,
		Measure:  app.Measure,
		Passkeys: app.Passkeys,
		// Every login carries the user's roles: alice is an admin.
		Attributes: app.Users.Attributes,
		// Logging a user out everywhere needs a recent sign-in.
		FreshLogin: app.Config.FreshLoginMaxAge,
	}
	shop := &shop{cart: app.Cart, users: app.Users}

	f := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		// Errors fiber raises and errors handlers return become
		// problem+json, as gobware's own refusals are.
		ErrorHandler: gobfiber.ErrorHandler,
		// fasthttp allocates a body's declared length before reading it:
		// refuse more than gobware reads (1 MiB) before it does, so that
		// clients declaring large bodies cannot pin memory. The 413 is a
		// problem+json too (ErrorHandler).
		BodyLimit:      httpapi.MaxBodySize,
		ReadBufferSize: 64 << 10,
		// The whole request, body included, must arrive within
		// READ_TIMEOUT (30 s by default): a client that stalls mid-body is
		// cut off instead of holding the connection.
		ReadTimeout:  app.Config.ReadTimeout,
		WriteTimeout: app.Config.ReadTimeout + 30*time.Second,
		IdleTimeout:  2 * time.Minute,
	})
	// First: every request gets an ID, and the client's address is read
	// through the trusted proxies only.
	f.Use(gobfiber.RequestInfo(app.TrustedProxies))
	gobfiber.Mount(f, app.Pages()) // GET / (the web page) and GET /healthz

	api := f.Group("/api")
	gobfiber.Mount(api, slices.Concat(auth.SessionRoutes(), auth.TokenRoutes(), auth.PasskeyRoutes(), auth.AdminRoutes()))
	api.Get("/products", shop.products)

	// A session cookie or a bearer token, whichever the request carries.
	require := gobfiber.New(gobfiber.Config{Strategy: auth.Strategy()})
	api.Get("/me", require, shop.me)
	api.Get("/cart", require, shop.getCart)
	api.Delete("/cart", require, shop.clearCart)
	api.Post("/cart/items", require, shop.addItem)
	api.Put("/cart/items/:sku", require, shop.setItem)
	api.Delete("/cart/items/:sku", require, shop.removeItem)

	// Last: problem+json for unknown paths and wrong methods.
	f.Use(gobfiber.NotFound)

	go func() {
		<-ctx.Done()
		f.ShutdownWithTimeout(5 * time.Second)
	}()
	return f.Listener(ln)
}

// shop is the application's own handlers: the cart and who the caller is.
type shop struct {
	cart  *cart.Service
	users *demo.Users
}

// me names the caller: GET /api/me.
func (s *shop) me(c *fiber.Ctx) error {
	id, _ := gobfiber.Identity(c)
	name, err := s.users.Name(c.UserContext(), id.UserID)
	if err != nil {
		return err
	}
	return gobfiber.JSON(c, http.StatusOK, authapi.MeOf(id, name)) // with auth_time and roles
}

// products lists the catalog to anyone: GET /api/products.
func (s *shop) products(c *fiber.Ctx) error {
	ps, err := s.cart.Products(c.UserContext())
	if err != nil {
		return err
	}
	return gobfiber.JSON(c, http.StatusOK, fiber.Map{"products": ps})
}

func (s *shop) getCart(c *fiber.Ctx) error {
	return reply(c)(s.cart.Get(c.UserContext(), gobfiber.UserID(c)))
}

func (s *shop) clearCart(c *fiber.Ctx) error {
	return reply(c)(s.cart.Clear(c.UserContext(), gobfiber.UserID(c)))
}

// addItem adds {"sku", "quantity"} to the caller's cart: POST /api/cart/items.
func (s *shop) addItem(c *fiber.Ctx) error {
	var item cart.AddItem
	if err := gobfiber.DecodeJSON(c, &item); err != nil {
		return err
	}
	return reply(c)(s.cart.AddItem(c.UserContext(), gobfiber.UserID(c), item))
}

// setItem sets a line's {"quantity"}: PUT /api/cart/items/:sku.
func (s *shop) setItem(c *fiber.Ctx) error {
	var item cart.SetItem
	if err := gobfiber.DecodeJSON(c, &item); err != nil {
		return err
	}
	return reply(c)(s.cart.SetItem(c.UserContext(), gobfiber.UserID(c), c.Params("sku"), item))
}

func (s *shop) removeItem(c *fiber.Ctx) error {
	return reply(c)(s.cart.Remove(c.UserContext(), gobfiber.UserID(c), c.Params("sku")))
}

// reply sends the cart, or returns err for ErrorHandler: the cart's own
// errors carry their status (an unknown SKU is a 404, a bad quantity a 422).
func reply(c *fiber.Ctx) func(cart.Cart, error) error {
	return func(cart cart.Cart, err error) error {
		if err != nil {
			return err
		}
		return gobfiber.JSON(c, http.StatusOK, cart)
	}
}
