package mockd365

// A Kind is the EDM type of a field as F&O's $metadata declares it.
type Kind int

// The kinds of field the mock knows. Dates are Edm.DateTimeOffset even when F&O stores a
// pure date; yes/no flags are enums (NoYes), as in F&O.
const (
	String Kind = iota
	Int32
	Int64
	Decimal
	DateTimeOffset
	Enum
)

// A Field describes one property of an entity.
type Field struct {
	Name     string   // property name, exact case
	Label    string   // the label F&O puts in Infolog messages ("Vendor account")
	Kind     Kind     // EDM type
	Length   int      // maximum length of a String; 0 means unbounded
	Required bool     // must be supplied on create ("Field '<Label>' must be filled in.")
	Enum     string   // enum type name for Kind Enum, such as "PurchStatus"
	Members  []string // enum members for Kind Enum
	Default  any      // value stored when the field is not supplied; nil means the type's zero
}

// A Reference says that Fields of this entity must name an existing record of Entity
// through its fields To (same order). A reference whose fields are all empty is not
// checked. Fill copies fields of the referenced record into this one (this field ← that
// field), for links that the server resolves, such as a receipt line's header record id.
type Reference struct {
	Fields []string
	Entity string
	To     []string
	Label  string // table label in the "not found in the related table" message
	Fill   map[string]string
	// Navigation names the single-valued navigation property of this entity to the record
	// it references, and Partner the collection-valued one of the referenced entity back to
	// this one; $metadata declares them and $expand follows them. Empty: no navigation.
	Navigation string
	Partner    string
}

// A NumberSequence assigns a key field when the client leaves it out, as F&O's number
// sequences do: Format is a fmt verb applied to the next number of the legal entity, and
// Start is the first number.
type NumberSequence struct {
	Field  string
	Format string
	Start  int64
}

// An Entity describes one public collection of the F&O OData surface.
type Entity struct {
	Collection string // URL segment, such as "PurchaseOrderHeadersV2"
	Type       string // EDM entity type, such as "PurchaseOrderHeaderV2"
	Object     string // AOT entity object named in write errors, "PurchPurchaseOrderHeaderV2Entity"
	TableLabel string // "Purchase orders"
	TableName  string // "PurchTable"
	Keys       []string
	Fields     []Field
	Sequence   *NumberSequence
	References []Reference
	// Parent is the index in References of the reference to the parent document (a line's
	// header), or -1. Designs decide what happens when a child arrives before its parent.
	Parent int
	// ExternalReference names the non-key fields that identify a document on the sender's
	// side (a vendor's order reference, a packing slip number with its order). Designs that
	// deduplicate match a create on them, within its legal entity, when all are filled in.
	// Empty when the key itself is the sender's identifier.
	ExternalReference []string
}

var yesNo = []string{"No", "Yes"}

// Catalogue lists the entities the mock serves, in $metadata order. Referenced entities
// come before the entities that reference them.
var Catalogue = []Entity{
	vendorsV2,
	customersV3,
	releasedProductsV2,
	purchaseOrderHeadersV2,
	purchaseOrderLinesV2,
	productReceiptHeaders,
	productReceiptLinesV2,
	vendorInvoiceHeaders,
	vendorInvoiceLines,
	salesOrderHeadersV2,
	salesOrderLines,
	inventoryAdjustmentJournalHeaders,
	inventoryAdjustmentJournalEntriesV2,
	ledgerJournalHeaders,
	ledgerJournalLines,
	retailTransactions,
	retailTransactionSalesLinesV2,
	retailTransactionPaymentLinesV2,
}

var dataAreaID = Field{Name: "dataAreaId", Label: "Company", Kind: String, Length: 4}

var vendorsV2 = Entity{
	Collection: "VendorsV2", Type: "VendorV2", Object: "VendVendorV2Entity",
	TableLabel: "Vendors", TableName: "VendTable",
	Keys: []string{"dataAreaId", "VendorAccountNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "VendorAccountNumber", Label: "Vendor account", Kind: String, Length: 20, Required: true},
		{Name: "VendorOrganizationName", Label: "Name", Kind: String, Length: 100, Required: true},
		{Name: "VendorGroupId", Label: "Group", Kind: String, Length: 10, Required: true},
		{Name: "CurrencyCode", Label: "Currency", Kind: String, Length: 3, Required: true},
		{Name: "DefaultPaymentTermsName", Label: "Terms of payment", Kind: String, Length: 10},
		{Name: "AddressCountryRegionId", Label: "Country/region", Kind: String, Length: 10},
		{Name: "AddressCity", Label: "City", Kind: String, Length: 60},
		{Name: "AddressStreet", Label: "Street", Kind: String, Length: 250},
		{Name: "OnHoldStatus", Label: "Vendor hold", Kind: Enum, Enum: "CustVendorBlocked",
			Members: []string{"No", "Invoice", "All", "Payment", "Requisition", "Never"}, Default: "No"},
	},
	Parent: -1,
}

