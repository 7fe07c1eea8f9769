package verify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stormcheck/stormcheck/auth"
	"github.com/stormcheck/stormcheck/scenarios"
)

const testSecret = "s3cr3t-do-not-print"

// tokenServer is a loopback OAuth 2.0 token endpoint for client credentials, at
// /tenant/oauth2/token (v1) and /tenant/oauth2/v2.0/token (v2). It hands out one token
// per request and records the forms it got.
type tokenServer struct {
	mu     sync.Mutex
	forms  []url.Values
	issued []string
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.forms = append(ts.forms, r.PostForm)
	w.Header().Set("Content-Type", "application/json")
	if r.PostForm.Get("client_secret") != testSecret {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid `+
			`client secret provided."}`)
		return
	}
	token := fmt.Sprintf("token-%d", len(ts.issued)+1)
	ts.issued = append(ts.issued, token)
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3599}`, token)
}

// guarded serves o only to requests that carry a token tokens issued.
func guarded(ts *tokenServer, o http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ok := len(ts.issued) > 0 && r.Header.Get("Authorization") == "Bearer "+ts.issued[0]
		ts.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		o.ServeHTTP(w, r)
	})
}

func env(name string) (string, bool) {
	if name == "STORMCHECK_TEST_SECRET" {
		return testSecret, true
	}
	return "", false
}

func TestAuthorizeReadsBackWithClientCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, path, scope, resource string
		want                        url.Values // the audience fields of the token request
	}{
		{"v2 scope", "/tenant/oauth2/v2.0/token", "https://env.example/.default", "",
			url.Values{"scope": {"https://env.example/.default"}}},
		{"v1 resource", "/tenant/oauth2/token", "", "https://env.example",
			url.Values{"resource": {"https://env.example"}}},
		{"v2 without scope asks for the source", "/tenant/oauth2/v2.0/token", "", "",
			url.Values{"scope": {"SOURCE/.default"}}},
		{"v1 without resource asks for the source", "/tenant/oauth2/token", "", "",
			url.Values{"resource": {"SOURCE"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := &tokenServer{}
			tokens := httptest.NewServer(ts)
			defer tokens.Close()
			data := httptest.NewServer(guarded(ts, &odata{t: t}))
			defer data.Close()

			creds := &scenarios.Auth{TokenURL: tokens.URL + tc.path, ClientID: "integration-app",
				ClientSecretEnv: "STORMCHECK_TEST_SECRET", Scope: tc.scope, Resource: tc.resource}
			rt, err := auth.Authorize(context.Background(), http.DefaultTransport, creds, data.URL, env)
			if err != nil {
				t.Fatal(err)
			}
			st, err := ReadBack(context.Background(), Source{URL: data.URL, Prefix: "SCX",
				Client: &http.Client{Transport: rt}}, newLedger(t))
			if err != nil || st.Records != 3 {
				t.Fatalf("ReadBack = %+v, %v; want 3 records", st, err)
			}
			if len(ts.forms) != 1 {
				t.Fatalf("%d token requests for %d reads, want 1", len(ts.forms), st.Requests)
			}
			f := ts.forms[0]
			if f.Get("grant_type") != "client_credentials" ||
				f.Get("client_id") != "integration-app" {
				t.Errorf("token request %v", f)
			}
			for k, v := range tc.want {
				want := strings.ReplaceAll(v[0], "SOURCE", data.URL)
				if f.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, f.Get(k), want)
				}
			}
			for _, k := range []string{"scope", "resource"} {
				if _, wanted := tc.want[k]; !wanted && f.Has(k) {
					t.Errorf("token request has %s %q, want none", k, f.Get(k))
				}
			}
		})
	}
}

func TestAuthorizeFailuresNeverShowTheSecret(t *testing.T) {
	ts := &tokenServer{}
	tokens := httptest.NewServer(ts)
	defer tokens.Close()
	data := httptest.NewServer(guarded(ts, &odata{t: t}))
	defer data.Close()

	creds := &scenarios.Auth{TokenURL: tokens.URL + "/t/oauth2/v2.0/token", ClientID: "app",
		ClientSecretEnv: "STORMCHECK_MISSING_SECRET"}
	_, err := auth.Authorize(context.Background(), nil, creds, data.URL, env)
	if err == nil || err.Error() != "client secret: environment variable "+
		"STORMCHECK_MISSING_SECRET is not set" {
		t.Fatalf("Authorize without a secret = %v", err)
	}

	wrong := func(string) (string, bool) { return "wrong-" + testSecret, true }
	creds.ClientSecretEnv = "STORMCHECK_TEST_SECRET"
	rt, err := auth.Authorize(context.Background(), nil, creds, data.URL, wrong)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadBack(context.Background(), Source{URL: data.URL, Prefix: "SCX",
		Client: &http.Client{Transport: rt}}, newLedger(t))
	if err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("ReadBack with a wrong secret = %v, want the token endpoint's refusal", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Fatalf("the error shows the secret: %v", err)
	}
}
