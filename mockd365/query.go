package mockd365

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// A query is a GET on a collection with its OData query options, ready to run as SQL.
type query struct {
	t     *table
	conds []string // SQL conditions, joined with AND
	args  []any
	sel   []int // $select positions; nil: every field
	// selNavs are the navigation properties $select names, in name order: the payload holds
	// them only when expanded, but the context URL lists them.
	selNavs []string
	expand  []*navLink
	order   []orderTerm
	top     int // $top; -1: none
	skip    int
	count   bool
	// crossCompany is cross-company=true: reads see every legal entity.
	crossCompany bool
	cursor       []any // $skiptoken: order values then _RecId of the last row sent; nil: first page
	values       url.Values
}

// An orderTerm is one $orderby item.
type orderTerm struct {
	field int
	desc  bool
}

// supportedOptions are the system query options the mock understands.
var supportedOptions = map[string]bool{
	"$filter": true, "$select": true, "$top": true, "$skip": true, "$count": true,
	"$orderby": true, "$skiptoken": true, "$format": true, "$expand": true,
}

// parseQuery reads the query options of a GET on t. Reads see company only, unless
// cross-company=true. The error is an *apiError that says which option is wrong.
func parseQuery(t *table, v url.Values, company string) (*query, error) {
	q := &query{t: t, top: -1, values: v}
	if err := repeatedOption(v); err != nil {
		return nil, err
	}
	for name := range v {
		if strings.HasPrefix(name, "$") && !supportedOptions[name] {
			return nil, badRequest("The query option '%s' is not supported by mockd365; "+
				"supported: $filter, $select, $top, $skip, $count, $orderby, $expand.", name)
		}
	}
	q.crossCompany = strings.EqualFold(v.Get("cross-company"), "true")
	if _, ok := t.index[dataAreaID.Name]; ok && !q.crossCompany {
		q.conds = append(q.conds, t.whereEqual([]string{dataAreaID.Name}))
		q.args = append(q.args, company)
	}
	var expandErr error
	q.expand, expandErr = parseExpand(t, v.Get("$expand"))
	err := errors.Join(q.parseFilter(v.Get("$filter")), q.parseSelect(v.Get("$select")),
		q.parseOrderBy(v.Get("$orderby")), q.parseCount(v.Get("$count")), expandErr)
	if err == nil {
		err = errors.Join(parseCountOption(v, "$top", &q.top),
			parseCountOption(v, "$skip", &q.skip))
	}
	if err == nil {
		err = q.parseSkipToken(v.Get("$skiptoken"))
	}
	if err != nil {
		return nil, badRequest("The query specified in the URI is not valid. %v", err)
	}
	return q, nil
}

// parseShape reads the options a read by key accepts: $select and $expand.
func parseShape(t *table, v url.Values) (*query, error) {
	q := &query{t: t, top: -1}
	if err := repeatedOption(v); err != nil {
		return nil, err
	}
	for name := range v {
		if strings.HasPrefix(name, "$") && name != "$select" && name != "$expand" &&
			name != "$format" {
			return nil, badRequest("The query option '%s' does not apply to a single record; "+
				"use $select and $expand.", name)
		}
	}
	var err error
	if q.expand, err = parseExpand(t, v.Get("$expand")); err == nil {
		err = q.parseSelect(v.Get("$select"))
	}
	if err != nil {
		return nil, badRequest("The query specified in the URI is not valid. %v", err)
	}
	return q, nil
}

// repeatedOption refuses a query string that gives a system query option, or
// cross-company, more than once: which of the values counts would be a guess.
func repeatedOption(v url.Values) error {
	for _, name := range sortedNames(v) {
		if (strings.HasPrefix(name, "$") || name == "cross-company") && len(v[name]) > 1 {
			return badRequest("The query option '%s' is given %d times; give it once.", name,
				len(v[name]))
		}
	}
	return nil
}

// parseFilter compiles $filter into q's conditions.
func (q *query) parseFilter(src string) error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	cond, args, err := compileFilter(q.t, src)
	if err != nil {
		return fmt.Errorf("$filter: %w", err)
	}
	q.conds = append(q.conds, cond)
	q.args = append(q.args, args...)
	return nil
}

// parseSelect reads $select: property and navigation property names separated by commas,
// or *.
func (q *query) parseSelect(src string) error {
	if strings.TrimSpace(src) == "" || strings.TrimSpace(src) == "*" {
		return nil
	}
	seen := map[int]bool{}
	for _, name := range strings.Split(src, ",") {
		name = strings.TrimSpace(name)
		if _, ok := q.t.navs[name]; ok {
			q.selNavs = append(q.selNavs, name)
			continue
		}
		i, err := q.field("$select", name)
		if err != nil {
			return err
		}
		seen[i] = true
	}
	// Not nil even when only navigation properties are named: then no property is selected.
	q.sel = []int{}
	for i := range q.t.e.Fields { // catalogue order, as F&O answers
		if seen[i] {
			q.sel = append(q.sel, i)
		}
	}
	slices.Sort(q.selNavs)
	q.selNavs = slices.Compact(q.selNavs)
	return nil
}

// parseOrderBy reads $orderby: "Name [asc|desc]" items separated by commas.
func (q *query) parseOrderBy(src string) error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	for _, item := range strings.Split(src, ",") {
		words := strings.Fields(item)
		if len(words) == 0 || len(words) > 2 {
			return fmt.Errorf("$orderby: '%s' is not 'Property [asc|desc]'",
				strings.TrimSpace(item))
		}
		i, err := q.field("$orderby", words[0])
		if err != nil {
			return err
		}
		term := orderTerm{field: i}
		if len(words) == 2 {
			switch words[1] {
			case "asc":
			case "desc":
				term.desc = true
			default:
				return fmt.Errorf("$orderby: direction '%s' is not asc or desc", words[1])
			}
		}
		q.order = append(q.order, term)
	}
	return nil
}

// parseCount reads $count=true|false.
func (q *query) parseCount(src string) error {
	switch src {
	case "", "false":
	case "true":
		q.count = true
	default:
		return fmt.Errorf("$count: '%s' is not true or false", src)
	}
	return nil
}

// parseCountOption reads a non-negative integer option such as $top into dst.
func parseCountOption(v url.Values, name string, dst *int) error {
	src, ok := v[name]
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(src[0]))
	if err != nil || n < 0 {
		return fmt.Errorf("%s: '%s' is not a non-negative integer", name, src[0])
	}
	*dst = n
	return nil
}

// field returns the position of a property named in option.
func (q *query) field(option, name string) (int, error) {
	i, ok := q.t.index[name]
	if !ok {
		return 0, fmt.Errorf("%s: type '%s.%s' has no property named '%s' (names are case "+
			"sensitive)", option, namespace, q.t.e.Type, name)
	}
	return i, nil
}
