package mockd365

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// handleQuery answers GET /data/{Collection}: one page of at most PageSize rows, streamed
// as they are read, with @odata.nextLink when more rows match.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request, t *table, ex *exchange) {
	q, err := parseQuery(t, r.URL.Query(), s.opts.DefaultCompany)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	ex.company = s.opts.DefaultCompany
	if q.crossCompany {
		ex.company = "*"
	}
	s.wait(r)
	sent, more, err := s.writePage(w, r, q)
	if err != nil && sent < 0 {
		s.respond(w, ex, errorAnswer(internalError(err)))
		return
	}
	ex.settle(http.StatusOK)
	ex.reason = fmt.Sprintf("%d rows", max(sent, 0))
	if more {
		ex.reason += ", more on the next page"
	}
	if err != nil {
		ex.reason += "; stopped: " + err.Error()
	}
	ex.record(s.store) //nolint:errcheck // logging must not change the answer
	if err != nil {
		panic(http.ErrAbortHandler) // the client must not take a cut page for a whole one
	}
}

// writePage runs q and streams one page. sent is -1 when the page failed before anything was
// written, so that an error answer can still be sent.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, q *query) (int, bool, error) {
	ctx := r.Context()
	count := int64(-1)
	if q.count {
		cq, cargs := q.countSQL()
		if err := s.store.r.QueryRowContext(ctx, cq, cargs...).Scan(&count); err != nil {
			return -1, false, fmt.Errorf("count: %w", err)
		}
	}
	limit := s.opts.PageSize
	if q.top >= 0 {
		limit = min(limit, q.top)
	}
	sq, args := q.selectSQL(limit + 1)
	rows, err := s.store.r.QueryContext(ctx, sq, args...)
	if err != nil {
		return -1, false, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	setODataHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.Write(pageHead(s.baseURL(r), q, count))
	var sent int
	var last []any
	var more bool
	if len(q.expand) > 0 {
		sent, last, more, err = expandRows(ctx, bw, q, rows, limit)
	} else {
		sent, last, more, err = streamRows(bw, q, rows, limit)
	}
	if err != nil {
		return sent, false, err
	}
	bw.WriteString("]")
	if more && (q.top < 0 || q.top > limit) {
		bw.WriteString(`,"@odata.nextLink":`)
		bw.Write(appendString(nil, q.nextLink(s.baseURL(r), sent, q.cursorOf(last))))
	}
	bw.WriteString("}")
	return sent, more, bw.Flush()
}

// pageHead returns the start of a collection answer, up to the opening of "value".
func pageHead(base string, q *query, count int64) []byte {
	b := append([]byte(`{"@odata.context":`), appendString(nil, contextURL(base, q, false))...)
	if count >= 0 {
		b = append(b, `,"@odata.count":`...)
		b = strconv.AppendInt(b, count, 10)
	}
	return append(b, `,"value":[`...)
}

// contextURL returns the @odata.context of a query's answer, or of one record's (entity):
// the collection, the select list when $select was given, and /$entity for a record. The
// select list is OData 4.0's, as F&O answers OData-Version 4.0: the selected properties,
// then the selected navigation properties; an expanded navigation property that is not
// selected is left out, since the mock's expansions have no nested $select or $expand
// (OData 4.01 would list it as "Name()"; Protocol §10, "Expanded Entity").
func contextURL(base string, q *query, entity bool) string {
	ctx := base + "/data/$metadata#" + q.t.e.Collection
	if q.sel != nil {
		names := make([]string, 0, len(q.sel)+len(q.selNavs))
		for _, p := range q.sel {
			names = append(names, q.t.e.Fields[p].Name)
		}
		ctx += "(" + strings.Join(append(names, q.selNavs...), ",") + ")"
	}
	if entity {
		ctx += "/$entity"
	}
	return ctx
}

