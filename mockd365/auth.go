package mockd365

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Authentication follows Microsoft Entra ID's client-credentials flow as F&O integrations
// use it (reference §4): a token endpoint in the v1 form (form field resource, at
// /{tenant}/oauth2/token) and the v2 form (scope "<resource>/.default", at
// /{tenant}/oauth2/v2.0/token), and a bearer token on every /data request. F&O answers 401
// to a missing, malformed, expired or foreign token (audience not the environment's URL, or
// an app not registered in F&O). The mock's tokens are JWT-shaped and signed with HMAC; they
// are not Entra tokens and carry no real identity.

// DefaultTokenLifetime is the lifetime of a token when Auth.TokenLifetime is zero: Entra's
// default is randomised around 60–90 minutes (reference §4, recalled).
const DefaultTokenLifetime = time.Hour

// Auth configures the token endpoint and the bearer-token check of /data. The zero value
// is off: /data needs no token, as the embedded mock of a run without target.auth.
type Auth struct {
	Enabled bool
	// TokenLifetime is how long a token is valid; 0 means DefaultTokenLifetime. Short
	// lifetimes make a run exercise its token refresh.
	TokenLifetime time.Duration
	// Clients maps the client ids the token endpoint knows to their secrets, and doubles as
	// F&O's list of registered Entra applications. Empty: any client id with a non-empty
	// secret gets a token.
	Clients map[string]string
	// Audience is the environment URL a token must be issued for (v1 resource, or the v2
	// scope without "/.default"), compared exactly, so a trailing slash is a wrong audience
	// as with F&O. "" means the server's URL (http://127.0.0.1:PORT).
	Audience string
}

// tokenLifetime returns the configured lifetime or the default.
func (a Auth) tokenLifetime() time.Duration {
	if a.TokenLifetime > 0 {
		return a.TokenLifetime
	}
	return DefaultTokenLifetime
}

// signingKey signs the mock's tokens. It is fixed, so tokens stay valid across restarts of
// the mock, as Entra tokens do across restarts of F&O.
var signingKey = sha256.Sum256([]byte("mockd365 token signing key"))

// claims are the members of a mock token's payload.
type claims struct {
	Aud   string `json:"aud"`
	Iss   string `json:"iss"`
	AppID string `json:"appid"`
	Tid   string `json:"tid"`
	Ver   string `json:"ver"`
	Iat   int64  `json:"iat"`
	Nbf   int64  `json:"nbf"`
	Exp   int64  `json:"exp"`
}

// tokenPath reports whether path is a token endpoint, and which version: "1.0" for
// /oauth2/token, "2.0" for /oauth2/v2.0/token, each with or without a tenant segment.
func tokenPath(path string) (string, bool) {
	trimmed := strings.Trim(path, "/")
	parts := strings.Split(trimmed, "/")
	if len(parts) > 0 && parts[0] != "oauth2" {
		parts = parts[1:] // the tenant
	}
	switch strings.Join(parts, "/") {
	case "oauth2/token":
		return "1.0", true
	case "oauth2/v2.0/token":
		return "2.0", true
	}
	return "", false
}

// handleToken answers the client-credentials grant, in the form of the endpoint's version.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, version string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		entraError(w, http.StatusMethodNotAllowed, "invalid_request", 900561,
			"The endpoint only accepts POST requests.")
		return
	}
	if err := r.ParseForm(); err != nil {
		entraError(w, http.StatusBadRequest, "invalid_request", 900144,
			"The request body must be application/x-www-form-urlencoded: "+err.Error())
		return
	}
	form := r.PostForm
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if id, pw, ok := r.BasicAuth(); ok && clientID == "" {
		clientID, secret = id, pw
	}
	aud, field := form.Get("resource"), "resource"
	if version == "2.0" {
		aud, field = form.Get("scope"), "scope"
	}
	switch {
	case form.Get("grant_type") == "":
		entraError(w, http.StatusBadRequest, "invalid_request", 900144, missingParam("grant_type"))
	case form.Get("grant_type") != "client_credentials":
		entraError(w, http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '"+form.Get("grant_type")+"'; "+
				"mockd365 serves client_credentials only.")
	case clientID == "":
		entraError(w, http.StatusBadRequest, "invalid_request", 900144, missingParam("client_id"))
	case aud == "":
		entraError(w, http.StatusBadRequest, "invalid_request", 900144, missingParam(field))
	case version == "2.0" && !strings.HasSuffix(aud, "/.default"):
		entraError(w, http.StatusBadRequest, "invalid_scope", 1002012,
			"The provided value for scope "+aud+" is not valid. Client credential flows must "+
				"have a scope value with /.default suffixed to the resource identifier "+
				"(application ID URI).")
	case s.unknownClient(clientID):
		entraError(w, http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '"+clientID+"' was not found in the directory.")
	case secret == "":
		entraError(w, http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or "+
				"'client_secret'.")
	case !s.secretMatches(clientID, secret):
		entraError(w, http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is "+
				"the client secret value, not the client secret ID, for a secret added to app '"+
				clientID+"'.")
	default:
		s.issueToken(w, r, version, clientID, strings.TrimSuffix(aud, "/.default"))
	}
}

