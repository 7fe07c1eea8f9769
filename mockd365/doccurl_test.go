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
	"regexp"
	"strings"
	"time"
)

// A curlRequest is what the curl of the examples sends, and how it shows the answer.
type curlRequest struct {
	method    string
	url       string
	headers   []string // "Name: value"
	data      []string // -d and --data-binary values, joined with & as curl joins them
	include   bool     // -i: the status line and headers before the body
	output    string   // -o: where the body goes; "" is stdout
	writeOut  string   // -w
	userColon string   // -u user:password
}

// quietFlags matches curl's -s, -S and -i given together, such as -si.
var quietFlags = regexp.MustCompile(`^-[sSi]+$`)

// curl runs the examples' curl: -s -S -i -X -H -d --data-binary (with @file) -o -w -u,
// against the mock the URL's host:port names. It sends the request line as curl does, with
// the URL as written, and shows the answer's status line and headers as the server sent
// them.
func (sess *docSession) curl(sh *shell, args []string, _ []byte) ([]byte, error) {
	req, err := parseCurl(sh, args)
	if err != nil {
		return nil, err
	}
	start := sess.clock.Now()
	head, resp, body, err := sess.exchange(req)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	var shown []byte
	if req.include {
		shown = append(shown, head...)
	}
	shown = append(shown, body...)
	if req.output == "" {
		out.Write(shown)
	} else if err := sh.writeFile(req.output, shown, false); err != nil {
		return nil, err
	}
	out.WriteString(writeOut(req.writeOut, resp, sess.clock.Now().Sub(start)))
	return out.Bytes(), nil
}

// parseCurl reads curl's arguments.
func parseCurl(sh *shell, args []string) (*curlRequest, error) {
	req := &curlRequest{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch {
		case quietFlags.MatchString(a):
			req.include = req.include || strings.Contains(a, "i")
			continue
		case a == "--silent" || a == "--show-error":
			continue
		case a == "--include":
			req.include = true
			continue
		}
		switch a {
		case "-X", "--request":
			req.method, err = value()
		case "-H", "--header":
			var h string
			h, err = value()
			req.headers = append(req.headers, h)
		case "-d", "--data", "--data-binary":
			var d string
			if d, err = value(); err == nil {
				d, err = curlData(sh, d, a != "--data-binary")
			}
			req.data = append(req.data, d)
		case "-o", "--output":
			req.output, err = value()
		case "-w", "--write-out":
			req.writeOut, err = value()
		case "-u", "--user":
			req.userColon, err = value()
		default:
			if strings.HasPrefix(a, "-") || req.url != "" {
				return nil, fmt.Errorf("the examples' curl does not take %q", a)
			}
			req.url = a
		}
		if err != nil {
			return nil, err
		}
	}
	return req, req.complete()
}

// complete checks the request and fills in curl's defaults.
func (req *curlRequest) complete() error {
	if req.url == "" {
		return errors.New("no URL")
	}
	if req.method == "" {
		req.method = map[bool]string{true: http.MethodPost, false: http.MethodGet}[req.data != nil]
	}
	return nil
}

