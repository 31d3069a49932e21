package server

import (
	"critreg/account"
	"critreg/audit"
	"critreg/discovery"
	"critreg/inventory"
	"critreg/notice"
	"critreg/store"
	"critreg/vetting"
)

// Schemas lists every package's schema in the order they migrate: owners of referenced
// tables first.
func Schemas() []store.Schema {
	return []store.Schema{audit.Schema, inventory.Schema, account.Schema, vetting.Schema, notice.Schema, discovery.Schema}
}
