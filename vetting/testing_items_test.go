package vetting

import "critreg/inventory"

func inventoryItem(network int64, part, kind, name, manufacturer, origin string) inventory.ItemInput {
	return inventory.ItemInput{NetworkID: network, CriticalPart: part, Kind: inventory.Kind(kind), Name: name, Model: name,
		Manufacturer: manufacturer, OriginCountry: origin, Quantity: 1}
}