// curlData returns a -d or --data-binary value: @file reads the file, and -d drops its
// line breaks as curl does.
func curlData(sh *shell, d string, form bool) (string, error) {
	if !strings.HasPrefix(d, "@") {
		return d, nil
	}
	b, err := os.ReadFile(sh.path(d[1:]))
	if form {
		b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), nil)
	}
	return string(b), err
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
	return readAnswer(bufio.NewReader(conn), req.method)
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
	if req.userColon != "" {
		fmt.Fprintf(&b, "Authorization: Basic %s\r\n",
			base64.StdEncoding.EncodeToString([]byte(req.userColon)))
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
func readAnswer(br *bufio.Reader, method string) ([]byte, *http.Response, []byte, error) {
	var head bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, nil, nil, fmt.Errorf("read the answer: %w", err)
		}
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	both := bufio.NewReader(io.MultiReader(bytes.NewReader(head.Bytes()), br))
	resp, err := http.ReadResponse(both, &http.Request{Method: method})
	if err != nil {
		return nil, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return head.Bytes(), resp, body, err
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

// jq runs the examples' jq: [-r] [-c] FILTER on one JSON value, where a filter is terms
// joined by | and , with parentheses; a term is ., a path such as .value[0].id,
// ."@odata.nextLink" or .value[], or length.
func jq(_ *shell, args []string, stdin []byte) ([]byte, error) {
	raw, compact := false, false
	for len(args) > 1 {
		switch args[0] {
		case "-r":
			raw = true
		case "-c":
			compact = true
		default:
			return nil, fmt.Errorf("the examples' jq does not take %q", args[0])
		}
		args = args[1:]
	}
	if len(args) != 1 {
		return nil, errors.New("want jq [-r] [-c] FILTER")
	}
	in, err := decodeOrdered(stdin)
	if err != nil {
		return nil, err
	}
	results, err := (&jqParser{src: args[0]}).run(in)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, v := range results {
		if s, ok := v.(string); ok && raw {
			b.WriteString(s + "\n")
			continue
		}
		b.WriteString(jqEncode(v, compact, "") + "\n")
	}
	return b.Bytes(), nil
}

// A jqObject is a JSON object whose members keep their order, as jq keeps it.
type jqObject struct {
	keys []string
	vals map[string]any
}

// decodeOrdered decodes one JSON value, keeping numbers exact and members in order.
func decodeOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return decodeValue(dec)
}

// decodeValue decodes the next value of dec.
func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("jq: the input is not JSON: %w", err)
	}
	switch tok {
	case json.Delim('{'):
		obj := &jqObject{vals: map[string]any{}}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			obj.keys = append(obj.keys, key.(string))
			obj.vals[key.(string)] = v
		}
		_, err := dec.Token()
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return tok, nil
}

