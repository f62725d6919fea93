package retrievalbench

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// scratchTables creates the session's temporary policy tables, without
// indexes, and returns the real policy_chunks indexes' definitions rewritten
// for them (pg_get_indexdef qualifies the table, so only that name changes).
func scratchTables(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	// Temporary tables live in this backend's own buffers; 100,000 chunks
	// and their indexes need far more than the 8 MB default, and the
	// setting only takes before the session's first temporary table.
	for _, set := range []string{`SET temp_buffers = '1536MB'`, `SET maintenance_work_mem = '1GB'`} {
		if _, err := conn.Exec(ctx, set); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", set, err)
		}
	}
	rows, err := conn.Query(ctx, `
		SELECT pg_get_indexdef(indexrelid) FROM pg_index
		WHERE indrelid = 'policy_chunks'::regclass AND NOT indisprimary AND NOT indisunique
		ORDER BY indexrelid`)
	if err != nil {
		return nil, fmt.Errorf("bench: read index definitions: %w", err)
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("bench: read index definitions: %w", err)
	}
	onTable := regexp.MustCompile(`\sON\s+(ONLY\s+)?\S+\s+USING\s`)
	for i, d := range defs {
		if !onTable.MatchString(d) {
			return nil, fmt.Errorf("bench: cannot read index definition %q", d)
		}
		defs[i] = onTable.ReplaceAllString(d, " ON pg_temp.policy_chunks USING ")
	}
	// LIKE copies columns and constraints but not storage parameters.
	var relopts string
	if err := conn.QueryRow(ctx, `SELECT coalesce(array_to_string(reloptions, ', '), '') FROM pg_class WHERE oid = 'policy_chunks'::regclass`).Scan(&relopts); err != nil {
		return nil, fmt.Errorf("bench: read storage parameters: %w", err)
	}
	stmts := []string{
		`CREATE TEMP TABLE policy_documents (LIKE policy_documents INCLUDING ALL)`,
		`CREATE TEMP TABLE policy_chunks (LIKE policy_chunks INCLUDING ALL EXCLUDING INDEXES)`,
		`CREATE TEMP TABLE bench_staging (doc_key bigint, doc_id text, locale text, version integer, ordinal integer,
			heading_path text, text text, embedding vector, cfg text, fts_heading text, fts_text text)`,
	}
	if relopts != "" {
		stmts = append(stmts, `ALTER TABLE pg_temp.policy_chunks SET (`+relopts+`)`)
	}
	for _, stmt := range stmts {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("bench: create scratch tables: %w", err)
		}
	}
	return defs, nil
}

func createIndexes(ctx context.Context, conn *pgx.Conn, defs []string) error {
	for _, d := range defs {
		if _, err := conn.Exec(ctx, d); err != nil {
			return fmt.Errorf("bench: %s: %w", d, err)
		}
	}
	_, err := conn.Exec(ctx, `ANALYZE pg_temp.policy_documents; ANALYZE pg_temp.policy_chunks`)
	return err
}

// dropIndexes drops the scratch chunk table's indexes, so a bulk load
// builds them once instead of inserting into them row by row.
func dropIndexes(ctx context.Context, conn *pgx.Conn) error {
	// Names are qualified by the session's own temporary schema, so the
	// real table's indexes of the same names are out of reach.
	rows, err := conn.Query(ctx, `
		SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE i.indrelid = 'pg_temp.policy_chunks'::regclass AND n.oid = pg_my_temp_schema()`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, err := conn.Exec(ctx, `DROP INDEX `+n); err != nil {
			return err
		}
	}
	return nil
}