// unknownClient reports whether client ids are configured and id is not one of them.
func (s *Server) unknownClient(id string) bool {
	_, ok := s.opts.Auth.Clients[id]
	return len(s.opts.Auth.Clients) > 0 && !ok
}

// secretMatches checks a client's secret, when client ids are configured.
func (s *Server) secretMatches(id, secret string) bool {
	if len(s.opts.Auth.Clients) == 0 {
		return true
	}
	return hmac.Equal([]byte(s.opts.Auth.Clients[id]), []byte(secret))
}

// issueToken answers a token for client id and audience aud.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, version, id, aud string) {
	now := s.now()
	life := s.opts.Auth.tokenLifetime()
	tenant := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	if tenant == "oauth2" {
		tenant = "common"
	}
	c := claims{Aud: aud, Iss: "https://sts.windows.net/" + tenant + "/", AppID: id,
		Tid: tenant, Ver: version, Iat: now.Unix(), Nbf: now.Unix(),
		Exp: now.Add(life).Unix()}
	token := signToken(c)
	secs := int64(life / time.Second)
	var body any
	if version == "2.0" {
		body = map[string]any{"token_type": "Bearer", "expires_in": secs,
			"ext_expires_in": secs, "access_token": token}
	} else { // v1 returns its numbers as strings
		body = map[string]any{"token_type": "Bearer", "expires_in": strconv.FormatInt(secs, 10),
			"ext_expires_in": strconv.FormatInt(secs, 10),
			"expires_on":     strconv.FormatInt(c.Exp, 10),
			"not_before":     strconv.FormatInt(c.Nbf, 10), "resource": aud,
			"access_token": token}
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, body)
}

// signToken returns c as a JWT-shaped token signed with the mock's key.
func signToken(c claims) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))
	payload, _ := json.Marshal(c) // fixed types only
	unsigned := head + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, signingKey[:])
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

// parseToken checks a token's signature and returns its claims.
func parseToken(token string) (claims, bool) {
	var c claims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c, false
	}
	mac := hmac.New(sha256.New, signingKey[:])
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return c, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return c, false
	}
	return c, true
}

// authenticate checks r's bearer token and returns the client id it was issued to, or why
// it is refused.
func (s *Server) authenticate(r *http.Request) (string, string) {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return "", "no Authorization header"
	case !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "":
		return "", "the Authorization header is not 'Bearer <token>'"
	}
	c, ok := parseToken(strings.TrimSpace(token))
	now := s.now().Unix()
	aud := s.opts.Auth.Audience
	if aud == "" {
		aud = s.baseURL(r)
	}
	switch {
	case !ok:
		return "", "the bearer token is malformed or its signature is not valid"
	case now >= c.Exp:
		return c.AppID, fmt.Sprintf("the token expired %s ago",
			time.Duration(now-c.Exp)*time.Second)
	case now < c.Nbf:
		return c.AppID, "the token is not valid yet"
	case c.Aud != aud:
		return c.AppID, fmt.Sprintf("the token's audience '%s' is not this environment '%s'",
			c.Aud, aud)
	case s.unknownClient(c.AppID):
		return c.AppID, fmt.Sprintf("application '%s' is not registered in Microsoft Entra "+
			"ID applications", c.AppID)
	}
	return c.AppID, ""
}

// unauthorized is F&O's 401: field reports describe an empty body (reference §4). The
// reason goes to the integration log only.
func unauthorized(reason string) answer {
	return answer{status: http.StatusUnauthorized, reason: "401 Unauthorized: " + reason,
		extra: http.Header{"Www-Authenticate": {`Bearer`}}}
}

// missingParam is Entra's text for a missing form field.
func missingParam(name string) string {
	return "The request body must contain the following parameter: '" + name + "'."
}

// entraError writes an error of the token endpoint in Entra's shape.
func entraError(w http.ResponseWriter, status int, code string, aadsts int, text string) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s", aadsts, text),
		"error_codes":       []int{aadsts},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          newUUID(),
		"correlation_id":    newUUID(),
	})
}

// clientKey carries the authenticated client id in a request's context.
const clientKey ctxKey = 100

// clientOf returns the client id admit found for r, or "".
func clientOf(r *http.Request) string {
	id, _ := r.Context().Value(clientKey).(string)
	return id
}

// admit lets a /data request through authentication, when it is on, then throttling. It
// returns the request carrying its client id, or the answer that refuses it.
func (s *Server) admit(r *http.Request, ex *exchange) (*http.Request, answer, bool) {
	if s.opts.Auth.Enabled {
		id, reason := s.authenticate(r)
		ex.client = id
		if reason != "" {
			return r, unauthorized(reason), false
		}
		r = r.WithContext(context.WithValue(r.Context(), clientKey, id))
	}
	if ans, ok := s.throttle.admit(ex.client, s.now()); !ok {
		return r, ans, false
	}
	return r, answer{}, true
}
