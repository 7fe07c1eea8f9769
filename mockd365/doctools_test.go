package mockd365

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/itchyny/gojq"
	"github.com/spf13/pflag"
	"mvdan.cc/sh/v3/interp"
)

// The commands that the examples run besides the shell's builtins and the session's own:
// curl, which talks to the session's mocks, jq (gojq), seq and head.

// A curlRequest is what the curl of the examples sends, and how it shows the answer.
type curlRequest struct {
	method   string
	url      string
	headers  []string // "Name: value"
	data     []string // -d and --data-binary values, which curl joins with &
	include  bool     // -i: the status line and headers before the body
	output   string   // -o: where the body goes; "" is stdout
	writeOut string   // -w
	user     string   // -u user:password
}

// curl runs the examples' curl: -s -S -i -X -H -d --data-binary (with @file) -o -w -u,
// against the mock the URL's host:port names. It sends the request line as curl does, with
// the URL as written, and shows the answer's status line and headers as the server sent
// them.
func (sess *docSession) curl(hc interp.HandlerContext, args []string) error {
	req, err := parseCurl(hc.Dir, args)
	if err != nil {
		return err
	}
	start := sess.clock.Now()
	head, resp, body, err := sess.exchange(req)
	if err != nil {
		return err
	}
	if req.include {
		body = append(head, body...)
	}
	if req.output != "" {
		err = os.WriteFile(inDir(hc.Dir, req.output), body, 0o644)
	} else {
		_, err = hc.Stdout.Write(body)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(hc.Stdout, writeOut(req.writeOut, resp, sess.clock.Now().Sub(start)))
	return err
}

// parseCurl reads curl's arguments; files are in dir.
func parseCurl(dir string, args []string) (*curlRequest, error) {
	req := &curlRequest{}
	fs := pflag.NewFlagSet("curl", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolP("silent", "s", false, "")
	fs.BoolP("show-error", "S", false, "")
	fs.BoolVarP(&req.include, "include", "i", false, "")
	fs.StringVarP(&req.method, "request", "X", "", "")
	fs.StringArrayVarP(&req.headers, "header", "H", nil, "")
	form := fs.StringArrayP("data", "d", nil, "")
	binary := fs.StringArray("data-binary", nil, "")
	fs.StringVarP(&req.output, "output", "o", "", "")
	fs.StringVarP(&req.writeOut, "write-out", "w", "", "")
	fs.StringVarP(&req.user, "user", "u", "", "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() != 1 {
		return nil, fmt.Errorf("want one URL, got %q", fs.Args())
	}
	req.url = fs.Arg(0)
	// curl joins the values in the order given; -d first is the same while an example
	// uses one kind.
	for i, d := range append(*form, *binary...) {
		b, err := curlData(dir, d, i < len(*form))
		if err != nil {
			return nil, err
		}
		req.data = append(req.data, b)
	}
	if req.method == "" {
		req.method = map[bool]string{true: http.MethodPost, false: http.MethodGet}[req.data != nil]
	}
	return req, nil
}

// curlData returns a -d or --data-binary value: @file reads the file, and -d drops its
// line breaks as curl does.
func curlData(dir, d string, form bool) (string, error) {
	name, ok := strings.CutPrefix(d, "@")
	if !ok {
		return d, nil
	}
	b, err := os.ReadFile(inDir(dir, name))
	if form {
		b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), nil)
	}
	return string(b), err
}

// inDir returns the path of a file name given in dir.
func inDir(dir, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// exchange sends req to the mock its URL names and returns the raw status line and headers,
// the parsed response and the body.
func (sess *docSession) exchange(req *curlRequest) ([]byte, *http.Response, []byte, error) {
	hostPort, target, err := splitURL(req.url)
	if err != nil {
		return nil, nil, nil, err
	}
	s := sess.mocks[hostPort]
	if s == nil {
		return nil, nil, nil, fmt.Errorf("no mock was started for %s", hostPort)
	}
	conn, err := net.DialTimeout("tcp", s.ln.Addr().String(), 10*time.Second)
	if err != nil {
		return nil, nil, nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute)) //nolint:errcheck // a fresh connection
	if _, err := conn.Write(req.wire(hostPort, target)); err != nil {
		return nil, nil, nil, err
	}
	return readAnswer(conn, req.method)
}

// splitURL returns the host:port of an http URL and the request target after it.
func splitURL(raw string) (string, string, error) {
	rest, ok := strings.CutPrefix(raw, "http://")
	if !ok {
		return "", "", fmt.Errorf("URL %q is not http://", raw)
	}
	hostPort, path, _ := strings.Cut(rest, "/")
	return hostPort, "/" + path, nil
}

// wire returns the request as curl writes it.
func (req *curlRequest) wire(hostPort, target string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n",
		req.method, target, hostPort)
	if req.user != "" {
		fmt.Fprintf(&b, "Authorization: Basic %s\r\n",
			base64.StdEncoding.EncodeToString([]byte(req.user)))
	}
	typed := false
	for _, h := range req.headers {
		fmt.Fprintf(&b, "%s\r\n", h)
		typed = typed || strings.HasPrefix(strings.ToLower(h), "content-type:")
	}
	body := strings.Join(req.data, "&")
	if req.data != nil {
		if !typed {
			b.WriteString("Content-Type: application/x-www-form-urlencoded\r\n")
		}
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	return b.Bytes()
}