var releasedProductsV2 = Entity{
	Collection: "ReleasedProductsV2", Type: "ReleasedProductV2", Object: "EcoResReleasedProductV2Entity",
	TableLabel: "Items", TableName: "InventTable",
	Keys: []string{"dataAreaId", "ItemNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20, Required: true},
		{Name: "ProductNumber", Label: "Product number", Kind: String, Length: 20, Required: true},
		{Name: "ProductName", Label: "Product name", Kind: String, Length: 60},
		{Name: "SearchName", Label: "Search name", Kind: String, Length: 20},
		{Name: "ProductType", Label: "Product type", Kind: Enum, Enum: "EcoResProductType",
			Members: []string{"Item", "Service"}, Default: "Item"},
		{Name: "ProductSubType", Label: "Product subtype", Kind: Enum, Enum: "EcoResProductSubtype",
			Members: []string{"Product", "ProductMaster"}, Default: "Product"},
		{Name: "ItemModelGroupId", Label: "Item model group", Kind: String, Length: 10},
		{Name: "InventoryUnitSymbol", Label: "Inventory unit", Kind: String, Length: 10},
		{Name: "PurchaseUnitSymbol", Label: "Purchase unit", Kind: String, Length: 10},
		{Name: "SalesUnitSymbol", Label: "Sales unit", Kind: String, Length: 10},
		{Name: "PurchasePrice", Label: "Purchase price", Kind: Decimal},
		{Name: "SalesPrice", Label: "Sales price", Kind: Decimal},
	},
	Parent: -1,
}

var purchStatus = []string{"None", "Backorder", "Received", "Invoiced", "Canceled"}

