package auth

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/oauth2"
)

func TestRefused(t *testing.T) {
	refusal := fmt.Errorf("post: %w", &oauth2.RetrieveError{ErrorCode: "invalid_client"})
	if !Refused(refusal) || Refused(errors.New("connection refused")) || Refused(nil) {
		t.Fatal("Refused does not tell a token refusal from other errors")
	}
}
