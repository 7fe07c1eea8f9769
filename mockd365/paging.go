package mockd365

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paging is keyset paging: rows are ordered by $orderby and then by _RecId, and a
// $skiptoken carries the ordering values of the last row sent. The next page starts after
// that row, so rows inserted meanwhile can neither repeat a row already sent nor push one
// past the page boundary; new rows appear where their order puts them after the cursor.

// errSkipToken is the problem with a $skiptoken the mock did not write.
var errSkipToken = errors.New("$skiptoken: not a token from an @odata.nextLink of this query")

// selectSQL returns the query of one page of at most limit rows, after the cursor if any and
// after $skip on the first page.
func (q *query) selectSQL(limit int) (string, []any) {
	where, args := q.where(true)
	order := make([]string, 0, len(q.order)+1)
	for _, o := range q.order {
		col := q.t.compared(q.t.e.Fields[o.field].Name)
		if o.desc {
			col += " DESC"
		}
		order = append(order, col)
	}
	order = append(order, colRecID)
	skip := q.skip
	if q.cursor != nil {
		skip = 0
	}
	sql := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %d OFFSET %d", q.t.selects,
		q.t.name, where, strings.Join(order, ", "), limit, skip)
	return sql, args
}

// countSQL returns the query of @odata.count: every row that matches, on any page.
func (q *query) countSQL() (string, []any) {
	where, args := q.where(false)
	return "SELECT COUNT(*) FROM " + q.t.name + where, args
}

// where returns the WHERE clause of q, with the cursor condition if asked.
func (q *query) where(withCursor bool) (string, []any) {
	conds, args := slices.Clone(q.conds), slices.Clone(q.args)
	if withCursor && q.cursor != nil {
		cond, cargs := q.afterCursor()
		conds, args = append(conds, cond), append(args, cargs...)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// afterCursor returns the condition "comes after the cursor row" in (order..., _RecId) order:
// (a > ?) OR (a = ? AND b > ?) OR ..., with < for descending terms. Columns are compared
// as they are ordered.
func (q *query) afterCursor() (string, []any) {
	cols := make([]string, 0, len(q.order)+1)
	params := make([]string, 0, len(q.order)+1)
	ops := make([]string, 0, len(q.order)+1)
	for _, o := range q.order {
		name := q.t.e.Fields[o.field].Name
		cols = append(cols, q.t.compared(name))
		params = append(params, q.t.parameter(name))
		ops = append(ops, map[bool]string{false: ">", true: "<"}[o.desc])
	}
	cols, params, ops = append(cols, colRecID), append(params, "?"), append(ops, ">")
	var alts []string
	var args []any
	for i := range cols {
		parts := make([]string, 0, i+1)
		for j := range i {
			parts = append(parts, cols[j]+" = "+params[j])
			args = append(args, q.cursor[j])
		}
		parts = append(parts, cols[i]+" "+ops[i]+" "+params[i])
		args = append(args, q.cursor[i])
		alts = append(alts, "("+strings.Join(parts, " AND ")+")")
	}
	return "(" + strings.Join(alts, " OR ") + ")", args
}

// cursorOf returns the cursor of a row read with t.selects: its order values, then _RecId.
func (q *query) cursorOf(row []any) []any {
	recID, _, vals := splitRow(row)
	out := make([]any, 0, len(q.order)+1)
	for _, o := range q.order {
		out = append(out, vals[o.field])
	}
	return append(out, recID)
}

// encodeCursor writes a cursor as a $skiptoken: base64url of a JSON list of typed values.
func encodeCursor(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case int64:
			parts[i] = "i" + strconv.FormatInt(x, 10)
		case float64:
			parts[i] = "f" + strconv.FormatFloat(x, 'g', -1, 64)
		case nil:
			parts[i] = "n"
		default:
			parts[i] = "s" + displayValue(x)
		}
	}
	b, _ := json.Marshal(parts) // strings only
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseSkipToken reads a $skiptoken written by encodeCursor for this query's $orderby.
func (q *query) parseSkipToken(token string) error {
	if token == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	var parts []string
	if err != nil || json.Unmarshal(raw, &parts) != nil || len(parts) != len(q.order)+1 {
		return errSkipToken
	}
	q.cursor = make([]any, len(parts))
	for i, p := range parts {
		if q.cursor[i], err = decodeCursorValue(p); err != nil {
			return errSkipToken
		}
	}
	return nil
}

// decodeCursorValue reads one typed value of a $skiptoken.
func decodeCursorValue(p string) (any, error) {
	if p == "" {
		return nil, errSkipToken
	}
	switch p[0] {
	case 'i':
		return strconv.ParseInt(p[1:], 10, 64)
	case 'f':
		return strconv.ParseFloat(p[1:], 64)
	case 's':
		return p[1:], nil
	case 'n':
		return nil, nil
	}
	return nil, errSkipToken
}

// nextLink returns the absolute URL of the page after the row with cursor: the same query,
// with $top reduced by the rows sent (when there is a $top) and $skip already applied.
func (q *query) nextLink(base string, sent int, cursor []any) string {
	var parts []string
	for _, name := range sortedNames(q.values) {
		if name == "$skip" || name == "$top" || name == "$skiptoken" {
			continue
		}
		for _, v := range q.values[name] {
			parts = append(parts, queryParam(name, v))
		}
	}
	if q.top >= 0 {
		parts = append(parts, queryParam("$top", strconv.Itoa(q.top-sent)))
	}
	parts = append(parts, queryParam("$skiptoken", encodeCursor(cursor)))
	return base + "/data/" + q.t.e.Collection + "?" + strings.Join(parts, "&")
}

// queryParam returns name=value, escaped for a query string; $ stays readable.
func queryParam(name, value string) string {
	esc := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), "%24", "$")
	}
	return esc(name) + "=" + esc(value)
}

// sortedNames returns the names of v in order.
func sortedNames(v url.Values) []string {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
