package notice

import "critreg/store"

// Schema is the tables of submissions and notices. It references operators, so it
// migrates after inventory.
//
// Submitted content is stored as the exact canonical bytes that were hashed: a receipt
// can be checked against it at any time, and no later edit of an item reaches it. Notice
// lines keep their current item as a snapshot for the same reason; current_item_id has no
// foreign key because a removal carried out deletes the item it names.
var Schema = store.Schema{Package: "notice", Migrations: []store.Migration{{
	Name: "list submissions, notices, lines, history and notice submissions",
	SQL: `
CREATE TABLE list_submissions (
	id           INTEGER PRIMARY KEY,
	operator_id  INTEGER NOT NULL REFERENCES operators (id),
	version      INTEGER NOT NULL,
	submitted_at TEXT    NOT NULL,
	user_id      INTEGER NOT NULL,
	login        TEXT    NOT NULL,
	item_count   INTEGER NOT NULL,
	content      TEXT    NOT NULL,
	sha256       TEXT    NOT NULL,
	UNIQUE (operator_id, version)
) STRICT;

CREATE TABLE notices (
	id             INTEGER PRIMARY KEY,
	operator_id    INTEGER NOT NULL REFERENCES operators (id),
	title          TEXT    NOT NULL DEFAULT '',
	state          TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'under_review', 'accepted', 'objection',
	                                                 'information_requested', 'resubmitted', 'withdrawn')),
	submitted_at   TEXT    NOT NULL DEFAULT '',
	earliest_start TEXT    NOT NULL DEFAULT '',
	planned_start  TEXT    NOT NULL DEFAULT '',
	opinion        TEXT    NOT NULL DEFAULT '',
	response       TEXT    NOT NULL DEFAULT '',
	created_by     TEXT    NOT NULL,
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
) STRICT;
CREATE INDEX notices_operator ON notices (operator_id, id);
CREATE INDEX notices_queue ON notices (state, planned_start, id);

CREATE TABLE notice_lines (
	notice_id         INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
	line_no           INTEGER NOT NULL,
	change            TEXT    NOT NULL,
	current_item_id   INTEGER NOT NULL DEFAULT 0,
	current_item      TEXT,
	new_item          TEXT    NOT NULL,
	network_id        INTEGER NOT NULL,
	critical_part     TEXT    NOT NULL,
	planned_start     TEXT    NOT NULL,
	similar_functions INTEGER NOT NULL CHECK (similar_functions IN (0, 1)),
	exemption         TEXT    NOT NULL,
	point64           TEXT    NOT NULL,
	warnings          TEXT    NOT NULL DEFAULT '[]',
	done_at           TEXT    NOT NULL DEFAULT '',
	done_by           TEXT    NOT NULL DEFAULT '',
	result_item_id    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (notice_id, line_no)
) STRICT;

CREATE TABLE notice_events (
	id         INTEGER PRIMARY KEY,
	notice_id  INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
	at         TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	from_state TEXT    NOT NULL,
	to_state   TEXT    NOT NULL,
	user_id    INTEGER NOT NULL,
	login      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	opinion    TEXT    NOT NULL DEFAULT '',
	note       TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX notice_events_notice ON notice_events (notice_id, id);

CREATE TABLE notice_submissions (
	id           INTEGER PRIMARY KEY,
	notice_id    INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,
	submitted_at TEXT    NOT NULL,
	login        TEXT    NOT NULL,
	content      TEXT    NOT NULL,
	sha256       TEXT    NOT NULL,
	UNIQUE (notice_id, seq)
) STRICT;
`}}}
