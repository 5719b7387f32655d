package httpapi

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
)

func (a *API) products(ctx context.Context, r Request) *Reply {
	ps, err := a.Cart.Products(ctx)
	if err != nil {
		return Error(err)
	}
	if ps == nil {
		ps = []cart.Product{}
	}
	return JSON(http.StatusOK, map[string][]cart.Product{"products": ps})
}

func cartReply(c cart.Cart, err error) *Reply {
	if err != nil {
		return Error(err)
	}
	return JSON(http.StatusOK, c)
}

func (a *API) getCart(ctx context.Context, r Request) *Reply {
	return cartReply(a.Cart.Get(ctx, core.UserID(ctx)))
}

func (a *API) clearCart(ctx context.Context, r Request) *Reply {
	return cartReply(a.Cart.Clear(ctx, core.UserID(ctx)))
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

func missingQuantity() *Reply {
	return Error(NewProblem(http.StatusUnprocessableEntity, CodeValidationFailed, "quantity is required."))
}

func (a *API) addItem(ctx context.Context, r Request) *Reply {
	var b addBody
	if err := DecodeJSON(r, &b); err != nil {
		return Error(err)
	}
	if b.Quantity == nil {
		return missingQuantity()
	}
	return cartReply(a.Cart.Add(ctx, core.UserID(ctx), b.SKU, *b.Quantity))
}

func (a *API) setItem(ctx context.Context, r Request) *Reply {
	var b quantityBody
	if err := DecodeJSON(r, &b); err != nil {
		return Error(err)
	}
	if b.Quantity == nil {
		return missingQuantity()
	}
	return cartReply(a.Cart.Set(ctx, core.UserID(ctx), r.Param("sku"), *b.Quantity))
}

func (a *API) removeItem(ctx context.Context, r Request) *Reply {
	return cartReply(a.Cart.Remove(ctx, core.UserID(ctx), r.Param("sku")))
}
