// Package mockd365 is stormcheck's bundled mock of the Dynamics 365 Finance & Operations
// OData integration surface, shaped like net/http/httptest:
//
//	s, err := mockd365.NewServer(mockd365.Options{Design: "d365"})
//	if err != nil { ... }
//	defer s.Close()
//	resp, err := http.Post(s.URL+"/data/VendorsV2", "application/json", body)
//
// It serves the entity sets of [Catalogue] under /data with F&O's names, keys (dataAreaId
// first), answers and error bodies: creates (201 with the stored record and its etag, number
// sequences per legal entity, references resolved), queries ($filter with the * wildcard,
// $select, $orderby, $top, $skip, $count, cross-company=true, keyset paging with
// @odata.nextLink), reads by full key, /$count, $metadata and the service document.
//
// What the mock does with what a sender gets wrong is set by a [Design]: d365 behaves as F&O
// does, naive stores everything, idempotent deduplicates and parks children that arrive
// before their parent. See docs/mock.md for the knobs and the F&O facts behind them.
//
// State lives in one SQLite file (WAL mode): a table per entity, named after its collection,
// plus integration_log (one row per /data request), number_sequence, idempotency and parked.
// Any SQLite client can inspect it while the server runs. A 2xx answer to a create means the
// record and its log row are committed; latency is added after the commit.
//
// Not served yet: $batch, PATCH/PUT/DELETE, authentication, throttling, and the DMF and
// recurring-integration endpoints.
package mockd365
