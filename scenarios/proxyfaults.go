package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProxyFaults is the faults file of the chaos proxy: a seed and the faults section of a
// scenario, limited to the faults that act on single requests (ack_loss and transport),
// since a proxy sees requests, not the messages and documents behind them:
//
//	seed: 7
//	faults:
//	  ack_loss: { rate: 1% }
//	  transport: { error_rate: 2%, status: 429, retry_after: 5s, latency: 0ms-40ms }
type ProxyFaults struct {
	Seed   *uint64 `yaml:"seed,omitempty"`
	Faults Faults  `yaml:"faults"`
}

// ParseProxyFaults decodes and validates a proxy faults file as strictly as a scenario;
// problems are an *Error naming file, line, column and key.
func ParseProxyFaults(data []byte, source string) (*ProxyFaults, error) {
	root, problems := parseYAML(data, source, "faults file")
	if len(problems) > 0 {
		return nil, newError(problems)
	}
	pf := &ProxyFaults{}
	d := &decoder{file: source, keys: map[string]position{"": posOf(root)}}
	d.value(root, reflect.ValueOf(pf).Elem(), "")
	if len(d.problems) > 0 {
		return nil, newError(proxyProblems(d.problems))
	}
	shell := &Scenario{Source: source, Faults: pf.Faults, keys: d.keys}
	shell.defaultFaults()
	pf.Faults = shell.Faults
	c := &checker{s: shell}
	c.faults()
	c.proxyOnly(pf.Faults)
	if len(c.problems) > 0 {
		return nil, newError(c.problems)
	}
	return pf, nil
}

// proxyFaultKeys are the faults a proxy applies.
var proxyFaultKeys = []string{"ack_loss", "transport"}

// proxyProblems rewrites the decoder's unknown-key problems for a faults file: under
// faults, the keys offered are the two faults a proxy applies; at the top, a whole
// scenario given as a faults file is said once, not key by key.
func proxyProblems(problems []Problem) []Problem {
	var out []Problem
	scenario := false
	for _, p := range problems {
		if !strings.HasPrefix(p.Msg, "unknown key") {
			out = append(out, p)
			continue
		}
		parent, key := splitKey(p.Key)
		switch {
		case parent == "" && isScenarioKey(key):
			if !scenario {
				p.Msg, p.Hint = "this looks like a scenario; a faults file holds only seed and "+
					"faults (ack_loss and transport): copy those into a file of their own", ""
				out = append(out, p)
			}
			scenario = true
		case parent == "faults":
			p.Msg, p.Hint = "unknown key", nearest(key, proxyFaultKeys)
			if p.Hint == "" {
				p.Msg = "unknown key; the proxy applies " + strings.Join(proxyFaultKeys, " and ")
			}
			out = append(out, p)
		default:
			out = append(out, p)
		}
	}
	return out
}

func splitKey(path string) (parent, key string) {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], path[i+1:]
	}
	return "", path
}

func isScenarioKey(key string) bool {
	names, _ := fieldsOf(reflect.TypeFor[Scenario]())
	return slices.Contains(names, key)
}

// proxyOnly refuses the faults a proxy cannot apply.
func (c *checker) proxyOnly(f Faults) {
	for path, set := range map[string]bool{
		"faults.duplicate": f.Duplicate != nil, "faults.malformed": f.Malformed != nil,
		"faults.reorder": f.Reorder != nil, "faults.restart": f.Restart != nil,
		"faults.burst": f.Burst != nil,
	} {
		if set {
			c.fail(path, "the proxy sees requests, not messages: it applies only ack_loss "+
				"and transport; put this fault in a scenario", "")
		}
	}
}

// MarshalProxyFaults writes a proxy faults file in the notation ParseProxyFaults reads
// ("2%", "5s"), with the seed in force, so that what a proxy shows can be sent back to it.
func MarshalProxyFaults(pf *ProxyFaults, seed uint64) ([]byte, error) {
	out := *pf
	out.Seed = &seed
	root := encode(reflect.ValueOf(&out).Elem(), "")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("marshal proxy faults: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshal proxy faults: %w", err)
	}
	return buf.Bytes(), nil
}
