package inventory

import "critreg/store"

// Schema is the inventory's tables: operators, their networks and declared critical parts,
// the shared supplier register and the annex-7 items.
//
// Items keep operator_id beside network_id although the network implies it: every query
// is scoped by operator, and the column lets that filter and the keyset order use one index.
// AUTOINCREMENT keeps ids from ever being reused: an item's id is named in audit records,
// submitted lists and notices, and must not come to mean another item after a deletion.
// items_fts is SQLite FTS5 (the SQLite-only part of this schema), kept in step by the Go
// code that writes items, since an item's text includes its suppliers' names.
var Schema = store.Schema{Package: "inventory", Migrations: []store.Migration{{
	Name: "operators, networks, critical parts, suppliers, items",
	SQL: `
CREATE TABLE operators (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	code            TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	registration_no TEXT NOT NULL DEFAULT '',
	contact         TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE networks (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE RESTRICT,
	name        TEXT NOT NULL,
	technology  TEXT NOT NULL CHECK (technology IN ('4G', '5G', 'fixed', 'transport', 'other')),
	legacy      INTEGER NOT NULL CHECK (legacy IN (0, 1)),
	description TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	UNIQUE (operator_id, name)
) STRICT;
CREATE INDEX networks_operator ON networks (operator_id, id);

CREATE TABLE custom_parts (
	id             INTEGER PRIMARY KEY,
	network_id     INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
	code           TEXT NOT NULL,
	name_en        TEXT NOT NULL DEFAULT '',
	name_lv        TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	UNIQUE (network_id, code)
) STRICT;

CREATE TABLE suppliers (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	name            TEXT NOT NULL,
	name_key        TEXT NOT NULL UNIQUE,
	person          TEXT NOT NULL DEFAULT 'legal' CHECK (person IN ('legal', 'natural')),
	country         TEXT NOT NULL DEFAULT '',
	registration_no TEXT NOT NULL DEFAULT '',
	roles           TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE items (
	id                   INTEGER PRIMARY KEY AUTOINCREMENT,
	operator_id          INTEGER NOT NULL REFERENCES operators (id),
	network_id           INTEGER NOT NULL REFERENCES networks (id) ON DELETE RESTRICT,
	critical_part        TEXT NOT NULL,
	kind                 TEXT NOT NULL CHECK (kind IN ('equipment', 'software', 'outsourcing')),
	name                 TEXT NOT NULL DEFAULT '',
	model                TEXT NOT NULL DEFAULT '',
	version              TEXT NOT NULL DEFAULT '',
	manufacturer_id      INTEGER REFERENCES suppliers (id),
	manufacturer_country TEXT NOT NULL DEFAULT '',
	distributor_id       INTEGER REFERENCES suppliers (id),
	outsourcer_id        INTEGER REFERENCES suppliers (id),
	origin_country       TEXT NOT NULL DEFAULT '',
	serial               TEXT NOT NULL DEFAULT '',
	quantity             INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
	site                 TEXT NOT NULL DEFAULT '',
	management_address   TEXT NOT NULL DEFAULT '',
	in_service_since     TEXT NOT NULL DEFAULT '',
	notes                TEXT NOT NULL DEFAULT '',
	source               TEXT NOT NULL DEFAULT 'typed' CHECK (source IN ('typed', 'imported', 'discovered', 'notice', 'api')),
	source_ref           TEXT NOT NULL DEFAULT '',
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
) STRICT;
CREATE INDEX items_operator ON items (operator_id, id);
CREATE INDEX items_network ON items (network_id, id);
CREATE INDEX items_part ON items (network_id, critical_part, id);
CREATE INDEX items_manufacturer ON items (manufacturer_id);
CREATE INDEX items_distributor ON items (distributor_id);
CREATE INDEX items_outsourcer ON items (outsourcer_id);

CREATE VIRTUAL TABLE items_fts USING fts5 (
	body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
`}, {
	Name: "saved import column mappings per operator",
	SQL: `
CREATE TABLE import_mappings (
	operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
	header_key  TEXT NOT NULL,
	header      TEXT NOT NULL,
	field       TEXT NOT NULL,
	PRIMARY KEY (operator_id, header_key)
) STRICT;
`}, {
	Name: "summary index",
	SQL: `
-- The dashboard counts an operator's items per network and critical part; this index holds
-- every column that count reads, in group order, so it never touches the item rows.
CREATE INDEX items_summary ON items (operator_id, network_id, critical_part, kind, manufacturer_id, manufacturer_country, origin_country);
`}}}
