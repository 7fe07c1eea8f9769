package mockd365

import (
	"fmt"
	"regexp"
	"strings"
)

// A tokenKind classifies a token of a $filter expression.
type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokIdent            // a property name, an operator or a keyword
	tokString           // 'text', unescaped
	tokNumber           // 42, -1.5, 3.0m
	tokDate             // 2026-03-01 or 2026-03-01T00:00:00Z, bare as OData writes them
	tokEnum             // Microsoft.Dynamics.DataEntities.PurchStatus'Backorder'
	tokOpen
	tokClose
	tokComma
)

// A token is one lexical unit of a $filter expression.
type token struct {
	kind tokenKind
	text string // the identifier, the unescaped string, the number, the date, the enum member
	enum string // the enum type name of a tokEnum
	col  int    // 1-based column where it starts
}

// A filterError is a $filter mistake at a column.
type filterError struct {
	col int
	msg string
}

func (e *filterError) Error() string {
	return fmt.Sprintf("column %d: %s", e.col, e.msg)
}

var (
	numberLiteral = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?[mMdDfFlL]?$`)
	dateLiteral   = regexp.MustCompile(
		`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[-+][0-9]{2}:[0-9]{2}))?$`)
)

// lexFilter splits a $filter expression into tokens, ending with tokEOF.
func lexFilter(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		var tok token
		var err error
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '(' || c == ')' || c == ',':
			tok, i = punctuation(c, i), i+1
		case c == '\'':
			tok, i, err = lexString(src, i)
		case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
			tok, i, err = lexNumber(src, i)
		case isLetter(c):
			tok, i, err = lexIdent(src, i)
		default:
			err = &filterError{i + 1, fmt.Sprintf("unexpected character %q", c)}
		}
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
	}
	return append(toks, token{kind: tokEOF, col: len(src) + 1}), nil
}

// punctuation returns the token of a parenthesis or comma at i.
func punctuation(c byte, i int) token {
	kind := map[byte]tokenKind{'(': tokOpen, ')': tokClose, ',': tokComma}[c]
	return token{kind: kind, text: string(c), col: i + 1}
}

// lexString reads the quoted string at i; ” stands for one quote.
func lexString(src string, i int) (token, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		if src[j] != '\'' {
			b.WriteByte(src[j])
			continue
		}
		if j+1 < len(src) && src[j+1] == '\'' {
			b.WriteByte('\'')
			j++
			continue
		}
		return token{kind: tokString, text: b.String(), col: i + 1}, j + 1, nil
	}
	return token{}, 0, &filterError{i + 1, "string literal is not closed with '"}
}

// lexNumber reads the number or bare date-time literal at i.
func lexNumber(src string, i int) (token, int, error) {
	j := i + 1
	for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) ||
		strings.IndexByte(".:-+", src[j]) >= 0) {
		j++
	}
	text := src[i:j]
	switch {
	case dateLiteral.MatchString(text):
		return token{kind: tokDate, text: text, col: i + 1}, j, nil
	case numberLiteral.MatchString(text):
		return token{kind: tokNumber, text: text, col: i + 1}, j, nil
	}
	return token{}, 0, &filterError{i + 1,
		fmt.Sprintf("'%s' is neither a number nor a date-time literal", text)}
}

// lexIdent reads the identifier at i, or the enum literal when a quote follows it.
func lexIdent(src string, i int) (token, int, error) {
	j := i + 1
	for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '.') {
		j++
	}
	name := src[i:j]
	if j >= len(src) || src[j] != '\'' {
		return token{kind: tokIdent, text: name, col: i + 1}, j, nil
	}
	member, end, err := lexString(src, j)
	if err != nil {
		return token{}, 0, err
	}
	return token{kind: tokEnum, text: member.text, enum: name, col: i + 1}, end, nil
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
