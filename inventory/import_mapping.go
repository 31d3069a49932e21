package inventory

import (
	"context"
	"database/sql"
	"fmt"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

// MappedColumn ties a header an operator's workbooks use to the field it holds.
type MappedColumn struct {
	Header string `json:"header"`
	// Field is an import field (network, critical_part, kind, name, …) or "ignore".
	Field Field `json:"field"`
}

// ColumnMapping is an operator's saved column mapping: it overrides the importer's guess
// for the headers it names.
type ColumnMapping struct {
	Operator string         `json:"operator"`
	Columns  []MappedColumn `json:"columns"`
}

func (s *Store) savedMapping(ctx context.Context, q querier, operatorID int64) (map[string]Field, error) {
	rows, err := q.QueryContext(ctx, `SELECT header_key, field FROM import_mappings WHERE operator_id = ?`, operatorID)
	if err != nil {
		return nil, fmt.Errorf("read column mapping: %w", err)
	}
	defer rows.Close()
	out := map[string]Field{}
	for rows.Next() {
		var k string
		var f Field
		if err := rows.Scan(&k, &f); err != nil {
			return nil, fmt.Errorf("read column mapping: %w", err)
		}
		out[k] = f
	}
	return out, rows.Err()
}

// ColumnMapping returns an operator's saved column mapping.
func (s *Store) ColumnMapping(ctx context.Context, a access.Actor, operatorCode string) (ColumnMapping, error) {
	op, err := s.Operator(ctx, a, operatorCode)
	if err != nil {
		return ColumnMapping{}, err
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT header, field FROM import_mappings WHERE operator_id = ? ORDER BY header`, op.ID)
	if err != nil {
		return ColumnMapping{}, fmt.Errorf("read column mapping: %w", err)
	}
	defer rows.Close()
	m := ColumnMapping{Operator: op.Code, Columns: []MappedColumn{}}
	for rows.Next() {
		var c MappedColumn
		if err := rows.Scan(&c.Header, &c.Field); err != nil {
			return ColumnMapping{}, fmt.Errorf("read column mapping: %w", err)
		}
		m.Columns = append(m.Columns, c)
	}
	return m, rows.Err()
}

// SetColumnMapping replaces an operator's saved column mapping.
func (s *Store) SetColumnMapping(ctx context.Context, a access.Actor, operatorCode string, cols []MappedColumn) (ColumnMapping, error) {
	before, err := s.ColumnMapping(ctx, a, operatorCode)
	if err != nil {
		return ColumnMapping{}, err
	}
	op, err := s.Operator(ctx, a, operatorCode)
	if err != nil {
		return ColumnMapping{}, err
	}
	if !a.KeepsInventory(op.ID) {
		return ColumnMapping{}, errkind.Forbidden("only the operator's own users change its column mapping")
	}
	v := &errkind.ValidationError{}
	keys := map[string]bool{}
	for i, c := range cols {
		field := fmt.Sprintf("columns[%d]", i)
		c.Header = text(v, field+".header", c.Header, maxName, true)
		k := headerKey(c.Header)
		if c.Header != "" && k == "" {
			v.Add(field+".header", "must contain letters or digits")
		}
		if keys[k] && k != "" {
			v.Add(field+".header", "%q is mapped twice", c.Header)
		}
		keys[k] = true
		if _, ok := ParseField(string(c.Field)); !ok {
			v.Add(field+".field", "unknown field %q", c.Field)
		}
		cols[i] = c
	}
	if len(cols) > 200 {
		v.Add("columns", "at most 200 columns")
	}
	if err := v.Err(); err != nil {
		return ColumnMapping{}, err
	}
	after := ColumnMapping{Operator: op.Code, Columns: cols}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_mappings WHERE operator_id = ?`, op.ID); err != nil {
			return fmt.Errorf("save column mapping: %w", err)
		}
		for _, c := range cols {
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (operator_id, header_key, header, field) VALUES (?, ?, ?, ?)`,
				op.ID, headerKey(c.Header), c.Header, c.Field); err != nil {
				return fmt.Errorf("save column mapping: %w", err)
			}
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "column_mapping.update", ObjectType: "column_mapping", ObjectID: op.Code,
			OperatorID: op.ID, Before: before, After: after})
	})
	if err != nil {
		return ColumnMapping{}, err
	}
	return s.ColumnMapping(ctx, a, operatorCode)
}
