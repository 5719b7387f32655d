// Command nethttp is the demo shop served by net/http and gobware's
// adapters/nethttp. Run it from the repository root:
//
//	go run ./examples/nethttp
//
// Configuration comes from the environment; see README.md. The HTTP API is
// described in docs/API.md; the gin and fiber examples serve the same one.
//
// Read it top to bottom: the authentication endpoints are mounted in one
// line, and the shop's own handlers (the cart, me) are plain net/http
// handlers behind nethttp.Require, which read the user with
// nethttp.UserID and call the cart service directly.
package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	// demo.Main reads the configuration, connects the stores, builds the
	// strategies, the limiter, the users and the cart (demo.App), and calls
	// serve until SIGINT or SIGTERM.
	demo.Main("nethttp", serve)
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
	// A session cookie or a bearer token, whichever the request carries.
	require := nethttp.Require(auth.Strategy())
	shop := &shop{cart: app.Cart, users: app.Users}

	mux := http.NewServeMux()
	nethttp.Mount(mux, "", app.Pages()) // GET / (the web page) and GET /healthz
	nethttp.Mount(mux, "/api", slices.Concat(auth.SessionRoutes(), auth.TokenRoutes(), auth.PasskeyRoutes(), auth.AdminRoutes()))
	mux.Handle("GET /api/me", require(http.HandlerFunc(shop.me)))
	mux.HandleFunc("GET /api/products", shop.products)
	mux.Handle("GET /api/cart", require(http.HandlerFunc(shop.getCart)))
	mux.Handle("DELETE /api/cart", require(http.HandlerFunc(shop.clearCart)))
	mux.Handle("POST /api/cart/items", require(http.HandlerFunc(shop.addItem)))
	mux.Handle("PUT /api/cart/items/{sku}", require(http.HandlerFunc(shop.setItem)))
	mux.Handle("DELETE /api/cart/items/{sku}", require(http.HandlerFunc(shop.removeItem)))
	mux.Handle("/", nethttp.NotFound(mux)) // problem+json 404, and 405 with Allow

	srv := &http.Server{
		// RequestInfo first: every request gets an ID, and the client's
		// address is read through the trusted proxies only.
		Handler:           nethttp.RequestInfo(app.TrustedProxies)(mux),
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
func (s *shop) me(w http.ResponseWriter, r *http.Request) {
	id, _ := nethttp.Identity(r)
	name, err := s.users.Name(r.Context(), id.UserID)
	if err != nil {
		nethttp.Error(w, err)
		return
	}
	nethttp.JSON(w, http.StatusOK, authapi.MeOf(id, name)) // with auth_time and roles
}

// products lists the catalog to anyone: GET /api/products.
func (s *shop) products(w http.ResponseWriter, r *http.Request) {
	ps, err := s.cart.Products(r.Context())
	if err != nil {
		nethttp.Error(w, err)
		return
	}
	nethttp.JSON(w, http.StatusOK, map[string][]cart.Product{"products": ps})
}

func (s *shop) getCart(w http.ResponseWriter, r *http.Request) {
	reply(w)(s.cart.Get(r.Context(), nethttp.UserID(r)))
}

func (s *shop) clearCart(w http.ResponseWriter, r *http.Request) {
	reply(w)(s.cart.Clear(r.Context(), nethttp.UserID(r)))
}

// addItem adds {"sku", "quantity"} to the caller's cart: POST /api/cart/items.
func (s *shop) addItem(w http.ResponseWriter, r *http.Request) {
	var item cart.AddItem
	if err := nethttp.DecodeJSON(r, &item); err != nil {
		nethttp.Error(w, err)
		return
	}
	reply(w)(s.cart.AddItem(r.Context(), nethttp.UserID(r), item))
}

// setItem sets a line's {"quantity"}: PUT /api/cart/items/{sku}.
func (s *shop) setItem(w http.ResponseWriter, r *http.Request) {
	var item cart.SetItem
	if err := nethttp.DecodeJSON(r, &item); err != nil {
		nethttp.Error(w, err)
		return
	}
	reply(w)(s.cart.SetItem(r.Context(), nethttp.UserID(r), r.PathValue("sku"), item))
}

func (s *shop) removeItem(w http.ResponseWriter, r *http.Request) {
	reply(w)(s.cart.Remove(r.Context(), nethttp.UserID(r), r.PathValue("sku")))
}

// reply sends the cart, or the problem for err: the cart's own errors
// carry their status (an unknown SKU is a 404, a bad quantity a 422).
func reply(w http.ResponseWriter) func(cart.Cart, error) {
	return func(c cart.Cart, err error) {
		if err != nil {
			nethttp.Error(w, err)
			return
		}
		nethttp.JSON(w, http.StatusOK, c)
	}
}
