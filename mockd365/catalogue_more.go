package mockd365

// The entities beyond procure-to-pay: customers, vendor invoices, sales orders, inventory
// adjustment journals, general journals and retail transactions. Names, keys and field
// names follow reference/d365-surface.md §1.3–1.4 (from a client generated from a real
// F&O $metadata); lengths follow reference/d365-lengths-and-demo-data.md Table A. Labels
// are the ones F&O shows; where a label, a length or an enum's members are not in the
// reference, docs/mock.md says so.

var salesStatus = []string{"None", "Backorder", "Delivered", "Invoiced", "Canceled"}

var customersV3 = Entity{
	Collection: "CustomersV3", Type: "CustomerV3", Object: "CustCustomerV3Entity",
	TableLabel: "Customers", TableName: "CustTable",
	Keys: []string{"dataAreaId", "CustomerAccount"},
	Fields: []Field{
		dataAreaID,
		{Name: "CustomerAccount", Label: "Customer account", Kind: String, Length: 20, Required: true},
		{Name: "PartyType", Label: "Party type", Kind: Enum, Enum: "DirPartyType",
			Members: []string{"Organization", "Person"}, Default: "Organization"},
		{Name: "OrganizationName", Label: "Name", Kind: String, Length: 100},
		{Name: "PersonFirstName", Label: "First name", Kind: String, Length: 25},
		{Name: "PersonLastName", Label: "Last name", Kind: String, Length: 25},
		{Name: "CustomerGroupId", Label: "Customer group", Kind: String, Length: 10, Required: true},
		{Name: "SalesCurrencyCode", Label: "Currency", Kind: String, Length: 3, Required: true},
		{Name: "InvoiceAccount", Label: "Invoice account", Kind: String, Length: 20},
		{Name: "PaymentTerms", Label: "Terms of payment", Kind: String, Length: 10},
		{Name: "SalesTaxGroup", Label: "Sales tax group", Kind: String, Length: 10},
		{Name: "CreditLimit", Label: "Credit limit", Kind: Decimal},
		{Name: "LanguageId", Label: "Language", Kind: String, Length: 7},
		{Name: "AddressCountryRegionId", Label: "Country/region", Kind: String, Length: 10},
		{Name: "AddressCity", Label: "City", Kind: String, Length: 60},
		{Name: "AddressStreet", Label: "Street", Kind: String, Length: 250},
	},
	Parent: -1,
}

var vendorInvoiceHeaders = Entity{
	Collection: "VendorInvoiceHeaders", Type: "VendorInvoiceHeader",
	Object:     "VendorInvoiceHeaderEntity",
	TableLabel: "Pending vendor invoices", TableName: "VendInvoiceInfoTable",
	Keys: []string{"dataAreaId", "HeaderReference"},
	Fields: []Field{
		dataAreaID,
		{Name: "HeaderReference", Label: "Header reference", Kind: String, Length: 20},
		{Name: "InvoiceNumber", Label: "Invoice", Kind: String, Length: 20, Required: true},
		{Name: "InvoiceDate", Label: "Invoice date", Kind: DateTimeOffset},
		{Name: "Date", Label: "Posting date", Kind: DateTimeOffset},
		{Name: "DueDate", Label: "Due date", Kind: DateTimeOffset},
		{Name: "VendorAccount", Label: "Vendor account", Kind: String, Length: 20, Required: true},
		{Name: "InvoiceAccount", Label: "Invoice account", Kind: String, Length: 20},
		{Name: "PurchaseOrderNumber", Label: "Purchase order", Kind: String, Length: 20},
		{Name: "Currency", Label: "Currency", Kind: String, Length: 3},
		{Name: "InvoiceDescription", Label: "Invoice description", Kind: String, Length: 60},
		{Name: "ImportedAmount", Label: "Imported amount", Kind: Decimal},
		{Name: "IsApproved", Label: "Approved", Kind: Enum, Enum: "NoYes", Members: yesNo},
		{Name: "IsOnHold", Label: "On hold", Kind: Enum, Enum: "NoYes", Members: yesNo},
		{Name: "NumberSequenceGroup", Label: "Number sequence group", Kind: String, Length: 10},
	},
	Sequence: &NumberSequence{Field: "HeaderReference", Format: "VI%06d", Start: 1},
	References: []Reference{
		{Fields: []string{"dataAreaId", "VendorAccount"}, Entity: "VendorsV2",
			To: []string{"dataAreaId", "VendorAccountNumber"}, Label: "Vendors"},
		{Fields: []string{"dataAreaId", "InvoiceAccount"}, Entity: "VendorsV2",
			To: []string{"dataAreaId", "VendorAccountNumber"}, Label: "Vendors"},
		{Fields: []string{"dataAreaId", "PurchaseOrderNumber"}, Entity: "PurchaseOrderHeadersV2",
			To: []string{"dataAreaId", "PurchaseOrderNumber"}, Label: "Purchase orders"},
	},
	Parent:            -1,
	ExternalReference: []string{"VendorAccount", "InvoiceNumber"},
}

