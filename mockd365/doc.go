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
// Beyond creates and reads it serves PATCH, PUT and DELETE (204, a new etag, If-Match
// honoured), $expand one level, multipart $batch with atomic changesets (at most 5,000
// operations), a client-credentials token endpoint in the v1 and v2 forms with 401s on /data
// ([Auth]), throttling with 429 and a growing Retry-After per client priority ([Throttle]),
// a latency model with a cold start ([Latency]), and admin endpoints (/admin/health,
// /admin/counts, /admin/reset, /admin/log). Not served: the DMF and recurring-integration
// endpoints.
package mockd365