// readAnswer reads a response: its head as sent, then the body.
func readAnswer(conn io.Reader, method string) ([]byte, *http.Response, []byte, error) {
	var raw bytes.Buffer
	resp, err := http.ReadResponse(bufio.NewReader(io.TeeReader(conn, &raw)),
		&http.Request{Method: method})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read the answer: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	head, _, _ := bytes.Cut(raw.Bytes(), []byte("\r\n\r\n"))
	return append(head, "\r\n\r\n"...), resp, body, err
}

// writeOut expands curl's -w format: %{http_code}, %{time_total}, %{content_type},
// %header{name}, and \n.
func writeOut(format string, resp *http.Response, took time.Duration) string {
	out := strings.NewReplacer(`\n`, "\n",
		"%{http_code}", fmt.Sprintf("%03d", resp.StatusCode),
		"%{time_total}", fmt.Sprintf("%.6f", took.Seconds()),
		"%{content_type}", resp.Header.Get("Content-Type"),
	).Replace(format)
	for {
		i := strings.Index(out, "%header{")
		if i < 0 {
			return out
		}
		end := strings.IndexByte(out[i:], '}')
		if end < 0 {
			return out
		}
		name := out[i+len("%header{") : i+end]
		out = out[:i] + resp.Header.Get(name) + out[i+end+1:]
	}
}

// seq runs "seq LAST" and "seq FIRST LAST".
func seq(hc interp.HandlerContext, args []string) error {
	if len(args) == 1 {
		args = []string{"1", args[0]}
	}
	if len(args) != 2 {
		return fmt.Errorf("want seq [FIRST] LAST, got %q", args)
	}
	first, err1 := strconv.Atoi(args[0])
	last, err2 := strconv.Atoi(args[1])
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	var b bytes.Buffer
	for n := first; n <= last; n++ {
		fmt.Fprintln(&b, n)
	}
	_, err := hc.Stdout.Write(b.Bytes())
	return err
}

// head runs "head -N" and "head -n N". It reads all its input, so that the command
// before it in a pipe never writes to a closed pipe.
func head(hc interp.HandlerContext, args []string) error {
	fs := pflag.NewFlagSet("head", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.IntP("lines", "n", 10, "")
	if len(args) == 1 && strings.HasPrefix(args[0], "-") {
		args = []string{"-n", args[0][1:]} // head's old form, -N
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	in, err := io.ReadAll(hc.Stdin)
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(in, []byte("\n"))
	_, err = hc.Stdout.Write(bytes.Join(lines[:min(*n, len(lines))], nil))
	return err
}

// jq runs "jq [-r] [-c] [-S] FILTER" with gojq on each JSON value of its input, and prints
// as jq does: indented by two spaces, or compact with -c; strings raw with -r.
//
// gojq keeps no order of object keys and prints them sorted, where jq keeps the order of
// the input. So an object of several keys is printed only with -S, which makes jq sort
// them too; for everything else the page uses (paths, length, strings, numbers) the two
// agree, as docs/mock-examples.sh checks with the real jq.
func jq(hc interp.HandlerContext, args []string) error {
	fs := pflag.NewFlagSet("jq", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	raw := fs.BoolP("raw-output", "r", false, "")
	compact := fs.BoolP("compact-output", "c", false, "")
	sorted := fs.BoolP("sort-keys", "S", false, "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want jq [-r] [-c] [-S] FILTER, got %q", args)
	}
	query, err := gojq.Parse(fs.Arg(0))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(hc.Stdin)
	dec.UseNumber() // numbers print as the input wrote them
	for {
		var in any
		if err := dec.Decode(&in); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		iter := query.Run(in)
		for v, ok := iter.Next(); ok; v, ok = iter.Next() {
			if err, ok := v.(error); ok {
				return err
			}
			if err := jqPrint(hc.Stdout, v, *raw, *compact, *sorted); err != nil {
				return err
			}
		}
	}
}

// jqPrint writes v on a line of its own: a string raw, or JSON compact or indented as jq
// indents; objects of several keys only when sorted.
func jqPrint(w io.Writer, v any, raw, compact, sorted bool) error {
	if s, ok := v.(string); ok && raw {
		_, err := fmt.Fprintln(w, s)
		return err
	}
	if !sorted && severalKeys(v) {
		return errors.New("gojq prints the keys of an object sorted, jq in the order of " +
			"its input: print objects of several keys with -S")
	}
	b, err := gojq.Marshal(v)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if compact {
		out.Write(b)
	} else if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// severalKeys reports whether v holds an object of more than one key.
func severalKeys(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			if len(v) > 1 || severalKeys(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if severalKeys(e) {
				return true
			}
		}
	}
	return false
}
