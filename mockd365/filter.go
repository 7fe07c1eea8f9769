package mockd365

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxFilterDepth bounds the nesting of a $filter expression.
const maxFilterDepth = 64

// sqlOperators maps the OData comparison operators to SQL.
var sqlOperators = map[string]string{
	"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<=",
}

// compileFilter translates the $filter expression src on t into an SQL condition and its
// arguments. Values are always bound as parameters, never written into the SQL.
//
// Supported: eq ne gt ge lt le, and or not, parentheses; string literals with ” escaping;
// numbers; bare date-times (2026-03-01T00:00:00Z); enum literals
// (Microsoft.Dynamics.DataEntities.PurchStatus'Backorder', eq and ne only); null. A *
// inside a string compared with eq or ne matches any characters, as in F&O.
func compileFilter(t *table, src string) (string, []any, error) {
	toks, err := lexFilter(src)
	if err != nil {
		return "", nil, err
	}
	p := &filterParser{t: t, toks: toks}
	cond, err := p.parseOr(0)
	if err != nil {
		return "", nil, err
	}
	if tok := p.peek(); tok.kind != tokEOF {
		return "", nil, &filterError{tok.col, fmt.Sprintf("unexpected '%s'; expected and, or "+
			"or the end of the expression", tok.text)}
	}
	return cond, p.args, nil
}

// A filterParser is a recursive-descent parser that writes SQL as it goes.
type filterParser struct {
	t    *table
	toks []token
	pos  int
	args []any
}

func (p *filterParser) peek() token { return p.toks[p.pos] }

func (p *filterParser) next() token {
	tok := p.toks[p.pos]
	if tok.kind != tokEOF {
		p.pos++
	}
	return tok
}

// keyword reports whether the next token is the keyword kw, and consumes it if so.
func (p *filterParser) keyword(kw string) bool {
	if tok := p.peek(); tok.kind == tokIdent && tok.text == kw {
		p.pos++
		return true
	}
	return false
}

// parseOr parses or-separated terms.
func (p *filterParser) parseOr(depth int) (string, error) {
	return p.parseJoined(depth, "or", p.parseAnd)
}

// parseAnd parses and-separated terms.
func (p *filterParser) parseAnd(depth int) (string, error) {
	return p.parseJoined(depth, "and", p.parseUnary)
}

// parseJoined parses operands separated by the keyword kw.
func (p *filterParser) parseJoined(depth int, kw string,
	operand func(int) (string, error)) (string, error) {
	first, err := operand(depth)
	if err != nil {
		return "", err
	}
	parts := []string{first}
	for p.keyword(kw) {
		next, err := operand(depth)
		if err != nil {
			return "", err
		}
		parts = append(parts, next)
	}
	if len(parts) == 1 {
		return first, nil
	}
	return "(" + strings.Join(parts, " "+strings.ToUpper(kw)+" ") + ")", nil
}

// parseUnary parses not, a parenthesised expression, or a comparison.
func (p *filterParser) parseUnary(depth int) (string, error) {
	if depth > maxFilterDepth {
		return "", &filterError{p.peek().col, "the expression is nested too deeply"}
	}
	if p.keyword("not") {
		inner, err := p.parseUnary(depth + 1)
		if err != nil {
			return "", err
		}
		return "NOT (" + inner + ")", nil
	}
	if p.peek().kind != tokOpen {
		return p.parseComparison()
	}
	open := p.next()
	inner, err := p.parseOr(depth + 1)
	if err != nil {
		return "", err
	}
	if tok := p.next(); tok.kind != tokClose {
		return "", &filterError{tok.col, fmt.Sprintf("expected ')' to close the '(' at column "+
			"%d", open.col)}
	}
	return inner, nil // joined expressions come parenthesised already
}

// parseComparison parses Property op literal.
func (p *filterParser) parseComparison() (string, error) {
	prop := p.next()
	if prop.kind != tokIdent {
		return "", &filterError{prop.col, fmt.Sprintf("expected a property name, found %s",
			describe(prop))}
	}
	if p.peek().kind == tokOpen {
		return "", &filterError{prop.col, fmt.Sprintf("function %s() is not supported; use a "+
			"* wildcard inside an eq string literal instead", prop.text)}
	}
	i, ok := p.t.index[prop.text]
	if !ok {
		return "", &filterError{prop.col, fmt.Sprintf("type '%s.%s' has no property named "+
			"'%s' (names are case sensitive)", namespace, p.t.e.Type, prop.text)}
	}
	opTok := p.next()
	op, ok := sqlOperators[opTok.text]
	if opTok.kind != tokIdent || !ok {
		return "", &filterError{opTok.col, fmt.Sprintf("expected eq, ne, gt, ge, lt or le "+
			"after '%s', found %s", prop.text, describe(opTok))}
	}
	return p.compare(&p.t.e.Fields[i], opTok.text, op, p.next())
}

