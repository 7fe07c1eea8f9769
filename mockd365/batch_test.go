package mockd365

import (
	"net/http"
	"strings"
	"testing"
)

// Ensure a $batch body that is not multipart, or that is cut before its closing delimiter,
// is a 400 saying so, and not a 200 holding an empty or partial batch.
func TestBatchBodyNotMultipart(t *testing.T) {
	s := mustServer(t, Options{})
	cut := strings.TrimSuffix(batchBody("GET VendorsV2\n"), "--batch_1--\r\n")
	changesetCut := "--batch_1\r\nContent-Type: multipart/mixed; boundary=cs_1\r\n\r\n" +
		"--cs_1\r\nContent-Type: application/http\r\n\r\nPOST VendorsV2 HTTP/1.1\r\n\r\n{}\r\n" +
		"--batch_1--\r\n"
	for _, tt := range []struct{ name, body, want string }{
		{"not multipart", "hello", "The $batch body is not multipart/mixed: no line " +
			"'--batch_1' starts a part, although the Content-Type names the boundary 'batch_1'."},
		{"no closing delimiter", cut, "The $batch body ends inside the request 'GET " +
			"VendorsV2 HTTP/1.1', without the delimiter line that ends the request."},
		{"changeset without closing delimiter", changesetCut, "A changeset of the $batch ends " +
			"inside the request 'POST VendorsV2 HTTP/1.1', without the delimiter line that " +
			"ends the request."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, http.MethodPost, s.URL+"/data/$batch", tt.body, "Content-Type",
				"multipart/mixed; boundary=batch_1").mustStatus(t, http.StatusBadRequest)
			if got := r.fault(t).Error.Message; got != tt.want {
				t.Errorf("message:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Ensure a $batch request inside a batch, by a relative or an absolute URL, in a changeset
// or not, is refused with a message about nested batches, and a relative $metadata URL is
// served.
func TestBatchNestedBatchURL(t *testing.T) {
	s := mustServer(t, Options{})
	const nested = "A $batch request cannot hold another $batch request; send the requests " +
		"of the inner batch as parts of the outer one."
	body := batchBody("POST $batch\n", []string{"POST /data/$batch\n"}, "GET $metadata\n")
	r := do(t, http.MethodPost, s.URL+"/data/$batch", body, "Content-Type",
		"multipart/mixed; boundary=batch_1").mustStatus(t, http.StatusOK)
	if n := strings.Count(r.body, `"innererror":{"message":"`+nested); n != 2 {
		t.Errorf("%d parts say %q, want 2:\n%s", n, nested, r.body)
	}
	if strings.Contains(r.body, "Content-ID reference") {
		t.Errorf("a nested batch is blamed on Content-ID references:\n%s", r.body)
	}
	if !strings.Contains(r.body, "HTTP/1.1 200 OK\r\nContent-Type: application/xml") {
		t.Errorf("the $metadata part is not served:\n%s", r.body)
	}
}
