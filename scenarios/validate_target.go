package scenarios

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	legalEntityPattern = regexp.MustCompile(`^[a-z0-9]{1,4}$`)
	envNamePattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

func (c *checker) target() {
	t := c.s.Target
	urlGiven := c.s.fromFile("target.url")
	switch {
	case t.URL != "":
		c.url("target.url", t.URL)
	case urlGiven:
		c.fail("target.url", "empty: give the target's URL, or remove the key to run "+
			"against the embedded mock", "")
	}
	if urlGiven && t.URL != "" {
		if mock := c.s.givenUnder("target.mock"); mock != "" {
			c.fail(mock, "the embedded mock runs only when no target.url is given; "+
				"remove one of them", "")
		}
	}
	c.choose("target.format", "format", t.Format, Formats, plannedFormats)
	if t.Auth != nil {
		c.auth("target.auth", t.Auth)
	}
	if t.URL == "" {
		// The mock section matters only when no target is named and the mock runs.
		c.choose("target.mock.design", "design", t.Mock.Design, Designs, plannedDesigns)
		if t.Mock.Listen != "" {
			c.listen("target.mock.listen", t.Mock.Listen)
		}
	}
	c.legalEntities(t.LegalEntities)
}

// givenUnder returns the first key the file gave below path, or "".
func (s *Scenario) givenUnder(path string) string {
	var found []string
	for k := range s.keys {
		if strings.HasPrefix(k, path+".") {
			found = append(found, k)
		}
	}
	slices.Sort(found)
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

func (c *checker) legalEntities(entities []string) {
	const path = "target.legal_entities"
	if len(entities) == 0 {
		c.fail(path, "list at least one legal entity, such as usmf", "")
	}
	seen := make(map[string]bool)
	for i, le := range entities {
		at := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case !legalEntityPattern.MatchString(le):
			c.failf(at, "legal entity %q must be 1 to 4 letters or digits, like usmf", le)
		case seen[le]:
			c.failf(at, "legal entity %q is listed twice", le)
		}
		seen[le] = true
	}
}

// url checks that raw is an absolute http or https URL with a host.
func (c *checker) url(path, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		c.failf(path, "%q must be an http or https URL with a host, "+
			"such as http://127.0.0.1:9000", raw)
	}
}

// listen checks a host:port address for the mock to listen on.
func (c *checker) listen(path, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if n, errPort := strconv.Atoi(port); err != nil || errPort != nil || n < 0 || n > 65535 {
		c.failf(path, "%q must be host:port, such as 127.0.0.1:8365", addr)
	}
}

// auth checks OAuth client credentials. The secret itself never appears in a scenario:
// client_secret_env names the environment variable that holds it.
func (c *checker) auth(path string, a *Auth) {
	if a.TokenURL == "" {
		c.fail(path+".token_url", "missing: the OAuth 2.0 token endpoint", "")
	} else {
		c.url(path+".token_url", a.TokenURL)
	}
	if a.ClientID == "" {
		c.fail(path+".client_id", "missing: the application (client) id", "")
	}
	switch {
	case a.ClientSecretEnv == "":
		c.fail(path+".client_secret_env",
			"missing: the environment variable that holds the client secret", "")
	case !envNamePattern.MatchString(a.ClientSecretEnv):
		c.failf(path+".client_secret_env", "%q is not an environment variable name "+
			"(letters, digits and _, not starting with a digit)", a.ClientSecretEnv)
	}
	if a.Scope != "" && a.Resource != "" {
		c.fail(path, "give scope (v2 endpoints) or resource (v1 endpoints), not both", "")
	}
}

func (c *checker) verify() {
	src := c.s.Verify.Source
	if src == nil {
		return
	}
	if src.URL == "" {
		c.fail("verify.source.url", "missing: where to read the state back from", "")
	} else {
		c.url("verify.source.url", src.URL)
	}
	if src.Auth != nil {
		c.auth("verify.source.auth", src.Auth)
	}
}
