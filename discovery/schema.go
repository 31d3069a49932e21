package discovery

import "critreg/store"

// Schema is discovery's tables: credential profiles, runs, the results each run stored,
// the batches an agent uploaded, and the findings of reconciliation. It references
// operators, so it migrates after inventory.
//
// Results are never updated or deleted by a later run: the device a host last showed
// stays readable however many polls of it fail afterwards. Findings keep the item they
// compare against as a snapshot and name it by id without a foreign key, because the item
// may be removed later while the finding stays on record.
var Schema = store.Schema{Package: "discovery", Migrations: []store.Migration{{
	Name: "credential profiles, runs, results, upload batches and findings",
	SQL: `
CREATE TABLE discovery_profiles (
	id            INTEGER PRIMARY KEY,
	operator_id   INTEGER NOT NULL REFERENCES operators (id),
	name          TEXT    NOT NULL,
	version       TEXT    NOT NULL CHECK (version IN ('v2c', 'v3')),
	user          TEXT    NOT NULL DEFAULT '',
	auth_protocol TEXT    NOT NULL DEFAULT '',
	priv_protocol TEXT    NOT NULL DEFAULT '',
	sealed        TEXT    NOT NULL,
	created_by    TEXT    NOT NULL,
	created_at    TEXT    NOT NULL,
	UNIQUE (operator_id, name)
) STRICT;

CREATE TABLE discovery_runs (
	id          INTEGER PRIMARY KEY,
	operator_id INTEGER NOT NULL REFERENCES operators (id),
	origin      TEXT    NOT NULL CHECK (origin IN ('server', 'cli', 'agent')),
	status      TEXT    NOT NULL CHECK (status IN ('running', 'uploading', 'done', 'failed', 'cancelled')),
	targets     TEXT    NOT NULL,
	profile     TEXT    NOT NULL DEFAULT '',
	credentials TEXT    NOT NULL DEFAULT '',
	options     TEXT    NOT NULL,
	progress    TEXT    NOT NULL DEFAULT '{}',
	error       TEXT    NOT NULL DEFAULT '',
	held_seq    INTEGER NOT NULL DEFAULT 0,
	user_id     INTEGER NOT NULL,
	login       TEXT    NOT NULL,
	started_at  TEXT    NOT NULL,
	finished_at TEXT    NOT NULL DEFAULT '',
	updated_at  TEXT    NOT NULL
) STRICT;
CREATE INDEX discovery_runs_operator ON discovery_runs (operator_id, id);

CREATE TABLE discovery_results (
	id          INTEGER PRIMARY KEY,
	run_id      INTEGER NOT NULL REFERENCES discovery_runs (id),
	operator_id INTEGER NOT NULL,
	host        TEXT    NOT NULL,
	port        INTEGER NOT NULL,
	read_at     TEXT    NOT NULL,
	cause       TEXT    NOT NULL DEFAULT '',
	device      TEXT
) STRICT;
CREATE INDEX discovery_results_run ON discovery_results (run_id, id);
CREATE INDEX discovery_results_host ON discovery_results (operator_id, host, port, id);

CREATE TABLE discovery_batches (
	run_id      INTEGER NOT NULL REFERENCES discovery_runs (id),
	seq         INTEGER NOT NULL,
	sha256      TEXT    NOT NULL,
	results     INTEGER NOT NULL,
	received_at TEXT    NOT NULL,
	PRIMARY KEY (run_id, seq)
) STRICT;

CREATE TABLE discovery_findings (
	id             INTEGER PRIMARY KEY,
	run_id         INTEGER NOT NULL REFERENCES discovery_runs (id),
	operator_id    INTEGER NOT NULL,
	kind           TEXT    NOT NULL CHECK (kind IN ('new', 'missing', 'changed')),
	target         TEXT    NOT NULL,
	result_id      INTEGER NOT NULL DEFAULT 0,
	item_id        INTEGER NOT NULL DEFAULT 0,
	body           TEXT    NOT NULL,
	status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
	decided_by     TEXT    NOT NULL DEFAULT '',
	decided_at     TEXT    NOT NULL DEFAULT '',
	reason         TEXT    NOT NULL DEFAULT '',
	result_item_id INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX discovery_findings_run ON discovery_findings (run_id, id);
`}, {
	// Fingerprint rules become data the admin keeps. The table starts empty and is filled
	// from fixtures/fingerprints.json on first use (see rules_store.go), once: the seed
	// row records that, so a restart never brings back a rule the admin changed.
	Name: "fingerprint rules",
	SQL: `
CREATE TABLE discovery_rules (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	function      TEXT    NOT NULL,
	confidence    REAL    NOT NULL CHECK (confidence > 0 AND confidence <= 1),
	weak          INTEGER NOT NULL DEFAULT 0 CHECK (weak IN (0, 1)),
	sys_descr     TEXT    NOT NULL DEFAULT '',
	sys_object_id TEXT    NOT NULL DEFAULT '',
	hostname      TEXT    NOT NULL DEFAULT '',
	model         TEXT    NOT NULL DEFAULT '',
	manufacturer  TEXT    NOT NULL DEFAULT '',
	software      TEXT    NOT NULL DEFAULT '',
	note          TEXT    NOT NULL DEFAULT '',
	enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	updated_by    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
) STRICT;

CREATE TABLE discovery_rules_seed (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	at  TEXT    NOT NULL
) STRICT;
`}}}
