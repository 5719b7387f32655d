// Package tableprefix gives gobware's GORM tables the TablePrefix of the
// application's naming strategy, so that several applications (or tests)
// can share one database. storage/gorm and cart both name their tables
// with it.
package tableprefix

import "gorm.io/gorm/schema"

// Of returns the TablePrefix of namer when namer is GORM's own
// schema.NamingStrategy (by value or pointer), and "" for any other Namer.
func Of(namer schema.Namer) string {
	switch ns := namer.(type) {
	case schema.NamingStrategy:
		return ns.TablePrefix
	case *schema.NamingStrategy:
		return ns.TablePrefix
	}
	return ""
}
