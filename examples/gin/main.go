// Command gin is the demo shop served by gin and gobware's adapters/gin.
// Run it from the repository root:
//
//	go run ./examples/gin
//
// Configuration comes from the environment; see README.md. The HTTP API is
// described in docs/API.md; the net/http and fiber examples serve the same
// one.
//
// Read it top to bottom: the authentication endpoints are mounted on a
// group in one line, and the shop's own handlers (the cart, me) are gin
// handlers behind gobgin.Require, which read the user with gobgin.UserID
// and call the cart service directly.
package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	// demo.Main reads the configuration, connects the stores, builds the
	// strategies, the limiter, the users and the cart (demo.App), and calls
	// serve until SIGINT or SIGTERM.
	demo.Main("gin", serve)
}

// getOrHead are the methods of a read: gin serves HEAD only where asked.
var getOrHead = []string{http.MethodGet, http.MethodHead}

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

	r := gin.New()
	// First: every request gets an ID, and the client's address is read
	// through the trusted proxies only.
	r.Use(gobgin.RequestInfo(app.TrustedProxies))
	gobgin.Mount(r, app.Pages()) // GET / (the web page) and GET /healthz

	api := r.Group("/api")
	gobgin.Mount(api, slices.Concat(auth.SessionRoutes(), auth.TokenRoutes(), auth.PasskeyRoutes(), auth.AdminRoutes()))
	api.GET("/products", shop.products)
	api.HEAD("/products", shop.products)

	// A session cookie or a bearer token, whichever the request carries.
	user := api.Group("", gobgin.Require(auth.Strategy()))
	user.Match(getOrHead, "/me", shop.me)
	user.Match(getOrHead, "/cart", shop.getCart)
	user.DELETE("/cart", shop.clearCart)
	user.POST("/cart/items", shop.addItem)
	user.PUT("/cart/items/:sku", shop.setItem)
	user.DELETE("/cart/items/:sku", shop.removeItem)

	// problem+json for unknown paths and wrong methods, like the endpoints.
	r.HandleMethodNotAllowed = true
	r.NoMethod(gobgin.MethodNotAllowed)
	r.NoRoute(gobgin.NotFound)

	srv := &http.Server{
		Handler:           r,
		ReadHeaderTimeout: 10 * time.Second,
		// The whole request, body included, must arrive within
		// READ_TIMEOUT (30 s by default): a client that stalls mid-body is
		// cut off instead of holding the connection.
		ReadTimeout: app.Config.ReadTimeout,
		// Counted from the end of the headers, so longer than ReadTimeout.
		WriteTimeout:   app.Config.ReadTimeout + 30*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
	return demo.ServeHTTP(ctx, srv, ln)
}

// shop is the application's own handlers: the cart and who the caller is.
type shop struct {
	cart  *cart.Service
	users *demo.Users
}

// me names the caller: GET /api/me.
func (s *shop) me(c *gin.Context) {
	id, _ := gobgin.Identity(c)
	name, err := s.users.Name(c.Request.Context(), id.UserID)
	if err != nil {
		gobgin.Error(c, err)
		return
	}
	gobgin.JSON(c, http.StatusOK, authapi.MeOf(id, name)) // with auth_time and roles
}

// products lists the catalog to anyone: GET /api/products.
func (s *shop) products(c *gin.Context) {
	ps, err := s.cart.Products(c.Request.Context())
	if err != nil {
		gobgin.Error(c, err)
		return
	}
	gobgin.JSON(c, http.StatusOK, gin.H{"products": ps})
}

func (s *shop) getCart(c *gin.Context) {
	reply(c)(s.cart.Get(c.Request.Context(), gobgin.UserID(c)))
}

func (s *shop) clearCart(c *gin.Context) {
	reply(c)(s.cart.Clear(c.Request.Context(), gobgin.UserID(c)))
}

// addItem adds {"sku", "quantity"} to the caller's cart: POST /api/cart/items.
func (s *shop) addItem(c *gin.Context) {
	var item cart.AddItem
	if err := gobgin.DecodeJSON(c, &item); err != nil {
		gobgin.Error(c, err)
		return
	}
	reply(c)(s.cart.AddItem(c.Request.Context(), gobgin.UserID(c), item))
}

// setItem sets a line's {"quantity"}: PUT /api/cart/items/:sku.
func (s *shop) setItem(c *gin.Context) {
	var item cart.SetItem
	if err := gobgin.DecodeJSON(c, &item); err != nil {
		gobgin.Error(c, err)
		return
	}
	reply(c)(s.cart.SetItem(c.Request.Context(), gobgin.UserID(c), c.Param("sku"), item))
}

func (s *shop) removeItem(c *gin.Context) {
	reply(c)(s.cart.Remove(c.Request.Context(), gobgin.UserID(c), c.Param("sku")))
}

// reply sends the cart, or the problem for err: the cart's own errors
// carry their status (an unknown SKU is a 404, a bad quantity a 422).
func reply(c *gin.Context) func(cart.Cart, error) {
	return func(cart cart.Cart, err error) {
		if err != nil {
			gobgin.Error(c, err)
			return
		}
		gobgin.JSON(c, http.StatusOK, cart)
	}
}
