package vetting

import "critreg/store"

// Schema is the vetting package's tables. It follows inventory.Schema: parties and opinions
// refer to the supplier register, and compliance reads the items.
//
// Dates are YYYY-MM-DD text (Latvian calendar days), so "as of" comparisons are string
// comparisons that use the indexes. Opinions and revocations are acts: rows are inserted
// and never updated; an opinion's status is derived from the acts that came after it.
var Schema = store.Schema{Package: "vetting", Migrations: []store.Migration{{
	Name: "states, parties, ownership, analyst entries, opinions",
	SQL: `
CREATE TABLE vet_seeds (
	name TEXT PRIMARY KEY,
	at   TEXT NOT NULL
) STRICT;

CREATE TABLE vet_state_facts (
	id        INTEGER PRIMARY KEY,
	state     TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('nato', 'eu', 'eea', 'terror_designation', 'attribution',
	                                        'no_democracy', 'no_agreement', 'cooperation_law')),
	since     TEXT NOT NULL DEFAULT '',
	until     TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	reference TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	verified  INTEGER NOT NULL DEFAULT 1 CHECK (verified IN (0, 1)),
	note      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX vet_state_facts_state ON vet_state_facts (state, kind);

CREATE TABLE vet_parties (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL CHECK (kind IN ('company', 'person', 'state', 'state_body')),
	supplier_id     INTEGER UNIQUE REFERENCES suppliers (id) ON DELETE RESTRICT,
	name            TEXT NOT NULL,
	country         TEXT NOT NULL DEFAULT '',
	citizenships    TEXT NOT NULL DEFAULT '',
	registration_no TEXT NOT NULL DEFAULT '',
	bods_id         TEXT UNIQUE,
	note            TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE vet_ownership (
	id         INTEGER PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES vet_parties (id) ON DELETE RESTRICT,
	owner_id   INTEGER NOT NULL REFERENCES vet_parties (id) ON DELETE RESTRICT,
	share_min  REAL CHECK (share_min IS NULL OR (share_min >= 0 AND share_min <= 100)),
	share_max  REAL CHECK (share_max IS NULL OR (share_max >= 0 AND share_max <= 100)),
	control    TEXT NOT NULL DEFAULT '',
	start_date TEXT NOT NULL DEFAULT '',
	end_date   TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	bods_id    TEXT UNIQUE,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (subject_id <> owner_id)
) STRICT;
CREATE INDEX vet_ownership_subject ON vet_ownership (subject_id);
CREATE INDEX vet_ownership_owner ON vet_ownership (owner_id);

CREATE TABLE vet_analyst_entries (
	id          INTEGER PRIMARY KEY,
	supplier_id INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE RESTRICT,
	criterion   TEXT NOT NULL CHECK (criterion IN ('65.2.3', '65.2.4', '65.3')),
	finding     TEXT NOT NULL CHECK (finding IN ('met', 'not_met', 'unknown')),
	text        TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	holds_from  TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	created_by  TEXT NOT NULL
) STRICT;
CREATE INDEX vet_analyst_entries_supplier ON vet_analyst_entries (supplier_id, id);

CREATE TABLE vet_opinions (
	id             INTEGER PRIMARY KEY,
	reference      TEXT NOT NULL UNIQUE,
	subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('supplier', 'product', 'software', 'outsourcing')),
	supplier_id    INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE RESTRICT,
	product        TEXT NOT NULL DEFAULT '',
	version_from   TEXT NOT NULL DEFAULT '',
	version_to     TEXT NOT NULL DEFAULT '',
	service        TEXT NOT NULL DEFAULT '',
	verdict        TEXT NOT NULL CHECK (verdict IN ('threat', 'restricted', 'no_objection')),
	restriction    TEXT NOT NULL DEFAULT '',
	parts          TEXT NOT NULL DEFAULT '',
	issued_on      TEXT NOT NULL,
	effective_on   TEXT NOT NULL,
	public_summary TEXT NOT NULL,
	rationale      TEXT NOT NULL DEFAULT '',
	supersedes_id  INTEGER UNIQUE REFERENCES vet_opinions (id),
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL
) STRICT;
CREATE INDEX vet_opinions_supplier ON vet_opinions (supplier_id);

CREATE TABLE vet_revocations (
	opinion_id     INTEGER PRIMARY KEY REFERENCES vet_opinions (id),
	reference      TEXT NOT NULL UNIQUE,
	revoked_on     TEXT NOT NULL,
	public_summary TEXT NOT NULL DEFAULT '',
	rationale      TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL
) STRICT;

-- Compliance counts one operator's items in one pass; this index covers that pass, so
-- the count reads the index and never the wider item rows. Its prefix and the two below
-- let matching seek an operator's items by the suppliers opinions name, in each role.
CREATE INDEX vet_items_compliance ON items (operator_id, manufacturer_id, distributor_id, outsourcer_id,
	manufacturer_country, origin_country);
CREATE INDEX vet_items_operator_distributor ON items (operator_id, distributor_id);
CREATE INDEX vet_items_operator_outsourcer ON items (operator_id, outsourcer_id);
-- The places a manufacturer's products come from (65.1.6), read by skipping through it.
CREATE INDEX vet_items_origin ON items (manufacturer_id, origin_country);
`}}}
