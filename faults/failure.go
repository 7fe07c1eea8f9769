package faults

import "strings"

// FailureOf names, in a few words, why an attempt got no answer, from the error text of
// the HTTP client: "connection reset", "connection refused", "connection closed" or
// "timeout"; "" when the text names none of them.
func FailureOf(errText string) string {
	s := strings.ToLower(errText)
	switch {
	case strings.Contains(s, "connection reset"):
		return "connection reset"
	case strings.Contains(s, "connection refused"):
		return "connection refused"
	case strings.Contains(s, "timeout"), strings.Contains(s, "deadline exceeded"):
		return "timeout"
	case strings.Contains(s, "eof"), strings.Contains(s, "closed"):
		return "connection closed"
	}
	return ""
}
