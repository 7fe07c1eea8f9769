package scenarios

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
)

var listIndex = regexp.MustCompile(`\[\d+\]`)

// keyPaths lists every key path of the scenario format ("verify.settle",
// "faults.duplicate.rate", "flows[].lines"), built once from the Scenario type.
var keyPaths = sync.OnceValue(func() []string {
	var out []string
	walkKeys(reflect.TypeFor[Scenario](), "", &out)
	slices.Sort(out)
	return out
})

func walkKeys(t reflect.Type, path string, out *[]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			path += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == expectType {
		return
	}
	names, index := fieldsOf(t)
	for _, name := range names {
		child := joinKey(path, name)
		*out = append(*out, child)
		walkKeys(t.Field(index[name]).Type, child, out)
	}
}

// elsewhere returns where else in the format a key of this name belongs, such as
// "verify.settle" for a settle under load, or "" when it belongs nowhere else. Paths
// under a list read with [] for the index.
func elsewhere(key, path string) string {
	here := listIndex.ReplaceAllString(path, "[]")
	var found []string
	for _, p := range keyPaths() {
		if p != here && (p == key || strings.HasSuffix(p, "."+key)) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}