// compare writes the condition "field op literal", checking that the literal fits the field.
func (p *filterParser) compare(f *Field, odataOp, op string, lit token) (string, error) {
	col := quote(f.Name)
	if lit.kind == tokIdent && lit.text == "null" {
		return nullCondition(col, odataOp, lit)
	}
	v, err := literalValue(f, lit)
	if err != nil {
		return "", err
	}
	if f.Kind == Enum && odataOp != "eq" && odataOp != "ne" {
		return "", &filterError{lit.col, fmt.Sprintf("enum property '%s' can only be compared "+
			"with eq or ne", f.Name)}
	}
	if s, ok := v.(string); ok && f.Kind == String && strings.Contains(s, "*") &&
		(odataOp == "eq" || odataOp == "ne") {
		p.args = append(p.args, likePattern(s))
		if odataOp == "ne" {
			return col + ` NOT LIKE ? ESCAPE '\'`, nil
		}
		return col + ` LIKE ? ESCAPE '\'`, nil
	}
	p.args = append(p.args, v)
	return p.t.compared(f.Name) + " " + op + " " + p.t.parameter(f.Name), nil
}

// nullCondition writes a comparison with null.
func nullCondition(col, odataOp string, lit token) (string, error) {
	switch odataOp {
	case "eq":
		return col + " IS NULL", nil
	case "ne":
		return col + " IS NOT NULL", nil
	}
	return "", &filterError{lit.col, "null can only be compared with eq or ne"}
}

// literalValue converts a literal token to the stored form of f's values.
func literalValue(f *Field, lit token) (any, error) {
	switch {
	case f.Kind == String && lit.kind == tokString:
		return lit.text, nil
	case (f.Kind == Int32 || f.Kind == Int64 || f.Kind == Decimal) && lit.kind == tokNumber:
		return numberValue(f, lit)
	case f.Kind == DateTimeOffset && lit.kind == tokDate:
		return dateValue(lit)
	case f.Kind == Enum && lit.kind == tokEnum:
		return enumValue(f, lit)
	}
	return nil, &filterError{lit.col, fmt.Sprintf("property '%s' has type '%s' and cannot be "+
		"compared with %s; write a literal such as %s", f.Name, edmType(f), describe(lit),
		example(f))}
}

// numberValue parses a number literal for a numeric field: exact text for a Decimal field,
// compared as a number by its column's collation; an integer, or a float64 for a literal
// with a fraction, for an integer field.
func numberValue(f *Field, lit token) (any, error) {
	text := strings.TrimRight(lit.text, "mMdDfFlL")
	if f.Kind == Decimal {
		d, err := exactDecimal(text)
		if err != nil {
			return nil, &filterError{lit.col, fmt.Sprintf("'%s' is not a valid number (%v)",
				lit.text, err)}
		}
		return d, nil
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, &filterError{lit.col, fmt.Sprintf("'%s' is not a valid number", lit.text)}
	}
	return x, nil
}

// dateValue parses a bare date or date-time literal into the stored form.
func dateValue(lit token) (any, error) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, lit.text); err == nil {
			return formatDate(t), nil
		}
	}
	return nil, &filterError{lit.col, fmt.Sprintf("'%s' is not a valid date-time; write "+
		"2026-03-01T00:00:00Z", lit.text)}
}

// enumValue checks an enum literal against f's enum type and members.
func enumValue(f *Field, lit token) (any, error) {
	if want := namespace + "." + f.Enum; lit.enum != want {
		return nil, &filterError{lit.col, fmt.Sprintf("property '%s' has enum type '%s', not "+
			"'%s'", f.Name, want, lit.enum)}
	}
	if !slices.Contains(f.Members, lit.text) {
		return nil, &filterError{lit.col, fmt.Sprintf("'%s' is not a member of enum type "+
			"'%s' (members: %s)", lit.text, edmType(f), strings.Join(f.Members, ", "))}
	}
	return lit.text, nil
}

// likePattern turns an F&O wildcard string into a LIKE pattern with \ as escape: * matches
// any characters; %, _ and \ match themselves.
func likePattern(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '%', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '*':
			b.WriteByte('%')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// describe names a token for an error message.
func describe(tok token) string {
	switch tok.kind {
	case tokEOF:
		return "the end of the expression"
	case tokString:
		return "the string '" + tok.text + "'"
	case tokNumber:
		return "the number " + tok.text
	case tokDate:
		return "the date-time " + tok.text
	case tokEnum:
		return "the enum literal " + tok.enum + "'" + tok.text + "'"
	}
	return "'" + tok.text + "'"
}

// example returns a literal that fits f, for error messages.
func example(f *Field) string {
	switch f.Kind {
	case Int32, Int64:
		return "42"
	case Decimal:
		return "12.5"
	case DateTimeOffset:
		return "2026-03-01T00:00:00Z"
	case Enum:
		member := "Member"
		if len(f.Members) > 0 {
			member = f.Members[0]
		}
		return edmType(f) + "'" + member + "'"
	}
	return "'text'"
}
