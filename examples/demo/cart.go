package demo

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// healthRoute is GET /healthz: 200 {"status":"ok"}, or a 503 problem when
// a backend does not answer.
func (app *App) healthRoute() httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Pattern: "/healthz", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		if err := app.Health(ctx); err != nil {
			return httpapi.Error(unavailableError{err})
		}
		return httpapi.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}}
}

// unavailableError marks a failed health check as a 503 whatever its cause.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return e.err.Error() }
func (e unavailableError) Unwrap() []error {
	return []error{e.err, core.ErrUnavailable}
}

// cartRoutes are the shop's routes: the catalog and the caller's cart.
func (app *App) cartRoutes() []httpapi.Route {
	var sessions core.Strategy
	if app.Auth.Sessions != nil {
		sessions = app.Auth.Sessions
	}
	guard := &httpapi.Guard{Strategy: app.Auth.Strategy()}
	route := func(method, pattern string, auth bool, h httpapi.Handler) httpapi.Route {
		rt := httpapi.Route{Method: method, Pattern: pattern, Sessions: sessions, Handler: h}
		if auth {
			rt.Auth = guard
		}
		return rt
	}
	return []httpapi.Route{
		route(http.MethodGet, "/api/products", false, app.products),
		route(http.MethodGet, "/api/cart", true, app.getCart),
		route(http.MethodDelete, "/api/cart", true, app.clearCart),
		route(http.MethodPost, "/api/cart/items", true, app.addItem),
		route(http.MethodPut, "/api/cart/items/{sku}", true, app.setItem),
		route(http.MethodDelete, "/api/cart/items/{sku}", true, app.removeItem),
	}
}
func (app *App) products(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	ps, err := app.Cart.Products(ctx)
	if err != nil {
		return httpapi.Error(err)
	}
	if ps == nil {
		ps = []cart.Product{}
	}
	return httpapi.JSON(http.StatusOK, map[string][]cart.Product{"products": ps})
}

func cartReply(c cart.Cart, err error) *httpapi.Reply {
	if err != nil {
		return httpapi.Error(err)
	}
	return httpapi.JSON(http.StatusOK, c)
}

func (app *App) getCart(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	return cartReply(app.Cart.Get(ctx, core.UserID(ctx)))
}

func (app *App) clearCart(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	return cartReply(app.Cart.Clear(ctx, core.UserID(ctx)))
}

// quantityBody is the body of PUT /api/cart/items/{sku}. A pointer tells a
// missing quantity from 0, which removes the line.
type quantityBody struct {
	Quantity *int `json:"quantity"`
}

// addBody is the body of POST /api/cart/items.
type addBody struct {
	SKU      string `json:"sku"`
	Quantity *int   `json:"quantity"`
}

func missingQuantity() *httpapi.Reply {
	return httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "quantity is required."))
}

func (app *App) addItem(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var b addBody
	if err := httpapi.DecodeJSON(r, &b); err != nil {
		return httpapi.Error(err)
	}
	if b.Quantity == nil {
		return missingQuantity()
	}
	return cartReply(app.Cart.Add(ctx, core.UserID(ctx), b.SKU, *b.Quantity))
}

func (app *App) setItem(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var b quantityBody
	if err := httpapi.DecodeJSON(r, &b); err != nil {
		return httpapi.Error(err)
	}
	if b.Quantity == nil {
		return missingQuantity()
	}
	return cartReply(app.Cart.Set(ctx, core.UserID(ctx), r.Param("sku"), *b.Quantity))
}

func (app *App) removeItem(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	return cartReply(app.Cart.Remove(ctx, core.UserID(ctx), r.Param("sku")))
}
