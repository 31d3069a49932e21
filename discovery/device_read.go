package discovery

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"
)

// System group scalars (SNMPv2-MIB).
const (
	sysDescr    = "1.3.6.1.2.1.1.1.0"
	sysObjectID = "1.3.6.1.2.1.1.2.0"
	sysUpTime   = "1.3.6.1.2.1.1.3.0"
	sysContact  = "1.3.6.1.2.1.1.4.0"
	sysName     = "1.3.6.1.2.1.1.5.0"
	sysLocation = "1.3.6.1.2.1.1.6.0"
)

// HOST-RESOURCES-MIB software names.
const (
	hrSWRunName       = "1.3.6.1.2.1.25.4.2.1.2"
	hrSWInstalledName = "1.3.6.1.2.1.25.6.3.1.2"
)

// ReadOptions tunes Read.
type ReadOptions struct {
	Timeout        time.Duration
	Retries        int
	MaxRepetitions int
	Rules          *Rules
}

// Read reads a single device, for a one-off look at one host.
func Read(ctx context.Context, t Target, creds Credentials, opts ReadOptions) (*Device, error) {
	if err := creds.Validate(); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	o := Options{Timeout: opts.Timeout, Retries: opts.Retries, MaxRepetitions: opts.MaxRepetitions, Rules: opts.Rules}
	o.defaults()
	return newWorker(creds, o).readOne(ctx, t)
}

// readDevice reads one agent over an open client: the system group first (one GET, which
// also proves the agent answers), then in one column-parallel walk every table column the
// device's vendor makes worth reading.
func readDevice(g *gosnmp.GoSNMP, t Target, rules *Rules, maxRep int) (*Device, error) {
	res, err := g.Get([]string{sysDescr, sysObjectID, sysUpTime, sysContact, sysName, sysLocation})
	if err != nil {
		return nil, fmt.Errorf("system group: %w", err)
	}
	if res.Error != gosnmp.NoError {
		return nil, fmt.Errorf("%w: system group error-status %s", errMalformed, res.Error)
	}
	d := &Device{Target: t}
	for _, v := range res.Variables {
		c := cell{value: v}
		switch strings.TrimPrefix(v.Name, ".") {
		case sysDescr:
			d.SysDescr = strings.TrimSpace(strings.ReplaceAll(text(c), "\x00", ""))
		case sysObjectID:
			d.SysObjectID = oidValue(c)
		case sysUpTime:
			d.SysUpTime = time.Duration(integer(c)) * 10 * time.Millisecond
		case sysContact:
			d.SysContact = clean(text(c))
		case sysName:
			d.SysName = clean(text(c))
		case sysLocation:
			d.SysLocation = clean(text(c))
		}
	}
	d.Enterprise = enterprise(d.SysObjectID)

	columns := slices.Collect(maps.Keys(entityColumns))
	columns = append(columns, hrSWRunName, hrSWInstalledName)
	switch d.Enterprise {
	case 6527:
		columns = append(columns, slices.Collect(maps.Keys(timetraColumns))...)
	case 2636:
		columns = append(columns, slices.Collect(maps.Keys(juniperColumns))...)
	}
	slices.SortFunc(columns, oidCompare)
	cols, err := walkColumns(g, columns, maxRep)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	var box map[string]string
	if d.Enterprise == 2636 {
		if box, err = getScalars(g, jnxBoxDescr, jnxBoxSerialNo); err != nil {
			return nil, fmt.Errorf("jnxBox: %w", err)
		}
	}
	d.RunningSoftware = names(cols[hrSWRunName])
	d.InstalledSoftware = names(cols[hrSWInstalledName])
	summarize(d, cols, box)
	d.Functions = rules.Match(d)
	d.ReadAt = time.Now().UTC()
	return d, nil
}

// getScalars GETs a few scalars and returns the ones that exist, as text.
func getScalars(g *gosnmp.GoSNMP, oids ...string) (map[string]string, error) {
	res, err := g.Get(oids)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, v := range res.Variables {
		if v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance {
			continue
		}
		out[strings.TrimPrefix(v.Name, ".")] = text(cell{value: v})
	}
	return out, nil
}

