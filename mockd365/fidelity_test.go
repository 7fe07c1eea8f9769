package mockd365

import (
	"net/http"
	"testing"
)

// Ensure an answer without a body carries no Content-Type (there is no content to
// describe), while every answer under /data keeps OData-Version.
func TestBodilessAnswersHaveNoContentType(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	a := mustServer(t, Options{Auth: Auth{Enabled: true}})
	for _, tt := range []struct {
		name        string
		r           reply
		status      int
		contentType string
	}{
		{"create", post(t, s, "VendorsV2", vendorJSON("usmf", "V-2")), 201, contentTypeJSON},
		{"patch", do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorOrganizationName":"B"}`),
			204, ""},
		{"delete", do(t, http.MethodDelete, s.URL+vendorKey, ""), 204, ""},
		{"unauthorized", get(t, a, "/data/VendorsV2"), 401, ""},
		{"not found", get(t, s, vendorKey), 404, contentTypeJSON},
	} {
		got := tt.r.header
		if tt.r.status != tt.status || got.Get("Content-Type") != tt.contentType ||
			got.Get("OData-Version") != "4.0" {
			t.Errorf("%s: %d, Content-Type %q, OData-Version %q; want %d, %q, 4.0", tt.name,
				tt.r.status, got.Get("Content-Type"), got.Get("OData-Version"), tt.status,
				tt.contentType)
		}
		if _, ok := got["Content-Type"]; tt.contentType == "" && ok {
			t.Errorf("%s: a Content-Type header is present: %q", tt.name, got["Content-Type"])
		}
	}
}

// Ensure a refused write's stack trace names F&O's frame only for a create, the one write
// whose frame a capture shows, and no invented frame for updates and deletes.
func TestWriteFailureStackTraces(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	tag := get(t, s, vendorKey).mustStatus(t, http.StatusOK).header.Get("ETag")
	do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorOrganizationName":"B"}`).
		mustStatus(t, http.StatusNoContent)
	const create = "   at Microsoft.Dynamics.Platform.Integration.Services.OData.Update." +
		"UpdateProcessor.CreateEntity_Save(ChangeOperationContext context, ChangeInfo " +
		"changeInfo)\r\n   at mockd365 (simulated stack trace)"
	const none = "   at mockd365 (simulated stack trace)"
	for _, tt := range []struct {
		name   string
		r      reply
		status int
		trace  string
	}{
		{"duplicate create", post(t, s, "VendorsV2", vendorJSON("usmf", "V-1")), 400, create},
		{"stale patch", do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorGroupId":"20"}`,
			"If-Match", tag), 412, none},
		{"invalid patch", do(t, http.MethodPatch, s.URL+vendorKey, `{"CurrencyCode":""}`),
			400, none},
		{"stale delete", do(t, http.MethodDelete, s.URL+vendorKey, "", "If-Match", tag),
			412, none},
	} {
		e := tt.r.fault(t)
		if tt.r.status != tt.status || e.Error.InnerError == nil ||
			e.Error.InnerError.StackTrace != tt.trace {
			t.Errorf("%s: %d %s; want %d with stack trace %q", tt.name, tt.r.status, tt.r.body,
				tt.status, tt.trace)
		}
	}
}

// Ensure @odata.context follows OData 4.0 (F&O answers OData-Version 4.0): a $select list
// in parentheses, before /$entity for one record; selected navigation properties listed
// after the properties; an expanded navigation property without nested options left out
// (4.01 would write "Name()", Protocol §10 "Expanded Entity").
func TestContextURL(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	po := mustOrder(t, s, "usmf", "V-1", "REF-1")
	post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"`+po+`","LineNumber":1,`+
		`"ItemNumber":"D0001","OrderedPurchaseQuantity":1}`).mustStatus(t, http.StatusCreated)
	line := "PurchaseOrderLinesV2(dataAreaId='usmf',PurchaseOrderNumber='" + po +
		"',LineNumber=1)"
	meta := s.URL + "/data/$metadata#"
	for _, tt := range []struct{ path, want string }{
		{"PurchaseOrderLinesV2", "PurchaseOrderLinesV2"},
		{"PurchaseOrderLinesV2?$expand=PurchaseOrderHeader", "PurchaseOrderLinesV2"},
		{"PurchaseOrderLinesV2?$select=LineNumber,ItemNumber&$expand=PurchaseOrderHeader",
			"PurchaseOrderLinesV2(LineNumber,ItemNumber)"},
		{"PurchaseOrderLinesV2?$select=LineNumber,PurchaseOrderHeader" +
			"&$expand=PurchaseOrderHeader", "PurchaseOrderLinesV2(LineNumber,PurchaseOrderHeader)"},
		{line, "PurchaseOrderLinesV2/$entity"},
		{line + "?$select=LineNumber", "PurchaseOrderLinesV2(LineNumber)/$entity"},
		{line + "?$select=LineNumber&$expand=PurchaseOrderHeader",
			"PurchaseOrderLinesV2(LineNumber)/$entity"},
	} {
		obj := get(t, s, "/data/"+tt.path).mustStatus(t, http.StatusOK).object(t)
		if obj["@odata.context"] != meta+tt.want {
			t.Errorf("%s: @odata.context %v, want %s", tt.path, obj["@odata.context"],
				meta+tt.want)
		}
	}
}

// Ensure $select may name a navigation property: the record then holds only the selected
// properties, and the expansion when it is expanded.
func TestSelectNavigationProperty(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	po := mustOrder(t, s, "usmf", "V-1", "REF-1")
	key := "/data/PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='" + po + "')"
	r := get(t, s, key+"?$select=PurchaseOrderLines&$expand=PurchaseOrderLines").
		mustStatus(t, http.StatusOK)
	want := `{"@odata.context":"` + s.URL + `/data/$metadata#PurchaseOrderHeadersV2(` +
		`PurchaseOrderLines)/$entity","@odata.etag":"W/\"JzEsNTYzNzE0NDU3Nic=\"",` +
		`"PurchaseOrderLines":[]}`
	if r.body != want {
		t.Errorf("body\n%s\nwant\n%s", r.body, want)
	}
}
