package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// catalogue holds the bundled scenarios, one file NAME.yaml per scenario.
//
//go:embed catalogue/*.yaml
var catalogue embed.FS

// Info describes a bundled scenario for listings.
type Info struct {
	Name        string // what Load takes, such as "quickstart"
	Description string // the scenario's description
}

// Bundled lists the bundled scenarios, sorted by name.
func Bundled() []Info {
	files, _ := fs.Glob(catalogue, "catalogue/*.yaml")
	infos := make([]Info, 0, len(files))
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".yaml")
		infos = append(infos, Info{Name: name, Description: bundledDescription(file)})
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name < infos[j].Name })
	return infos
}

// BundledSource returns the YAML of the bundled scenario name, as written, comments
// included. An unknown name gives an error that wraps fs.ErrNotExist.
func BundledSource(name string) ([]byte, error) {
	if !isBundledName(name) {
		return nil, fmt.Errorf("bundled scenario %q: %w", name, fs.ErrNotExist)
	}
	data, err := catalogue.ReadFile("catalogue/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("bundled scenario %q: %w", name, err)
	}
	return data, nil
}

// bundledSource is the Scenario.Source of a bundled scenario.
func bundledSource(name string) string { return "bundled:" + name }

// bundledDescription reads only the description of a bundled file; a broken file gives
// "" here, and the catalogue test fails on it.
func bundledDescription(file string) string {
	data, err := catalogue.ReadFile(file)
	if err != nil {
		return ""
	}
	var head struct {
		Description string `yaml:"description"`
	}
	if yaml.Unmarshal(data, &head) != nil {
		return ""
	}
	return head.Description
}