var purchaseOrderHeadersV2 = Entity{
	Collection: "PurchaseOrderHeadersV2", Type: "PurchaseOrderHeaderV2",
	Object:     "PurchPurchaseOrderHeaderV2Entity",
	TableLabel: "Purchase orders", TableName: "PurchTable",
	Keys: []string{"dataAreaId", "PurchaseOrderNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "PurchaseOrderNumber", Label: "Purchase order", Kind: String, Length: 20},
		{Name: "OrderVendorAccountNumber", Label: "Vendor account", Kind: String, Length: 20, Required: true},
		{Name: "InvoiceVendorAccountNumber", Label: "Invoice account", Kind: String, Length: 20},
		{Name: "VendorOrderReference", Label: "Vendor reference", Kind: String, Length: 60},
		{Name: "PurchaseOrderName", Label: "Vendor name", Kind: String, Length: 100},
		{Name: "CurrencyCode", Label: "Currency", Kind: String, Length: 3, Required: true},
		{Name: "RequestedDeliveryDate", Label: "Requested receipt date", Kind: DateTimeOffset},
		{Name: "AccountingDate", Label: "Accounting date", Kind: DateTimeOffset},
		{Name: "DefaultReceivingSiteId", Label: "Site", Kind: String, Length: 10},
		{Name: "DefaultReceivingWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
		{Name: "DeliveryModeId", Label: "Mode of delivery", Kind: String, Length: 10},
		{Name: "PaymentTermsName", Label: "Terms of payment", Kind: String, Length: 10},
		{Name: "PurchaseOrderStatus", Label: "Status", Kind: Enum, Enum: "PurchStatus",
			Members: purchStatus, Default: "Backorder"},
		{Name: "DocumentApprovalStatus", Label: "Approval status", Kind: Enum,
			Enum: "VersioningDocumentState", Default: "Draft",
			Members: []string{"Draft", "InReview", "Rejected", "Approved", "InExternalReview",
				"Finalized", "Confirmed"}},
	},
	Sequence: &NumberSequence{Field: "PurchaseOrderNumber", Format: "%08d", Start: 1},
	References: []Reference{
		{Fields: []string{"dataAreaId", "OrderVendorAccountNumber"}, Entity: "VendorsV2",
			To: []string{"dataAreaId", "VendorAccountNumber"}, Label: "Vendors"},
		{Fields: []string{"dataAreaId", "InvoiceVendorAccountNumber"}, Entity: "VendorsV2",
			To: []string{"dataAreaId", "VendorAccountNumber"}, Label: "Vendors"},
	},
	Parent:            -1,
	ExternalReference: []string{"VendorOrderReference"},
}

var purchaseOrderLinesV2 = Entity{
	Collection: "PurchaseOrderLinesV2", Type: "PurchaseOrderLineV2",
	Object:     "PurchPurchaseOrderLineV2Entity",
	TableLabel: "Purchase order lines", TableName: "PurchLine",
	Keys: []string{"dataAreaId", "PurchaseOrderNumber", "LineNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "PurchaseOrderNumber", Label: "Purchase order", Kind: String, Length: 20, Required: true},
		{Name: "LineNumber", Label: "Line number", Kind: Int64, Required: true},
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20, Required: true},
		{Name: "OrderedPurchaseQuantity", Label: "Quantity", Kind: Decimal, Required: true},
		{Name: "PurchaseUnitSymbol", Label: "Unit", Kind: String, Length: 10},
		{Name: "PurchasePrice", Label: "Unit price", Kind: Decimal},
		{Name: "LineAmount", Label: "Net amount", Kind: Decimal},
		{Name: "LineDescription", Label: "Text", Kind: String, Length: 1000},
		{Name: "RequestedDeliveryDate", Label: "Requested receipt date", Kind: DateTimeOffset},
		{Name: "ReceivingSiteId", Label: "Site", Kind: String, Length: 10},
		{Name: "ReceivingWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
		{Name: "PurchaseOrderLineStatus", Label: "Line status", Kind: Enum, Enum: "PurchStatus",
			Members: purchStatus, Default: "Backorder"},
	},
	References: []Reference{
		{Fields: []string{"dataAreaId", "PurchaseOrderNumber"}, Entity: "PurchaseOrderHeadersV2",
			To: []string{"dataAreaId", "PurchaseOrderNumber"}, Label: "Purchase orders",
			Navigation: "PurchaseOrderHeader", Partner: "PurchaseOrderLines"},
		{Fields: []string{"dataAreaId", "ItemNumber"}, Entity: "ReleasedProductsV2",
			To: []string{"dataAreaId", "ItemNumber"}, Label: "Items"},
	},
	Parent: 0,
}

var productReceiptHeaders = Entity{
	Collection: "ProductReceiptHeaders", Type: "ProductReceiptHeader",
	Object:     "PurchProductReceiptHeaderEntity",
	TableLabel: "Product receipt journal", TableName: "VendPackingSlipJour",
	Keys: []string{"dataAreaId", "RecordId"},
	Fields: []Field{
		dataAreaID,
		{Name: "RecordId", Label: "Record-ID", Kind: Int64},
		{Name: "ProductReceiptNumber", Label: "Product receipt", Kind: String, Length: 20, Required: true},
		{Name: "ProductReceiptDate", Label: "Product receipt date", Kind: DateTimeOffset, Required: true},
		{Name: "PurchaseOrderNumber", Label: "Purchase order", Kind: String, Length: 20, Required: true},
		{Name: "OrderVendorAccountNumber", Label: "Vendor account", Kind: String, Length: 20},
	},
	Sequence: &NumberSequence{Field: "RecordId", Format: "%d", Start: 5637144576},
	References: []Reference{
		{Fields: []string{"dataAreaId", "PurchaseOrderNumber"}, Entity: "PurchaseOrderHeadersV2",
			To: []string{"dataAreaId", "PurchaseOrderNumber"}, Label: "Purchase orders",
			Fill: map[string]string{"OrderVendorAccountNumber": "OrderVendorAccountNumber"}},
	},
	Parent:            -1,
	ExternalReference: []string{"ProductReceiptNumber", "PurchaseOrderNumber"},
}

var productReceiptLinesV2 = Entity{
	Collection: "ProductReceiptLinesV2", Type: "ProductReceiptLineV2",
	Object:     "PurchProductReceiptLineV2Entity",
	TableLabel: "Product receipt lines", TableName: "VendPackingSlipTrans",
	Keys: []string{"dataAreaId", "RecordId"},
	Fields: []Field{
		dataAreaID,
		{Name: "RecordId", Label: "Record-ID", Kind: Int64},
		{Name: "ProductReceiptHeaderRecordId", Label: "Product receipt journal", Kind: Int64},
		{Name: "ProductReceiptNumber", Label: "Product receipt", Kind: String, Length: 20, Required: true},
		{Name: "PurchaseOrderNumber", Label: "Purchase order", Kind: String, Length: 20, Required: true},
		{Name: "PurchaseOrderLineNumber", Label: "Line number", Kind: Int64, Required: true},
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20, Required: true},
		{Name: "ReceivedPurchaseQuantity", Label: "Quantity", Kind: Decimal, Required: true},
		{Name: "ReceivingWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
	},
	Sequence: &NumberSequence{Field: "RecordId", Format: "%d", Start: 5637244576},
	References: []Reference{
		{Fields: []string{"dataAreaId", "ProductReceiptNumber", "PurchaseOrderNumber"},
			Entity:     "ProductReceiptHeaders",
			To:         []string{"dataAreaId", "ProductReceiptNumber", "PurchaseOrderNumber"},
			Label:      "Product receipt journal",
			Fill:       map[string]string{"ProductReceiptHeaderRecordId": "RecordId"},
			Navigation: "ProductReceiptHeader", Partner: "ProductReceiptLines"},
		{Fields: []string{"dataAreaId", "PurchaseOrderNumber", "PurchaseOrderLineNumber"},
			Entity: "PurchaseOrderLinesV2",
			To:     []string{"dataAreaId", "PurchaseOrderNumber", "LineNumber"},
			Label:  "Purchase order lines"},
	},
	Parent: 0,
	ExternalReference: []string{
		"ProductReceiptNumber", "PurchaseOrderNumber", "PurchaseOrderLineNumber"},
}
