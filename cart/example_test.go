package cart_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gobware/gobware/cart"
)

func Example() {
	dir, err := os.MkdirTemp("", "shop")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// A file in WAL mode with a busy timeout: concurrent requests wait for
	// each other instead of failing.
	dsn := filepath.Join(dir, "shop.db") + "?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := cart.New(db)
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	err = svc.SeedProducts(ctx, []cart.Product{
		{SKU: "mug", Name: "Mug", PriceCents: 1250},
		{SKU: "tee", Name: "T-shirt", PriceCents: 2000},
	})
	if err != nil {
		log.Fatal(err)
	}

	// The user ID comes from authentication; cart only keys carts by it.
	userID := "alice"
	if _, err := svc.Add(ctx, userID, "mug", 2); err != nil {
		log.Fatal(err)
	}
	c, err := svc.Add(ctx, userID, "tee", 1)
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range c.Items {
		fmt.Printf("%d × %s = %d cents\n", it.Quantity, it.Name, it.LineTotalCents)
	}
	fmt.Printf("%d items, %d cents\n", c.ItemCount, c.TotalCents)

	// A line holds at most 99 units; the refused Add changes nothing.
	if _, err := svc.Add(ctx, userID, "mug", 98); errors.Is(err, cart.ErrLineLimit) {
		fmt.Println("refused:", err)
	}
	// Output:
	// 2 × Mug = 2500 cents
	// 1 × T-shirt = 2000 cents
	// 3 items, 4500 cents
	// refused: cart: invalid quantity: a line holds at most 99: mug holds 2, adding 98
}
