package scenarios

import (
	"errors"
	"testing"
)

// Ensure production F&O hosts are refused unless allowed, and sandboxes and other hosts
// pass.
func TestCheckProduction(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		allow bool
		want  string // "" for no error
	}{
		{"loopback", "http://127.0.0.1:9000", false, ""},
		{"production", "https://contoso.operations.dynamics.com/data", false,
			"t.yaml:5:16: target.url: contoso.operations.dynamics.com looks like a " +
				"production F&O environment; stormcheck sends load there only when " +
				"production is allowed explicitly (--allow-production)"},
		{"production in capitals", "https://CONTOSO.Operations.Dynamics.com.", false,
			"t.yaml:5:16: target.url: contoso.operations.dynamics.com looks like a " +
				"production F&O environment; stormcheck sends load there only when " +
				"production is allowed explicitly (--allow-production)"},
		{"production allowed", "https://contoso.operations.dynamics.com", true, ""},
		{"sandbox", "https://contoso-uat.sandbox.operations.dynamics.com", false, ""},
		{"look-alike", "https://operations.dynamics.com.example.org", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustParse(t, minimal+"target: { url: \""+tt.url+"\" }\n")
			err := s.CheckProduction(tt.allow)
			var invalid *Error
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckProduction: %v, want nil", err)
			case tt.want != "" && (!errors.As(err, &invalid) || err.Error() != tt.want):
				t.Errorf("CheckProduction:\ngot  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// Ensure the read-back source is checked too.
func TestCheckProductionSource(t *testing.T) {
	s := MustParse(t, minimal+
		"verify: { source: { url: \"https://fin.operations.dynamics.com\" } }\n")
	err := s.CheckProduction(false)
	var invalid *Error
	if !errors.As(err, &invalid) || invalid.Problems[0].Key != "verify.source.url" {
		t.Errorf("CheckProduction = %v, want a problem at verify.source.url", err)
	}
}

func TestProductionHostsByLabel(t *testing.T) {
	for host, prod := range map[string]bool{
		"contoso.operations.dynamics.com":            true,
		"contoso.sandbox.operations.dynamics.com":    false,
		"sandboxcontoso.operations.dynamics.com":     true,
		"contoso.operations.eu.dynamics.com":         true,
		"contoso.operations.dynamics.cn":             true,
		"contoso.sandbox.operations.gov.dynamics.us": false,
		"operations.example.com":                     false,
		"contoso.axcloud.dynamics.com":               false,
		"CONTOSO.OPERATIONS.DYNAMICS.COM.":           true,
	} {
		if _, got := productionHost("https://" + host + "/data"); got != prod {
			t.Errorf("%s: production %v, want %v", host, got, prod)
		}
	}
}
