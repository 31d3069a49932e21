package discovery

import (
	"time"
)

// Device is what one SNMP agent says about the equipment behind it, normalised: placeholders
// are gone (empty means unknown), the manufacturer has one canonical spelling, and the
// network function is a fingerprint guess with its confidence.
type Device struct {
	// Target is the address the device answered on.
	Target Target `json:"target"`
	// ReadAt is when the read finished (UTC).
	ReadAt time.Time `json:"read_at"`

	SysDescr    string        `json:"sys_descr"`
	SysObjectID string        `json:"sys_object_id"`
	SysName     string        `json:"sys_name"`
	SysContact  string        `json:"sys_contact"`
	SysLocation string        `json:"sys_location"`
	SysUpTime   time.Duration `json:"sys_uptime"`
	// Enterprise is the IANA enterprise number in sysObjectID (0 if none).
	Enterprise uint32 `json:"enterprise"`

	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	// Serial is the chassis serial; Serials lists every distinct component serial, the
	// chassis first.
	Serial          string   `json:"serial"`
	Serials         []string `json:"serials"`
	HardwareVersion string   `json:"hardware_version"`
	FirmwareVersion string   `json:"firmware_version"`
	SoftwareVersion string   `json:"software_version"`

	// Components are the physical inventory rows, from ENTITY-MIB or a vendor table.
	Components []Component `json:"components"`
	// InventorySource names the MIB the components came from.
	InventorySource string `json:"inventory_source"`

	// RunningSoftware and InstalledSoftware are HOST-RESOURCES-MIB names, distinct and sorted.
	RunningSoftware   []string `json:"running_software"`
	InstalledSoftware []string `json:"installed_software"`

	// Functions are the annex-6 functions the fingerprint rules matched, best first.
	Functions []FunctionMatch `json:"functions"`
}

// Component is one physical entity: a chassis, module, power supply, port...
type Component struct {
	Index        string `json:"index"`
	Class        string `json:"class"`
	ContainedIn  string `json:"contained_in"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	VendorType   string `json:"vendor_type"`
	HardwareRev  string `json:"hardware_rev"`
	FirmwareRev  string `json:"firmware_rev"`
	SoftwareRev  string `json:"software_rev"`
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	// PartNumber is the orderable part where the vendor table has one apart from the model.
	PartNumber string `json:"part_number"`
	FRU        bool   `json:"fru"`
}

// Inventory sources.
const (
	SourceEntityMIB = "ENTITY-MIB"
	SourceTimetra   = "TIMETRA-CHASSIS-MIB"
	SourceJuniper   = "JUNIPER-MIB"
	// SourceNone: the device gave no inventory table at all.
	SourceNone = ""
)