var vendorInvoiceLines = Entity{
	Collection: "VendorInvoiceLines", Type: "VendorInvoiceLine", Object: "VendorInvoiceLineEntity",
	TableLabel: "Pending vendor invoice lines", TableName: "VendInvoiceInfoLine",
	Keys: []string{"dataAreaId", "HeaderReference", "InvoiceLineNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "HeaderReference", Label: "Header reference", Kind: String, Length: 20, Required: true},
		{Name: "InvoiceLineNumber", Label: "Line number", Kind: Decimal, Required: true},
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20},
		{Name: "ProcurementCategoryName", Label: "Procurement category", Kind: String, Length: 254},
		{Name: "PurchaseOrder", Label: "Purchase order", Kind: String, Length: 20},
		{Name: "PurchLineNumber", Label: "Purchase order line number", Kind: Int64},
		{Name: "ReceiveNow", Label: "Quantity", Kind: Decimal},
		{Name: "UnitPrice", Label: "Unit price", Kind: Decimal},
		{Name: "LineAmount", Label: "Net amount", Kind: Decimal},
		{Name: "LineDescription", Label: "Text", Kind: String, Length: 1000},
		{Name: "Currency", Label: "Currency", Kind: String, Length: 3, Required: true},
	},
	References: []Reference{
		{Fields: []string{"dataAreaId", "HeaderReference"}, Entity: "VendorInvoiceHeaders",
			To: []string{"dataAreaId", "HeaderReference"}, Label: "Pending vendor invoices",
			Navigation: "VendorInvoiceHeader", Partner: "VendorInvoiceLines"},
		{Fields: []string{"dataAreaId", "ItemNumber"}, Entity: "ReleasedProductsV2",
			To: []string{"dataAreaId", "ItemNumber"}, Label: "Items"},
		{Fields: []string{"dataAreaId", "PurchaseOrder", "PurchLineNumber"},
			Entity: "PurchaseOrderLinesV2",
			To:     []string{"dataAreaId", "PurchaseOrderNumber", "LineNumber"},
			Label:  "Purchase order lines"},
	},
	Parent: 0,
}

