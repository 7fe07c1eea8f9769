package scenarios

import (
	"net/url"
	"strings"
)

// An F&O environment's host has a label "operations" followed by a Dynamics domain
// (dynamics.com, and the sovereign clouds' dynamics.cn and dynamics.us); a sandbox has the
// label "sandbox" right before "operations" (contoso.sandbox.operations.dynamics.com).
var dynamicsDomains = []string{"dynamics.com", "dynamics.cn", "dynamics.us"}

// CheckProduction refuses a scenario that would send load to, or read state back from,
// a host that looks like a production Dynamics 365 F&O environment (an "operations" host
// of a Dynamics domain whose label before it is not "sandbox"), unless allow is true. The refusal
// is an *Error placed at the offending URL. Validate does not make this check, so that
// the caller can decide from its own flags (the CLI's --allow-production).
func (s *Scenario) CheckProduction(allow bool) error {
	if allow {
		return nil
	}
	c := &checker{s: s}
	c.production("target.url", s.Target.URL)
	if s.Verify.Source != nil {
		c.production("verify.source.url", s.Verify.Source.URL)
	}
	return newError(c.problems)
}

func (c *checker) production(path, raw string) {
	if host, ok := productionHost(raw); ok {
		c.failf(path, "%s looks like a production F&O environment; "+
			"stormcheck sends load there only when production is allowed "+
			"explicitly (--allow-production)", host)
	}
}

// LooksLikeProduction returns the host of a URL and whether it looks like a production F&O
// environment, by the rule CheckProduction applies.
func LooksLikeProduction(rawURL string) (host string, production bool) {
	return productionHost(rawURL)
}

// productionHost returns the host of raw and whether it looks like production F&O.
func productionHost(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err == nil && u.Host == "" {
		// Without a scheme the host reads as a path; look at it as a host anyway.
		u, err = url.Parse("https://" + raw)
	}
	if err != nil {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	labels := strings.Split(host, ".")
	for i, label := range labels {
		if label != "operations" {
			continue
		}
		rest := strings.Join(labels[i+1:], ".")
		for _, d := range dynamicsDomains {
			if rest == d || strings.HasSuffix(rest, "."+d) {
				return host, i == 0 || labels[i-1] != "sandbox"
			}
		}
	}
	return host, false
}
