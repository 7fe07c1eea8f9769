// Package auth gives HTTP clients the OAuth 2.0 client-credentials tokens that Dynamics
// 365 F&O expects from integrations, for the load and for reading state back.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/stormcheck/stormcheck/scenarios"
)

// tokenTimeout bounds one request to the token endpoint.
const tokenTimeout = 30 * time.Second

// Authorize returns a RoundTripper that sends every request through base with a bearer
// token from OAuth 2.0 client credentials, as F&O's app registrations use them. The token
// is fetched on the first request and again before it expires.
//
// The client secret is read from the environment variable a.ClientSecretEnv through
// lookup (os.LookupEnv in the CLI); it never appears in an error. The token endpoint
// gets a.Scope (v2 endpoints) or a.Resource (v1 endpoints); when the scenario gives
// neither, the service root serviceURL is asked for: as the scope "<serviceURL>/.default"
// when the token URL's path has "/v2.0/", else as the resource.
func Authorize(ctx context.Context, base http.RoundTripper, a *scenarios.Auth,
	serviceURL string, lookup func(string) (string, bool)) (http.RoundTripper, error) {
	secret, ok := lookup(a.ClientSecretEnv)
	if !ok || secret == "" {
		return nil, fmt.Errorf("client secret: environment variable %s is not set",
			a.ClientSecretEnv)
	}
	cfg := clientcredentials.Config{
		ClientID: a.ClientID, ClientSecret: secret, TokenURL: a.TokenURL,
		AuthStyle: oauth2.AuthStyleInParams,
	}
	scope, resource := audience(a, serviceURL)
	if scope != "" {
		cfg.Scopes = []string{scope}
	}
	if resource != "" {
		cfg.EndpointParams = url.Values{"resource": {resource}}
	}
	if base == nil {
		base = http.DefaultTransport
	}
	tokenClient := &http.Client{Transport: base, Timeout: tokenTimeout}
	tokens := cfg.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, tokenClient))
	return &oauth2.Transport{Source: tokens, Base: base}, nil
}

// audience returns the scope or the resource a token is asked for.
func audience(a *scenarios.Auth, serviceURL string) (scope, resource string) {
	switch {
	case a.Scope != "" || a.Resource != "":
		return a.Scope, a.Resource
	case strings.Contains(a.TokenURL, "/v2.0/"):
		return strings.TrimRight(serviceURL, "/") + "/.default", ""
	}
	return "", strings.TrimRight(serviceURL, "/")
}

// Refused reports whether err is the token endpoint refusing the credentials (a wrong
// secret, an unknown client): trying again cannot help.
func Refused(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re)
}
