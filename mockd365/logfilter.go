package mockd365

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The parameters of GET /admin/log, and the values its filters with a fixed set can take.
var (
	logParams   = []string{"after", "limit", "outcome", "entity", "status", "method"}
	logOutcomes = []string{outcomeReceived, outcomeValidated, outcomeCommitted, outcomeFailed}
	logMethods  = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodConnect,
		http.MethodTrace}
)

// maxLogLimit is the largest page of /admin/log.
const maxLogLimit = 10000

// logFilter reads the parameters of GET /admin/log into SQL conditions on integration_log,
// their arguments and the page size. The error names the parameter that is wrong and what
// it may be.
func logFilter(q url.Values) (conds []string, args []any, limit int, err error) {
	for _, name := range sortedNames(q) {
		switch {
		case !slices.Contains(logParams, name):
			return nil, nil, 0, fmt.Errorf("unknown parameter %q; /admin/log reads %s", name,
				strings.Join(logParams, ", "))
		case len(q[name]) > 1:
			return nil, nil, 0, fmt.Errorf("parameter %q is given %d times; give it once",
				name, len(q[name]))
		}
	}
	after, err := strconv.ParseInt(cmp.Or(q.Get("after"), "0"), 10, 64)
	if err != nil || after < 0 {
		return nil, nil, 0, fmt.Errorf("after %q is not a log id (a whole number, 0 or more)",
			q.Get("after"))
	}
	limit, err = strconv.Atoi(cmp.Or(q.Get("limit"), "100"))
	if err != nil || limit < 1 || limit > maxLogLimit {
		return nil, nil, 0, fmt.Errorf("limit %q is not a whole number from 1 to %d",
			q.Get("limit"), maxLogLimit)
	}
	conds, args = []string{"id > ?"}, []any{after}
	for _, name := range []string{"outcome", "entity", "status", "method"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		arg, err := logValue(name, v)
		if err != nil {
			return nil, nil, 0, err
		}
		conds, args = append(conds, name+" = ?"), append(args, arg)
	}
	return conds, args, limit, nil
}

// logValue checks the value of a filter of /admin/log and returns it as the column holds it.
func logValue(name, v string) (any, error) {
	switch name {
	case "outcome":
		if !slices.Contains(logOutcomes, v) {
			return nil, fmt.Errorf("outcome %q is not one of %s", v,
				strings.Join(logOutcomes, ", "))
		}
	case "entity":
		return v, knownEntity(v)
	case "status":
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 || n > 599 {
			return nil, fmt.Errorf("status %q is not an HTTP status (a number from 100 to 599)",
				v)
		}
		return n, nil
	case "method":
		if m := strings.ToUpper(v); slices.Contains(logMethods, m) {
			return m, nil
		}
		return nil, fmt.Errorf("method %q is not one of %s", v, strings.Join(logMethods, ", "))
	}
	return v, nil
}

// knownEntity reports an entity filter that names no collection of the catalogue.
func knownEntity(v string) error {
	names := make([]string, len(Catalogue))
	for i := range Catalogue {
		names[i] = Catalogue[i].Collection
		if names[i] == v {
			return nil
		}
	}
	return fmt.Errorf("entity %q is not an entity set of the mock (names are case sensitive): "+
		"%s", v, strings.Join(names, ", "))
}
