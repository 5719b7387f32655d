package gin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/storage/gorm/sqlite"
)

// Example_cart is an application's own handler: it reads the user the
// middleware authenticated and calls the cart service; the cart's errors
// carry their status, and a wrong method or path is a problem+json too.
func Example_cart() {
	db, _ := sqlite.Open(":memory:")
	shop, _ := cart.New(db)
	shop.SeedProducts(context.Background(), []cart.Product{{SKU: "MUG", Name: "Mug", PriceCents: 1250}})
	// Any strategy will do; this one takes the user from a header.
	auth := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		if u := core.FirstHeader(r, "X-Demo-User"); u != "" {
			return core.Identity{UserID: u, Strategy: "demo"}, nil
		}
		return core.Identity{}, core.ErrNoCredential
	})

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/cart/items", gobgin.Require(auth), func(c *gin.Context) {
		var item cart.AddItem
		if err := gobgin.DecodeJSON(c, &item); err != nil {
			gobgin.Error(c, err)
			return
		}
		got, err := shop.AddItem(c.Request.Context(), gobgin.UserID(c), item)
		if err != nil {
			gobgin.Error(c, err)
			return
		}
		gobgin.JSON(c, http.StatusOK, got)
	})
	r.HandleMethodNotAllowed = true
	r.NoMethod(gobgin.MethodNotAllowed)
	r.NoRoute(gobgin.NotFound)

	for _, body := range []string{`{"sku":"MUG","quantity":2}`, `{"sku":"TEA","quantity":1}`, `{"sku":"MUG"}`, `{"sku":"MUG","sku":"TEA"}`} {
		req := httptest.NewRequest("POST", "/cart/items", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Demo-User", "alice")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Print(w.Code, " ", w.Body)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/cart/items", nil))
	fmt.Print(w.Code, " ", w.Header().Get("Allow"), " ", w.Body)
	// Output:
	// 200 {"user_id":"alice","items":[{"sku":"MUG","name":"Mug","unit_price_cents":1250,"quantity":2,"line_total_cents":2500}],"item_count":2,"total_cents":2500}
	// 404 {"type":"urn:gobware:problem:not_found","title":"Not Found","status":404,"detail":"Unknown product: TEA.","code":"not_found"}
	// 422 {"type":"urn:gobware:problem:validation_failed","title":"Unprocessable Entity","status":422,"detail":"Quantity is required.","code":"validation_failed"}
	// 400 {"type":"urn:gobware:problem:bad_request","title":"Bad Request","status":400,"detail":"The field \"sku\" appears twice.","code":"bad_request"}
	// 405 POST {"type":"urn:gobware:problem:method_not_allowed","title":"Method Not Allowed","status":405,"detail":"This resource does not answer GET.","code":"method_not_allowed"}
}