// streamRows writes up to limit rows as JSON objects. more reports that another row exists;
// last is the last row written.
func streamRows(bw *bufio.Writer, q *query, rows *sql.Rows, limit int) (sent int, last []any,
	more bool, err error) {
	row := make([]any, internalCols+len(q.t.e.Fields))
	ptrs := make([]any, len(row))
	for i := range row {
		ptrs[i] = &row[i]
	}
	buf := make([]byte, 0, 1024)
	for rows.Next() {
		if sent == limit {
			return sent, last, true, nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return sent, last, false, err
		}
		recID, version, vals := splitRow(row)
		if sent > 0 {
			bw.WriteByte(',')
		}
		buf = appendEntity(buf[:0], q.t, "", recID, version, vals, q.sel)
		if _, err := bw.Write(buf); err != nil {
			return sent, last, false, err
		}
		last = append(last[:0], row...)
		sent++
	}
	return sent, last, false, rows.Err()
}

// expandRows is streamRows for a query with $expand: the page is read whole first (at most
// PageSize rows), so that the expansions can be read while no page query holds a
// connection of the reader pool.
func expandRows(ctx context.Context, bw *bufio.Writer, q *query, rows *sql.Rows,
	limit int) (sent int, last []any, more bool, err error) {
	var page [][]any
	for rows.Next() {
		if len(page) == limit {
			more = true
			break
		}
		row := make([]any, internalCols+len(q.t.e.Fields))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, nil, false, err
		}
		page = append(page, row)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, nil, false, err
	}
	var buf []byte
	for _, row := range page {
		recID, version, vals := splitRow(row)
		buf = appendEntity(buf[:0], q.t, "", recID, version, vals, q.sel)
		if buf, err = appendExpanded(ctx, buf, vals, q.expand); err != nil {
			return sent, last, false, err
		}
		if sent > 0 {
			bw.WriteByte(',')
		}
		if _, err := bw.Write(buf); err != nil {
			return sent, last, false, err
		}
		last = row
		sent++
	}
	return sent, last, more, nil
}

// handleCount answers GET /data/{Collection}/$count: the number of matching records, as
// plain text, with the same $filter and cross-company rules as a query.
func (s *Server) handleCount(w http.ResponseWriter, r *http.Request, t *table, ex *exchange) {
	q, err := parseQuery(t, r.URL.Query(), s.opts.DefaultCompany)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	var n int64
	cq, args := q.countSQL()
	if err := s.store.r.QueryRowContext(r.Context(), cq, args...).Scan(&n); err != nil {
		s.finish(w, r, ex, errorAnswer(internalError(err)))
		return
	}
	ex.settle(http.StatusOK)
	ex.reason = fmt.Sprintf("count %d", n)
	s.log(r, ex)
	s.wait(r)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("OData-Version", odataVersion)
	w.Write(strconv.AppendInt(nil, n, 10)) //nolint:errcheck // the client may be gone
}

// handleGetByKey answers GET /data/{Collection}(key=value,...): the first record stored with
// that full key, in any company.
func (s *Server) handleGetByKey(w http.ResponseWriter, r *http.Request, t *table, ex *exchange,
	key string) {
	vals, err := parseKey(t, key)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	shape, err := parseShape(t, r.URL.Query())
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	ex.recordKey = keyPredicate(t, t.keys, vals)
	if i := slices.Index(t.e.Keys, dataAreaID.Name); i >= 0 {
		ex.company = displayValue(vals[i])
	}
	row := make([]any, internalCols+len(t.e.Fields))
	ptrs := make([]any, len(row))
	for i := range row {
		ptrs[i] = &row[i]
	}
	err = t.readKey.QueryRowContext(r.Context(), vals...).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		s.finish(w, r, ex, errorAnswer(notFound("No record of %s has the key %s.",
			t.e.Collection, ex.recordKey)))
		return
	}
	if err != nil {
		s.finish(w, r, ex, errorAnswer(internalError(err)))
		return
	}
	recID, version, fields := splitRow(row)
	ex.recID = recID
	ctx := contextURL(s.baseURL(r), shape, true)
	body := appendEntity(nil, t, ctx, recID, version, fields, shape.sel)
	if body, err = appendExpanded(r.Context(), body, fields, shape.expand); err != nil {
		s.finish(w, r, ex, errorAnswer(internalError(err)))
		return
	}
	s.finish(w, r, ex, answer{status: http.StatusOK, body: body, etag: etag(version, recID)})
}
