package mockd365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The .NET exception types F&O names in innererror.type.
const (
	typeWriteFailed = "Microsoft.Dynamics.Platform.Integration.Services.OData." +
		"AxODataWriteException"
	typeODataError    = "Microsoft.OData.ODataException"
	typeInvocation    = "System.Reflection.TargetInvocationException"
	genericMessage    = "An error has occurred."
	invocationMessage = "Exception has been thrown by the target of an invocation."
)

// An apiError is a failure answered to the client in F&O's error body:
//
//	{"error":{"code":"","message":"An error has occurred.",
//	  "innererror":{"message":"...","type":"...","stacktrace":"..."}}}
//
// Errors without an inner error carry their text in message.
type apiError struct {
	status  int
	message string
	inner   *innerError // nil: no innererror member
}

// An innerError is the innererror member of an F&O error body.
type innerError struct {
	Message    string `json:"message"`
	Type       string `json:"type"`
	StackTrace string `json:"stacktrace"`
}

// Error returns the most specific text of e.
func (e *apiError) Error() string {
	if e.inner != nil {
		return e.inner.Message
	}
	return e.message
}

// body returns e as F&O's JSON error body.
func (e *apiError) body() []byte {
	type envelope struct {
		Code       string      `json:"code"`
		Message    string      `json:"message"`
		InnerError *innerError `json:"innererror,omitempty"`
	}
	b, err := json.Marshal(map[string]envelope{
		"error": {Code: "", Message: e.message, InnerError: e.inner},
	})
	if err != nil {
		panic(fmt.Sprintf("mockd365: encode error body: %v", err)) // only strings inside
	}
	return b
}

// newInner returns an inner error of type typ whose stack trace names frame, the F&O method
// that raised it; "" names none, for failures whose F&O frame no capture shows.
func newInner(typ, message, frame string) *innerError {
	trace := "   at mockd365 (simulated stack trace)"
	if frame != "" {
		trace = "   at " + frame + "\r\n" + trace
	}
	return &innerError{Message: message, Type: typ, StackTrace: trace}
}

// The frames F&O's stack trace names for a refused create, update and delete: only the
// create's is captured (reference §2.1), so updates and deletes name none.
const (
	frameCreate = "Microsoft.Dynamics.Platform.Integration.Services.OData.Update.UpdateProcessor" +
		".CreateEntity_Save(ChangeOperationContext context, ChangeInfo changeInfo)"
	frameUpdate = ""
	frameDelete = ""
)

// writeFailed is F&O's answer to a write that business logic refused: status 400 and the
// Infolog entries, each "Severity: text.", joined with "; ". frame is the frame of the
// operation: frameCreate, frameUpdate or frameDelete.
func writeFailed(e *Entity, frame string, entries []string) *apiError {
	msg := fmt.Sprintf("Write failed for table row of type '%s'. Infolog: %s",
		e.Object, strings.Join(entries, "; "))
	return &apiError{
		status:  http.StatusBadRequest,
		message: genericMessage,
		inner:   newInner(typeWriteFailed, msg, frame),
	}
}

// badPayload is the answer to a body the OData reader cannot deserialise.
func badPayload(format string, args ...any) *apiError {
	return &apiError{
		status:  http.StatusBadRequest,
		message: genericMessage,
		inner: newInner(typeODataError, fmt.Sprintf(format, args...),
			"Microsoft.OData.JsonLight.ODataJsonLightReader.ReadEntryContent()"),
	}
}

// unknownProperty is F&O's answer to a property the entity type does not define.
func unknownProperty(e *Entity, name string) *apiError {
	msg := fmt.Sprintf("%s The property '%s' is not defined on type '%s.%s' "+
		"(property names are case sensitive).", invocationMessage, name, namespace, e.Type)
	return &apiError{
		status:  http.StatusBadRequest,
		message: genericMessage,
		inner: newInner(typeInvocation, msg,
			"System.RuntimeMethodHandle.InvokeMethod(Object target, Object[] arguments)"),
	}
}

// badRequest is a 400 whose message says what in the URL was wrong.
func badRequest(format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	return &apiError{
		status:  http.StatusBadRequest,
		message: msg,
		inner:   newInner(typeODataError, msg, "Microsoft.OData.UriParser.ODataUriParser.Parse()"),
	}
}

// notFound is a 404 with a message naming what was not found.
func notFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, message: fmt.Sprintf(format, args...)}
}

// notImplemented is a 501 for parts of the F&O surface the mock does not serve yet.
func notImplemented(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotImplemented, message: fmt.Sprintf(format, args...)}
}

// internalError is a 500 for a failure of the mock itself, such as its database.
func internalError(err error) *apiError {
	return &apiError{
		status:  http.StatusInternalServerError,
		message: "mockd365 failed to process the request: " + err.Error(),
	}
}
