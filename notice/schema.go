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
`}, {
	// The confirmation of a list submission and the comparison of two submissions read
	// only what changed, not whole lists of tens of thousands of items.
	//
	// list_item_changes logs every write to an item, whichever code makes it: triggers on
	// items (and on a supplier's name, which an item shows) rather than calls in each
	// write path, so no path can be missed. A submission records the log's sequence at its
	// snapshot; the items logged after it are the only ones that can differ. Deletes and
	// a change of operator log the item under the operator that had it, so a removal is
	// seen too. Rows up to an operator's latest submission are pruned when it submits. A
	// field of ListItem taken from another table than items needs a trigger here too, as
	// the suppliers' names have.
	//
	// list_submission_index holds, per submission, each item's id and the SHA-256 of its
	// canonical JSON exactly as the content holds it, sorted by id; list_item_versions
	// holds each such item JSON once, by its SHA-256, shared by the submissions that froze
	// the same item unchanged. Submissions made before this migration have no index and
	// are compared by decoding their content.
	Name: "item change log and per-item index of list submissions",
	SQL: `
CREATE TABLE list_item_changes (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	operator_id INTEGER NOT NULL,
	item_id     INTEGER NOT NULL
) STRICT;
CREATE INDEX list_item_changes_operator ON list_item_changes (operator_id, seq);

CREATE TRIGGER list_item_created AFTER INSERT ON items BEGIN
	INSERT INTO list_item_changes (operator_id, item_id) VALUES (NEW.operator_id, NEW.id);
END;
CREATE TRIGGER list_item_updated AFTER UPDATE ON items BEGIN
	INSERT INTO list_item_changes (operator_id, item_id) VALUES (NEW.operator_id, NEW.id);
	INSERT INTO list_item_changes (operator_id, item_id) SELECT OLD.operator_id, OLD.id
		WHERE OLD.operator_id IS NOT NEW.operator_id OR OLD.id IS NOT NEW.id;
END;
CREATE TRIGGER list_item_deleted AFTER DELETE ON items BEGIN
	INSERT INTO list_item_changes (operator_id, item_id) VALUES (OLD.operator_id, OLD.id);
END;
CREATE TRIGGER list_supplier_renamed AFTER UPDATE OF name ON suppliers WHEN OLD.name IS NOT NEW.name BEGIN
	INSERT INTO list_item_changes (operator_id, item_id)
		SELECT operator_id, id FROM items WHERE manufacturer_id = NEW.id OR distributor_id = NEW.id OR outsourcer_id = NEW.id;
END;

CREATE TABLE list_item_versions (
	id     INTEGER PRIMARY KEY,
	sha256 BLOB NOT NULL UNIQUE,
	item   TEXT NOT NULL
) STRICT;

CREATE TABLE list_submission_index (
	submission_id INTEGER PRIMARY KEY REFERENCES list_submissions (id),
	change_seq    INTEGER NOT NULL,
	items         BLOB    NOT NULL
) STRICT;
`}}}
