package faults

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxRewrittenBody bounds the answers whose links the proxy rewrites; a larger answer
// passes as it came. An F&O page of 10,000 records stays well below it.
const maxRewrittenBody = 64 << 20

type proxyOriginKey struct{}

// withProxyOrigin returns a context that carries the origin ("http://host:port") the
// client used to reach the proxy.
func withProxyOrigin(ctx context.Context, origin string) context.Context {
	return context.WithValue(ctx, proxyOriginKey{}, origin)
}

// linkRewriter makes the upstream's absolute links point at the proxy: OData answers name
// their own service root in @odata.context, @odata.nextLink and Location, and a client
// that followed them straight to the upstream would leave the proxy's faults behind from
// the second page on. It rewrites JSON and XML answers and the Location header.
type linkRewriter struct {
	next     http.RoundTripper
	upstream string // origin of the upstream, "http://host:port"
}

// RoundTrip implements http.RoundTripper.
func (lr linkRewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := lr.next.RoundTrip(req)
	origin, _ := req.Context().Value(proxyOriginKey{}).(string)
	if err != nil || origin == "" || origin == lr.upstream {
		return resp, err
	}
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, lr.upstream) {
		resp.Header.Set("Location", origin+loc[len(lr.upstream):])
	}
	if !rewritable(resp) {
		return resp, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRewrittenBody+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(body) <= maxRewrittenBody {
		body = bytes.ReplaceAll(body, []byte(lr.upstream), []byte(origin))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}

func rewritable(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	return resp.Header.Get("Content-Encoding") == "" &&
		(strings.Contains(ct, "json") || strings.Contains(ct, "xml"))
}