// names returns the distinct cleaned texts of a column, sorted.
func names(cells []cell) []string {
	var out []string
	for _, c := range cells {
		if s := clean(text(c)); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// summarize derives the device-level facts from its inventory: the chassis row gives model,
// serial and revisions; what is missing falls back to vendor scalars, then to sysDescr.
func summarize(d *Device, cols map[string][]cell, box map[string]string) {
	d.Components = entityComponents(cols)
	d.InventorySource = SourceEntityMIB
	if !hasInventory(d.Components) {
		switch {
		case d.Enterprise == 6527:
			if c := timetraComponents(cols); len(c) > 0 {
				d.Components, d.InventorySource = c, SourceTimetra
			}
		case d.Enterprise == 2636:
			if c := juniperComponents(cols); len(c) > 0 {
				d.Components, d.InventorySource = c, SourceJuniper
			}
		}
	}
	if len(d.Components) == 0 {
		d.InventorySource = SourceNone
	}

	v, known := vendors[d.Enterprise]
	ch := chassis(d.Components)
	if ch != nil {
		d.Model = ch.Model
		d.Serial = ch.Serial
		d.HardwareVersion = ch.HardwareRev
		d.FirmwareVersion = ch.FirmwareRev
		d.SoftwareVersion = ch.SoftwareRev
	}
	switch {
	case known && !v.generic:
		d.Manufacturer = v.name
	case ch != nil && ch.Manufacturer != "":
		d.Manufacturer = canonicalManufacturer(ch.Manufacturer)
	default:
		for _, c := range d.Components {
			if c.Manufacturer != "" {
				d.Manufacturer = canonicalManufacturer(c.Manufacturer)
				break
			}
		}
	}
	if d.Serial == "" && box != nil {
		d.Serial = cleanSerial(box[jnxBoxSerialNo])
	}
	if d.Model == "" && ch != nil {
		d.Model = modelFromName(ch)
	}
	if d.Model == "" {
		d.Model = modelFromDescr(d.Manufacturer, d.SysDescr)
	}
	if d.Model == "" && box != nil {
		d.Model = clean(box[jnxBoxDescr])
	}
	if d.Serial == "" {
		d.Serial = serialFromText(d.SysDescr)
		if d.Serial == "" && ch != nil {
			d.Serial = serialFromText(ch.Description)
		}
	}
	if d.SoftwareVersion == "" {
		d.SoftwareVersion = firstSoftwareRev(d.Components)
	}
	if d.SoftwareVersion == "" {
		d.SoftwareVersion = versionFromDescr(d.SysDescr)
	}
	d.Serials = serials(d.Serial, d.Components)
}

// hasInventory tells a useful ENTITY-MIB from an empty or skeletal one (a few rows with no
// serial and no model, as Junos EVO or a Linux host's agent may give).
func hasInventory(cs []Component) bool {
	for _, c := range cs {
		if c.Serial != "" || c.Model != "" {
			return true
		}
	}
	return false
}

// chassis picks the component that stands for the whole device: a top-level chassis with a
// model or serial, then any chassis, then a top-level stack, then a top-level row that calls
// itself a chassis (Junos EVO leaves entPhysicalClass at 0).
func chassis(cs []Component) *Component {
	pick := func(ok func(c *Component) bool) *Component {
		for i := range cs {
			if ok(&cs[i]) {
				return &cs[i]
			}
		}
		return nil
	}
	top := func(c *Component) bool {
		return c.ContainedIn == "0" || c.ContainedIn == "" || strings.HasSuffix(c.ContainedIn, ".0")
	}
	known := func(c *Component) bool { return c.Model != "" || c.Serial != "" }
	for _, f := range []func(c *Component) bool{
		func(c *Component) bool { return c.Class == "chassis" && top(c) && known(c) },
		func(c *Component) bool { return c.Class == "chassis" && known(c) },
		func(c *Component) bool { return c.Class == "stack" && top(c) && known(c) },
		func(c *Component) bool {
			return top(c) && known(c) && strings.Contains(strings.ToLower(c.Description+" "+c.Name), "chassis")
		},
		func(c *Component) bool { return c.Class == "chassis" },
	} {
		if c := pick(f); c != nil {
			return c
		}
	}
	return nil
}

// modelFromName takes a model-like first word from the chassis name or description
// ("NE40E-M2K-B frame" → "NE40E-M2K-B").
func modelFromName(c *Component) string {
	for _, s := range []string{c.Name, c.Description} {
		if f := strings.Fields(s); len(f) > 0 && isModelLike(f[0]) {
			return f[0]
		}
	}
	return ""
}

func firstSoftwareRev(cs []Component) string {
	for _, c := range cs {
		if c.SoftwareRev != "" && (c.Class == "module" || c.Class == "chassis" || c.Class == "stack") {
			return c.SoftwareRev
		}
	}
	return ""
}

// serials lists distinct serials, the chassis serial first.
func serials(first string, cs []Component) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(first)
	for _, c := range cs {
		add(c.Serial)
	}
	return out
}
