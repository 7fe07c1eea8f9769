// Conformance of stormcheck's mock of the D365 F&O OData surface, checked with OData v4
// clients from the npm registry that nobody on the project wrote:
//
//   odata-csdl     (OASIS OData TC)  parses $metadata (CSDL XML) and reports what it rejects
//   @odata/client  (light-odata)     queries, $count, $expand, paging by @odata.nextLink,
//                                    create/update/delete, $batch with one-request changesets
//   o.js                             $batch with a multi-request changeset (atomicity)
//
// It starts nothing: point it at a running `stormcheck mock` (design d365, empty database,
// default page size 10,000) with MOCK_URL=http://127.0.0.1:PORT. It prints one line per
// check and ends with "N passed, N failed"; the exit code is 1 when a check failed.
"use strict";

const { OData } = require("@odata/client");
const { o } = require("o.js");
const csdl = require("odata-csdl");

const base = (process.env.MOCK_URL || "http://127.0.0.1:8365").replace(/\/$/, "");
const root = base + "/data/";
const NS = "Microsoft.Dynamics.DataEntities";

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log("ok   " + name);
  } catch (err) {
    failed++;
    console.log("FAIL " + name + ": " + (err && err.stack ? err.stack : err));
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function equal(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what}: got ${g}, want ${w}`);
}

const client = OData.New4({ serviceEndpoint: root });

// A vendor or a released product as F&O's d365 design accepts them.
const vendor = (account, name) => ({
  dataAreaId: "usmf", VendorAccountNumber: account, VendorOrganizationName: name,
  VendorGroupId: "10", CurrencyCode: "USD",
});
const product = (n) => ({
  dataAreaId: "usmf", ItemNumber: "CF-" + String(n).padStart(5, "0"),
  ProductNumber: "CF-" + String(n).padStart(5, "0"), PurchasePrice: n % 97,
});

// oBatch returns an o.js handler whose write requests go into one changeset. o.js merges
// its configuration shallowly, so the whole batch section is given.
function oBatch() {
  return o(root, {
    batch: {
      boundaryPrefix: "batch_", changsetBoundaryPrefix: "changeset_", endpoint: "$batch",
      headers: new Headers({ "Content-Type": "multipart/mixed" }),
      useChangset: true, useRelativeURLs: false,
    },
    headers: new Headers({ "Content-Type": "application/json" }),
  });
}

// createProducts creates products from..to-1 through o.js batches of at most 5,000
// requests, each batch one changeset, and checks that every one is stored.
async function createProducts(from, to) {
  const products = client.getEntitySet("ReleasedProductsV2");
  for (let start = from; start < to; start += 5000) {
    const end = Math.min(to, start + 5000);
    const before = await products.count();
    const h = oBatch();
    for (let n = start; n < end; n++) h.post("ReleasedProductsV2", product(n));
    const parts = await h.batch();
    assert(Array.isArray(parts), "the changeset answer is not a list of parts");
    equal(parts.length, end - start, "parts answered");
    const objects = parts.filter((p) => p && typeof p === "object");
    const bad = objects.filter((p) => p.status !== 201);
    assert(bad.length === 0, `${bad.length} creates were not answered 201: ` +
      String(JSON.stringify(bad[0])).slice(0, 400));
    if (objects.length !== parts.length) {
      console.log(`     note: o.js left ${parts.length - objects.length} of ${parts.length} ` +
        "parts unparsed; checking the stored count instead");
    }
    equal(await products.count(), before + end - start, "products stored by the changeset");
  }
}

async function main() {
  console.log("conformance of " + root);

  await check("$metadata parses as CSDL 4.0 (odata-csdl) with F&O's names and keys", async () => {
    const res = await fetch(root + "$metadata");
    equal(res.status, 200, "status");
    const xml = await res.text();
    const json = csdl.xml2json(xml, { annotations: true });
    equal(json.$Version, "4.0", "$Version");
    const schema = json[NS];
    assert(schema, "no schema " + NS);
    equal(schema.VendorV2.$Key, ["dataAreaId", "VendorAccountNumber"], "VendorV2 key");
    equal(schema.PurchaseOrderLineV2.$Key,
      ["dataAreaId", "PurchaseOrderNumber", "LineNumber"], "PurchaseOrderLineV2 key");
    equal(schema.SalesOrderLine.$Key, ["dataAreaId", "InventoryLotId"], "SalesOrderLine key");
    equal(schema.PurchaseOrderLineV2.LineNumber.$Type, "Edm.Int64", "LineNumber type");
    equal(schema.PurchaseOrderHeaderV2.PurchaseOrderStatus.$Type, NS + ".PurchStatus",
      "PurchaseOrderStatus type");
    assert(schema.PurchStatus.$Kind === "EnumType", "PurchStatus is not an enum type");
    equal(schema.PurchaseOrderHeaderV2.PurchaseOrderLines.$Collection, true,
      "PurchaseOrderLines is a collection");
    equal(schema.PurchaseOrderHeaderV2.PurchaseOrderLines.$Type, NS + ".PurchaseOrderLineV2",
      "PurchaseOrderLines type");
    const container = schema.Resources;
    for (const set of ["VendorsV2", "CustomersV3", "ReleasedProductsV2",
      "PurchaseOrderHeadersV2", "PurchaseOrderLinesV2", "ProductReceiptHeaders",
      "ProductReceiptLinesV2", "VendorInvoiceHeaders", "VendorInvoiceLines",
      "SalesOrderHeadersV2", "SalesOrderLines", "InventoryAdjustmentJournalHeaders",
      "InventoryAdjustmentJournalEntriesV2", "LedgerJournalHeaders", "LedgerJournalLines",
      "RetailTransactions", "RetailTransactionSalesLinesV2", "RetailTransactionPaymentLinesV2"]) {
      assert(container[set] && container[set].$Collection, "no entity set " + set);
    }
    assert(!/MaxLength/.test(xml), "$metadata declares MaxLength; F&O's does not");
  });

  const vendors = client.getEntitySet("VendorsV2");

  await check("create answers 201 with the stored record and its etag (@odata/client)", async () => {
    const created = await vendors.create(vendor("CF-V1", "Conformance Vendor One"));
    equal(created.VendorAccountNumber, "CF-V1", "VendorAccountNumber");
    equal(created.OnHoldStatus, "No", "defaulted enum");
    assert(/^W\/"/.test(created["@odata.etag"]), "no weak etag: " + created["@odata.etag"]);
    await vendors.create(vendor("CF-V2", "Conformance Vendor Two"));
    await vendors.create(vendor("CF-V3", "Another Supplier"));
  });

  await check("a duplicate key is refused with F&O's error body", async () => {
    const res = await fetch(root + "VendorsV2", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(vendor("CF-V1", "again")),
    });
    equal(res.status, 400, "status");
    const body = await res.json();
    equal(body.error.code, "", "error.code");
    equal(body.error.message, "An error has occurred.", "error.message");
    assert(/The record already exists/.test(body.error.innererror.message),
      "innererror: " + body.error.innererror.message);
  });

  await check("read by full key, $select, $filter with wildcard, $orderby, $top, $count", async () => {
    const one = await vendors.retrieve({ dataAreaId: "usmf", VendorAccountNumber: "CF-V2" });
    equal(one.VendorOrganizationName, "Conformance Vendor Two", "read by key");
    const filter = OData.newFilter().field("VendorOrganizationName").eqString("Conformance*");
    const rows = await vendors.query(client.newParam().filter(filter)
      .select(["VendorAccountNumber", "VendorOrganizationName"])
      .orderby("VendorAccountNumber", "desc").top(5));
    equal(rows.map((r) => r.VendorAccountNumber), ["CF-V2", "CF-V1"], "wildcard, desc order");
    assert(!("CurrencyCode" in rows[0]), "$select returned unselected properties");
    equal(await vendors.count(filter), 2, "$count with $filter");
    const ne = await vendors.query(client.newParam()
      .filter("not (VendorAccountNumber eq 'CF-V1') and OnHoldStatus eq " + NS +
        ".CustVendorBlocked'No'").orderby("VendorAccountNumber", "asc"));
    equal(ne.map((r) => r.VendorAccountNumber), ["CF-V2", "CF-V3"], "not, and, enum literal");
    const skipped = await vendors.query(client.newParam().orderby("VendorAccountNumber", "asc")
      .skip(1).top(1));
    equal(skipped.map((r) => r.VendorAccountNumber), ["CF-V2"], "$skip and $top");
  });

  await check("update (PATCH 204, etag changes, If-Match 412) and delete (204)", async () => {
    const key = { dataAreaId: "usmf", VendorAccountNumber: "CF-V3" };
    const before = await vendors.retrieve(key);
    await vendors.update(key, { VendorOrganizationName: "Renamed Supplier" });
    const after = await vendors.retrieve(key);
    equal(after.VendorOrganizationName, "Renamed Supplier", "updated value");
    assert(after["@odata.etag"] !== before["@odata.etag"], "the etag did not change");
    const url = root + "VendorsV2(dataAreaId='usmf',VendorAccountNumber='CF-V3')";
    const stale = await fetch(url, {
      method: "PATCH", body: JSON.stringify({ VendorOrganizationName: "x" }),
      headers: { "Content-Type": "application/json", "If-Match": before["@odata.etag"] },
    });
    equal(stale.status, 412, "PATCH with a stale etag");
    await vendors.delete(key);
    const gone = await fetch(url);
    equal(gone.status, 404, "read after delete");
  });

  await check("$expand one level, both directions", async () => {
    await client.getEntitySet("ReleasedProductsV2").create(product(0));
    await client.getEntitySet("PurchaseOrderHeadersV2").create({
      dataAreaId: "usmf", PurchaseOrderNumber: "CF-PO-1", OrderVendorAccountNumber: "CF-V1",
      CurrencyCode: "USD",
    });
    const lines = client.getEntitySet("PurchaseOrderLinesV2");
    for (const n of [1, 2]) {
      await lines.create({
        dataAreaId: "usmf", PurchaseOrderNumber: "CF-PO-1", LineNumber: n,
        ItemNumber: "CF-00000", OrderedPurchaseQuantity: 5 * n,
      });
    }
    const po = await client.getEntitySet("PurchaseOrderHeadersV2").retrieve(
      { dataAreaId: "usmf", PurchaseOrderNumber: "CF-PO-1" },
      client.newParam().expand("PurchaseOrderLines"));
    equal(po.PurchaseOrderLines.map((l) => l.LineNumber), [1, 2], "expanded lines");
    const back = await lines.query(client.newParam().expand("PurchaseOrderHeader")
      .filter("PurchaseOrderNumber eq 'CF-PO-1'"));
    equal(back[0].PurchaseOrderHeader.OrderVendorAccountNumber, "CF-V1", "expanded header");
  });

  await check("$batch: independent requests and one-request changesets (@odata/client)", async () => {
    const parts = await client.execBatchRequests([
      client.newBatchRequest({ collection: "VendorsV2", method: "POST",
        entity: vendor("CF-V4", "Batch Vendor") }),
      client.newBatchRequest({ collection: "VendorsV2", method: "POST",
        entity: vendor("CF-V1", "duplicate") }),
      client.newBatchRequest({ collection: "VendorsV2", method: "GET",
        params: client.newParam().filter("VendorAccountNumber eq 'CF-V4'") }),
    ]);
    equal(parts.map((p) => p.status), [201, 500, 200], "part statuses");
    const err = await parts[1].json();
    assert(/already exists/.test(err.error.innererror.message), "duplicate part: " +
      JSON.stringify(err));
    const read = await parts[2].json();
    equal(read.value.length, 1, "the GET sees the create before it");
  });

  await check("$batch: a failing changeset is rolled back whole (o.js)", async () => {
    const h = oBatch();
    h.post("VendorsV2", vendor("CF-V5", "first of changeset"));
    h.post("VendorsV2", vendor("CF-V1", "duplicate in changeset"));
    const parts = await h.batch();
    equal(parts.length, 1, "one error part answers the changeset");
    equal(parts[0].status, 500, "status of the error part (F&O's capture)");
    const res = await fetch(root + "VendorsV2(dataAreaId='usmf',VendorAccountNumber='CF-V5')");
    equal(res.status, 404, "the first create of the failed changeset");
  });

  await check("$batch: a changeset of 5,000 creates commits; 5,001 operations are refused", async () => {
    const started = Date.now();
    await createProducts(1, 5001);
    console.log(`     5,000 creates in one changeset: ${Date.now() - started} ms`);
    const h = oBatch();
    for (let n = 0; n <= 5000; n++) h.post("ReleasedProductsV2", product(100000 + n));
    let status = 0;
    try {
      await h.batch();
    } catch (res) {
      status = res.status;
    }
    equal(status, 400, "status of a 5,001-operation batch");
  });

  await check("server paging: 10,000 rows a page, @odata.nextLink to the end, no repeats", async () => {
    await createProducts(5001, 10051); // 10,051 products in all
    const products = client.getEntitySet("ReleasedProductsV2");
    const total = await products.count();
    equal(total, 10051, "$count");
    let page = await client.requestUri(root + "ReleasedProductsV2?$select=ItemNumber");
    const seen = new Set();
    const sizes = [];
    for (;;) {
      assert(Array.isArray(page.value), "a page without value: " + JSON.stringify(page).slice(0, 300));
      sizes.push(page.value.length);
      for (const r of page.value) {
        assert(!seen.has(r.ItemNumber), "repeated " + r.ItemNumber);
        seen.add(r.ItemNumber);
      }
      const next = page["@odata.nextLink"];
      if (!next) break;
      page = await client.requestUri(next);
    }
    equal(sizes, [10000, 51], "page sizes");
    equal(seen.size, total, "rows paged");
  });

  await check("errors: 404 for an unknown entity set and key, 400 for an unknown property", async () => {
    equal((await fetch(root + "vendorsV2")).status, 404, "entity set names are case sensitive");
    equal((await fetch(root + "VendorsV2(dataAreaId='usmf',VendorAccountNumber='NOPE')")).status,
      404, "unknown key");
    const res = await fetch(root + "VendorsV2", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...vendor("CF-V9", "x"), vendorGroupId: "10" }),
    });
    equal(res.status, 400, "unknown property");
    const body = await res.json();
    equal(body.error.innererror.type, "System.Reflection.TargetInvocationException", "type");
  });

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