var salesOrderHeadersV2 = Entity{
	Collection: "SalesOrderHeadersV2", Type: "SalesOrderHeaderV2",
	Object:     "SalesOrderHeaderV2Entity",
	TableLabel: "Sales orders", TableName: "SalesTable",
	Keys: []string{"dataAreaId", "SalesOrderNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "SalesOrderNumber", Label: "Sales order", Kind: String, Length: 20},
		{Name: "OrderingCustomerAccountNumber", Label: "Customer account", Kind: String,
			Length: 20, Required: true},
		{Name: "InvoiceCustomerAccountNumber", Label: "Invoice account", Kind: String,
			Length: 20, Required: true},
		{Name: "CurrencyCode", Label: "Currency", Kind: String, Length: 3, Required: true},
		{Name: "RequestedShippingDate", Label: "Requested ship date", Kind: DateTimeOffset,
			Required: true},
		{Name: "RequestedReceiptDate", Label: "Requested receipt date", Kind: DateTimeOffset},
		{Name: "CustomersOrderReference", Label: "Customer reference", Kind: String, Length: 60},
		{Name: "CustomerRequisitionNumber", Label: "Customer requisition", Kind: String, Length: 20},
		{Name: "DefaultShippingSiteId", Label: "Site", Kind: String, Length: 10},
		{Name: "DefaultShippingWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
		{Name: "SalesOrderPoolId", Label: "Pool", Kind: String, Length: 10},
		{Name: "SalesOrderOriginCode", Label: "Origin", Kind: String, Length: 10},
		{Name: "DeliveryModeCode", Label: "Mode of delivery", Kind: String, Length: 10},
		{Name: "SalesOrderStatus", Label: "Status", Kind: Enum, Enum: "SalesStatus",
			Members: salesStatus, Default: "Backorder"},
	},
	Sequence: &NumberSequence{Field: "SalesOrderNumber", Format: "%06d", Start: 1},
	References: []Reference{
		{Fields: []string{"dataAreaId", "OrderingCustomerAccountNumber"}, Entity: "CustomersV3",
			To: []string{"dataAreaId", "CustomerAccount"}, Label: "Customers"},
		{Fields: []string{"dataAreaId", "InvoiceCustomerAccountNumber"}, Entity: "CustomersV3",
			To: []string{"dataAreaId", "CustomerAccount"}, Label: "Customers"},
	},
	Parent:            -1,
	ExternalReference: []string{"CustomersOrderReference"},
}

var salesOrderLines = Entity{
	Collection: "SalesOrderLines", Type: "SalesOrderLine", Object: "SalesOrderLineV2Entity",
	TableLabel: "Order lines", TableName: "SalesLine",
	Keys: []string{"dataAreaId", "InventoryLotId"},
	Fields: []Field{
		dataAreaID,
		{Name: "InventoryLotId", Label: "Lot ID", Kind: String, Length: 20},
		{Name: "SalesOrderNumber", Label: "Sales order", Kind: String, Length: 20, Required: true},
		{Name: "LineNumber", Label: "Line number", Kind: Decimal},
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20, Required: true},
		{Name: "OrderedSalesQuantity", Label: "Quantity", Kind: Decimal, Required: true},
		{Name: "SalesUnitSymbol", Label: "Unit", Kind: String, Length: 10},
		{Name: "SalesPrice", Label: "Unit price", Kind: Decimal},
		{Name: "LineAmount", Label: "Net amount", Kind: Decimal},
		{Name: "LineDescription", Label: "Text", Kind: String, Length: 1000},
		{Name: "ShippingSiteId", Label: "Site", Kind: String, Length: 10},
		{Name: "ShippingWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
		{Name: "RequestedShippingDate", Label: "Requested ship date", Kind: DateTimeOffset},
		{Name: "ExternalItemNumber", Label: "External item number", Kind: String, Length: 20},
		{Name: "CustomersLineNumber", Label: "Customer line number", Kind: Decimal},
		{Name: "SalesOrderLineStatus", Label: "Line status", Kind: Enum, Enum: "SalesStatus",
			Members: salesStatus, Default: "Backorder"},
	},
	Sequence: &NumberSequence{Field: "InventoryLotId", Format: "%06d", Start: 1},
	References: []Reference{
		{Fields: []string{"dataAreaId", "SalesOrderNumber"}, Entity: "SalesOrderHeadersV2",
			To: []string{"dataAreaId", "SalesOrderNumber"}, Label: "Sales orders",
			Fill:       map[string]string{"RequestedShippingDate": "RequestedShippingDate"},
			Navigation: "SalesOrderHeader", Partner: "SalesOrderLines"},
		{Fields: []string{"dataAreaId", "ItemNumber"}, Entity: "ReleasedProductsV2",
			To: []string{"dataAreaId", "ItemNumber"}, Label: "Items"},
	},
	Parent:            0,
	ExternalReference: []string{"SalesOrderNumber", "LineNumber"},
}

// The inventory dimensions of an adjustment journal line's key, between ItemNumber and
// LineNumber: 16 key fields in all, as the reference counts them. Which twelve
// dimensions F&O puts there is not in the reference; these are the common ones.
var inventoryDimensions = []Field{
	{Name: "ProductConfigurationId", Label: "Configuration", Kind: String, Length: 10},
	{Name: "ProductColorId", Label: "Color", Kind: String, Length: 10},
	{Name: "ProductSizeId", Label: "Size", Kind: String, Length: 10},
	{Name: "ProductStyleId", Label: "Style", Kind: String, Length: 10},
	{Name: "ProductVersionId", Label: "Version", Kind: String, Length: 10},
	{Name: "InventorySiteId", Label: "Site", Kind: String, Length: 10},
	{Name: "InventoryWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
	{Name: "WarehouseLocationId", Label: "Location", Kind: String, Length: 10},
	{Name: "InventoryStatusId", Label: "Inventory status", Kind: String, Length: 10},
	{Name: "LicensePlateNumber", Label: "License plate", Kind: String, Length: 25},
	{Name: "ItemBatchNumber", Label: "Batch number", Kind: String, Length: 20},
	{Name: "ItemSerialNumber", Label: "Serial number", Kind: String, Length: 20},
}

var inventoryAdjustmentJournalHeaders = Entity{
	Collection: "InventoryAdjustmentJournalHeaders", Type: "InventoryAdjustmentJournalHeader",
	Object:     "InventInventoryAdjustmentJournalHeaderEntity",
	TableLabel: "Inventory journal table", TableName: "InventJournalTable",
	Keys: []string{"dataAreaId", "JournalNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "JournalNumber", Label: "Journal", Kind: String, Length: 10},
		{Name: "JournalNameId", Label: "Name", Kind: String, Length: 10, Required: true},
		{Name: "Description", Label: "Description", Kind: String, Length: 60},
		{Name: "DefaultInventorySiteId", Label: "Site", Kind: String, Length: 10},
		{Name: "DefaultWarehouseId", Label: "Warehouse", Kind: String, Length: 10},
		{Name: "IsPosted", Label: "Posted", Kind: Enum, Enum: "NoYes", Members: yesNo},
		{Name: "PostedDateTime", Label: "Posted on", Kind: DateTimeOffset},
		{Name: "PostedUserId", Label: "Posted by", Kind: String, Length: 20},
	},
	Sequence: &NumberSequence{Field: "JournalNumber", Format: "%05d", Start: 1},
	Parent:   -1,
}

var inventoryAdjustmentJournalEntriesV2 = Entity{
	Collection: "InventoryAdjustmentJournalEntriesV2", Type: "InventoryAdjustmentJournalEntryV2",
	Object:     "InventInventoryAdjustmentJournalEntryV2Entity",
	TableLabel: "Inventory journal transactions", TableName: "InventJournalTrans",
	Keys: adjustmentEntryKeys(),
	Fields: append(append([]Field{
		dataAreaID,
		{Name: "JournalNumber", Label: "Journal", Kind: String, Length: 10, Required: true},
		{Name: "ItemNumber", Label: "Item number", Kind: String, Length: 20, Required: true},
	}, inventoryDimensions...),
		Field{Name: "LineNumber", Label: "Line number", Kind: Decimal, Required: true},
		Field{Name: "TransactionDate", Label: "Date", Kind: DateTimeOffset},
		Field{Name: "InventoryQuantity", Label: "Quantity", Kind: Decimal, Required: true},
		Field{Name: "UnitCost", Label: "Cost price", Kind: Decimal},
		Field{Name: "CostAmount", Label: "Cost amount", Kind: Decimal},
		Field{Name: "OffsetMainAccountIdDisplayValue", Label: "Offset account", Kind: String,
			Length: 500},
	),
	References: []Reference{
		{Fields: []string{"dataAreaId", "JournalNumber"},
			Entity: "InventoryAdjustmentJournalHeaders",
			To:     []string{"dataAreaId", "JournalNumber"}, Label: "Inventory journal table",
			Navigation: "InventoryAdjustmentJournalHeader",
			Partner:    "InventoryAdjustmentJournalEntries"},
		{Fields: []string{"dataAreaId", "ItemNumber"}, Entity: "ReleasedProductsV2",
			To: []string{"dataAreaId", "ItemNumber"}, Label: "Items"},
	},
	Parent: 0,
}

// adjustmentEntryKeys is the 16-part key of an adjustment journal line.
func adjustmentEntryKeys() []string {
	keys := []string{"dataAreaId", "JournalNumber", "ItemNumber"}
	for _, f := range inventoryDimensions {
		keys = append(keys, f.Name)
	}
	return append(keys, "LineNumber")
}

var ledgerJournalACType = []string{"Ledger", "Cust", "Vend", "Project", "FixedAssets", "Bank"}

var ledgerJournalHeaders = Entity{
	Collection: "LedgerJournalHeaders", Type: "LedgerJournalHeader",
	Object:     "LedgerJournalHeaderEntity",
	TableLabel: "Journal names", TableName: "LedgerJournalTable",
	Keys: []string{"dataAreaId", "JournalBatchNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "JournalBatchNumber", Label: "Journal batch number", Kind: String, Length: 20},
		{Name: "JournalName", Label: "Name", Kind: String, Length: 10, Required: true},
		{Name: "Description", Label: "Description", Kind: String, Length: 60},
		{Name: "PostingLayer", Label: "Posting layer", Kind: Enum, Enum: "CurrentOperationsTax",
			Members: []string{"Current", "Operations", "Tax"}},
		{Name: "IsPosted", Label: "Posted", Kind: Enum, Enum: "NoYes", Members: yesNo},
		{Name: "JournalTotalDebit", Label: "Total debit", Kind: Decimal},
		{Name: "JournalTotalCredit", Label: "Total credit", Kind: Decimal},
		{Name: "IntegrationKey", Label: "Integration key", Kind: String, Length: 100},
	},
	Sequence: &NumberSequence{Field: "JournalBatchNumber", Format: "%05d", Start: 1},
	Parent:   -1,
}

var ledgerJournalLines = Entity{
	Collection: "LedgerJournalLines", Type: "LedgerJournalLine", Object: "LedgerJournalLineEntity",
	TableLabel: "Journal lines", TableName: "LedgerJournalTrans",
	Keys: []string{"dataAreaId", "JournalBatchNumber", "LineNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "JournalBatchNumber", Label: "Journal batch number", Kind: String, Length: 20,
			Required: true},
		{Name: "LineNumber", Label: "Line number", Kind: Decimal},
		{Name: "TransDate", Label: "Date", Kind: DateTimeOffset, Required: true},
		{Name: "Voucher", Label: "Voucher", Kind: String, Length: 20},
		{Name: "AccountType", Label: "Account type", Kind: Enum, Enum: "LedgerJournalACType",
			Members: ledgerJournalACType},
		{Name: "AccountDisplayValue", Label: "Account", Kind: String, Length: 500},
		{Name: "OffsetAccountType", Label: "Offset account type", Kind: Enum,
			Enum: "LedgerJournalACType", Members: ledgerJournalACType},
		{Name: "OffsetAccountDisplayValue", Label: "Offset account", Kind: String, Length: 500},
		{Name: "CurrencyCode", Label: "Currency", Kind: String, Length: 3, Required: true},
		{Name: "DebitAmount", Label: "Debit", Kind: Decimal},
		{Name: "CreditAmount", Label: "Credit", Kind: Decimal},
		{Name: "Text", Label: "Description", Kind: String, Length: 60},
		{Name: "Document", Label: "Document", Kind: String, Length: 20},
		{Name: "Invoice", Label: "Invoice", Kind: String, Length: 20},
		{Name: "Company", Label: "Company", Kind: String, Length: 4},
		{Name: "OffsetCompany", Label: "Offset company", Kind: String, Length: 4},
	},
	// LineNumber is "not required on insert": the mock numbers lines per legal entity.
	Sequence: &NumberSequence{Field: "LineNumber", Start: 1},
	References: []Reference{
		{Fields: []string{"dataAreaId", "JournalBatchNumber"}, Entity: "LedgerJournalHeaders",
			To: []string{"dataAreaId", "JournalBatchNumber"}, Label: "Journal names",
			Navigation: "LedgerJournalHeader", Partner: "LedgerJournalLines"},
	},
	Parent: 0,
}

var retailTransactions = Entity{
	Collection: "RetailTransactions", Type: "RetailTransaction", Object: "RetailTransactionEntity",
	TableLabel: "Transactions", TableName: "RetailTransactionTable",
	Keys: []string{"dataAreaId", "TransactionNumber", "OperatingUnitNumber", "Terminal"},
	Fields: []Field{
		dataAreaID,
		{Name: "TransactionNumber", Label: "Transaction number", Kind: String, Length: 44,
			Required: true},
		{Name: "OperatingUnitNumber", Label: "Operating unit number", Kind: String, Length: 8,
			Required: true},
		{Name: "Terminal", Label: "Register number", Kind: String, Length: 10, Required: true},
		{Name: "TransactionDate", Label: "Date", Kind: DateTimeOffset},
		{Name: "TransactionTime", Label: "Time", Kind: Int32},
		{Name: "businessDate", Label: "Business date", Kind: DateTimeOffset},
		{Name: "TransactionType", Label: "Type", Kind: Enum, Enum: "RetailTransactionType",
			Members: []string{"Sales", "Payment", "LogOn", "LogOff", "NoSale", "SalesOrder",
				"SalesInvoice", "BankDrop", "SafeDrop", "IncomeExpense"}, Default: "Sales"},
		{Name: "TransactionStatus", Label: "Transaction status", Kind: Enum,
			Enum: "RetailEntryStatus", Members: []string{"None", "Voided", "Posted", "Concluded",
				"Cancelled", "OnHold", "Training", "PendingInvoice", "CreatingOrder"}},
		{Name: "CustomerAccount", Label: "Customer", Kind: String, Length: 20},
		{Name: "Currency", Label: "Currency", Kind: String, Length: 3},
		{Name: "GrossAmount", Label: "Gross amount", Kind: Decimal},
		{Name: "NetAmount", Label: "Net amount", Kind: Decimal},
		{Name: "PaymentAmount", Label: "Payment amount", Kind: Decimal},
		{Name: "Shift", Label: "Shift", Kind: Int64},
		{Name: "ChannelReferenceId", Label: "Channel reference ID", Kind: String, Length: 50},
	},
	References: []Reference{
		{Fields: []string{"dataAreaId", "CustomerAccount"}, Entity: "CustomersV3",
			To: []string{"dataAreaId", "CustomerAccount"}, Label: "Customers"},
	},
	Parent: -1,
}

// retailParent is the reference of a retail transaction line to its transaction.
func retailParent(partner string) Reference {
	cols := []string{"dataAreaId", "TransactionNumber", "OperatingUnitNumber", "Terminal"}
	return Reference{Fields: cols, Entity: "RetailTransactions", To: cols,
		Label: "Transactions", Navigation: "RetailTransaction", Partner: partner}
}

var retailTransactionSalesLinesV2 = Entity{
	Collection: "RetailTransactionSalesLinesV2", Type: "RetailTransactionSalesLineV2",
	Object:     "RetailTransactionSalesLineV2Entity",
	TableLabel: "Sales transactions", TableName: "RetailTransactionSalesTrans",
	Keys: []string{"dataAreaId", "Terminal", "TransactionNumber", "LineNumber",
		"OperatingUnitNumber"},
	Fields: []Field{
		dataAreaID,
		{Name: "Terminal", Label: "Register number", Kind: String, Length: 10, Required: true},
		{Name: "TransactionNumber", Label: "Transaction number", Kind: String, Length: 44,
			Required: true},
		{Name: "LineNumber", Label: "Line number", Kind: Decimal, Required: true},
		{Name: "OperatingUnitNumber", Label: "Operating unit number", Kind: String, Length: 8,
			Required: true},
		{Name: "ItemId", Label: "Item number", Kind: String, Length: 20},
		{Name: "BarCode", Label: "Bar code", Kind: String, Length: 80},
		{Name: "Quantity", Label: "Quantity", Kind: Decimal},
		{Name: "Price", Label: "Price", Kind: Decimal},
		{Name: "NetAmount", Label: "Net amount", Kind: Decimal},
		{Name: "NetAmountInclusiveTax", Label: "Net amount including tax", Kind: Decimal},
		{Name: "Unit", Label: "Unit", Kind: String, Length: 10},
		{Name: "ReceiptNumber", Label: "Receipt number", Kind: String, Length: 18},
	},
	References: []Reference{
		retailParent("SalesLines"),
		{Fields: []string{"dataAreaId", "ItemId"}, Entity: "ReleasedProductsV2",
			To: []string{"dataAreaId", "ItemNumber"}, Label: "Items"},
	},
	Parent: 0,
}

var retailTransactionPaymentLinesV2 = Entity{
	Collection: "RetailTransactionPaymentLinesV2", Type: "RetailTransactionPaymentLineV2",
	Object:     "RetailTransactionPaymentLineV2Entity",
	TableLabel: "Payment transactions", TableName: "RetailTransactionPaymentTrans",
	Keys: []string{"dataAreaId", "Terminal", "TransactionNumber", "LineNumber",
		"OperatingUnitNumber", "Store"},
	Fields: []Field{
		dataAreaID,
		{Name: "Terminal", Label: "Register number", Kind: String, Length: 10, Required: true},
		{Name: "TransactionNumber", Label: "Transaction number", Kind: String, Length: 44,
			Required: true},
		{Name: "LineNumber", Label: "Line number", Kind: Decimal, Required: true},
		{Name: "OperatingUnitNumber", Label: "Operating unit number", Kind: String, Length: 8,
			Required: true},
		{Name: "Store", Label: "Store number", Kind: String, Length: 10},
		{Name: "TenderType", Label: "Tender type", Kind: String, Length: 10},
		{Name: "AmountTendered", Label: "Amount", Kind: Decimal},
		{Name: "AmountInAccountingCurrency", Label: "Amount in accounting currency", Kind: Decimal},
		{Name: "CurrencyCode", Label: "Currency", Kind: String, Length: 3},
	},
	References: []Reference{retailParent("PaymentLines")},
	Parent:     0,
}
