package demo

import "github.com/gobware/gobware/cart"

// Catalog is the demo shop's products, prices in cents.
var Catalog = []cart.Product{
	{SKU: "TEE-GOPHER", Name: "Gopher T-shirt", PriceCents: 1999},
	{SKU: "MUG-GOPHER", Name: "Gopher mug", PriceCents: 1250},
	{SKU: "STICKER-PACK", Name: "Sticker pack", PriceCents: 499},
	{SKU: "HOODIE-GOPHER", Name: "Gopher hoodie", PriceCents: 4500},
	{SKU: "CAP-GOPHER", Name: "Gopher cap", PriceCents: 1800},
	{SKU: "PLUSH-GOPHER", Name: "Gopher plush", PriceCents: 2499},
}