// jqEncode writes v as jq does: indented by two spaces, or compact.
func jqEncode(v any, compact bool, indent string) string {
	colon := map[bool]string{true: ":", false: ": "}[compact]
	var parts []string
	switch x := v.(type) {
	case *jqObject:
		for _, k := range x.keys {
			parts = append(parts, jqString(k)+colon+jqEncode(x.vals[k], compact, indent+"  "))
		}
		return jqJoin("{", "}", parts, compact, indent)
	case []any:
		for _, e := range x {
			parts = append(parts, jqEncode(e, compact, indent+"  "))
		}
		return jqJoin("[", "]", parts, compact, indent)
	case string:
		return jqString(x)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// jqJoin writes the members of an object or an array between its brackets.
func jqJoin(open, end string, parts []string, compact bool, indent string) string {
	switch {
	case len(parts) == 0:
		return open + end
	case compact:
		return open + strings.Join(parts, ",") + end
	}
	inner := indent + "  "
	return open + "\n" + inner + strings.Join(parts, ",\n"+inner) + "\n" + indent + end
}

// jqString quotes s as jq does, without escaping HTML characters.
func jqString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) //nolint:errcheck // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// A jqParser evaluates a filter while it reads it.
type jqParser struct {
	src string
	pos int
}

// run evaluates the whole filter on in.
func (p *jqParser) run(in any) ([]any, error) {
	out, err := p.pipe([]any{in})
	if err == nil && p.pos < len(p.src) {
		err = fmt.Errorf("jq: unexpected %q in %q", p.src[p.pos:], p.src)
	}
	return out, err
}

// pipe evaluates terms joined by , and |, where , binds tighter.
func (p *jqParser) pipe(in []any) ([]any, error) {
	out, err := p.comma(in)
	for err == nil && p.skip("|") {
		out, err = p.comma(out)
	}
	return out, err
}

// comma evaluates terms joined by , on the same input.
func (p *jqParser) comma(in []any) ([]any, error) {
	out, err := p.term(in)
	for err == nil && p.skip(",") {
		var more []any
		more, err = p.term(in)
		out = append(out, more...)
	}
	return out, err
}

// skip moves past tok and the blanks around it, when tok comes next.
func (p *jqParser) skip(tok string) bool {
	rest := strings.TrimLeft(p.src[p.pos:], " ")
	if !strings.HasPrefix(rest, tok) {
		return false
	}
	p.pos = len(p.src) - len(rest) + len(tok)
	p.pos += len(p.src[p.pos:]) - len(strings.TrimLeft(p.src[p.pos:], " "))
	return true
}

// term evaluates one term on every input.
func (p *jqParser) term(in []any) ([]any, error) {
	switch {
	case p.skip("("):
		out, err := p.pipe(in)
		if err == nil && !p.skip(")") {
			err = fmt.Errorf("jq: a ( is not closed in %q", p.src)
		}
		return out, err
	case p.skip("length"):
		return mapEach(in, jqLength)
	case p.skip("."):
		return p.path(in)
	}
	return nil, fmt.Errorf("jq: the examples' jq cannot read %q", p.src[p.pos:])
}

// path evaluates the rest of a path after its first dot.
func (p *jqParser) path(in []any) ([]any, error) {
	cur := in
	for {
		rest := p.src[p.pos:]
		var err error
		switch {
		case strings.HasPrefix(rest, "[]"):
			p.pos += 2
			cur, err = flatMap(cur, jqIterate)
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			var n int
			if _, err = fmt.Sscanf(rest[1:max(end, 1)], "%d", &n); err == nil {
				p.pos += end + 1
				cur, err = mapEach(cur, func(v any) (any, error) { return jqIndex(v, n) })
			}
		case strings.HasPrefix(rest, `"`):
			var name string
			if name, err = p.quoted(); err == nil {
				cur, err = mapEach(cur, func(v any) (any, error) { return jqField(v, name) })
			}
		case len(rest) > 0 && (isNameByte(rest[0])):
			name := p.name()
			cur, err = mapEach(cur, func(v any) (any, error) { return jqField(v, name) })
		case strings.HasPrefix(rest, "."):
			p.pos++
			continue
		default:
			return cur, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// quoted reads a "quoted" member name.
func (p *jqParser) quoted() (string, error) {
	end := strings.IndexByte(p.src[p.pos+1:], '"')
	if end < 0 {
		return "", fmt.Errorf("jq: a \" is not closed in %q", p.src)
	}
	name := p.src[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return name, nil
}

// name reads a bare member name.
func (p *jqParser) name() string {
	start := p.pos
	for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mapEach applies fn to every value.
func mapEach(in []any, fn func(any) (any, error)) ([]any, error) {
	out := make([]any, 0, len(in))
	for _, v := range in {
		r, err := fn(v)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// flatMap applies fn to every value and joins the results.
func flatMap(in []any, fn func(any) ([]any, error)) ([]any, error) {
	var out []any
	for _, v := range in {
		r, err := fn(v)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

func jqField(v any, name string) (any, error) {
	switch x := v.(type) {
	case *jqObject:
		return x.vals[name], nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("jq: cannot index %s with %q", jqEncode(v, true, ""), name)
}

func jqIndex(v any, n int) (any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("jq: cannot index %s with a number", jqEncode(v, true, ""))
	}
	if n < 0 || n >= len(arr) {
		return nil, nil
	}
	return arr[n], nil
}

func jqIterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *jqObject:
		out := make([]any, len(x.keys))
		for i, k := range x.keys {
			out[i] = x.vals[k]
		}
		return out, nil
	}
	return nil, fmt.Errorf("jq: cannot iterate over %s", jqEncode(v, true, ""))
}

func jqLength(v any) (any, error) {
	switch x := v.(type) {
	case []any:
		return json.Number(fmt.Sprint(len(x))), nil
	case *jqObject:
		return json.Number(fmt.Sprint(len(x.keys))), nil
	case string:
		return json.Number(fmt.Sprint(len([]rune(x)))), nil
	case nil:
		return json.Number("0"), nil
	}
	return nil, fmt.Errorf("jq: %s has no length", jqEncode(v, true, ""))
}
