package generators

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// Document kinds written by the procure-to-pay flow.
const (
	PurchaseOrder  = "purchase-order"
	ProductReceipt = "product-receipt"
	VendorInvoice  = "vendor-invoice"
)

// receiptShare is the share of purchase orders that get a product receipt in the run, and
// invoiceShare the share of received orders that the vendor invoices in the run; the rest
// are still open at the end of the business day, as in a real purchasing department.
const (
	receiptShare = 0.85
	invoiceShare = 0.8
)

// procureToPay builds one business case: a purchase order with its lines, for most orders
// the product receipt of the goods against those lines, and for most receipts the vendor's
// pending invoice for what was received.
type procureToPay struct {
	rnd      *rand.Rand
	fake     *gofakeit.Faker
	minLines int
	maxLines int
	changes  float64               // share of orders whose buyer revises a line
	vendors  map[string]*rand.Zipf // per legal entity: a few vendors get most orders
}

func newProcureToPay(rnd *rand.Rand, fake *gofakeit.Faker, minLines, maxLines int) *procureToPay {
	return &procureToPay{
		rnd: rnd, fake: fake, minLines: minLines, maxLines: maxLines,
		vendors: map[string]*rand.Zipf{},
	}
}

// build returns the documents of one case within budget messages, or nil when the budget
// is spent. The last order of a run is trimmed to the budget, down to a header without
// lines, so that a run sends exactly the messages it was asked for.
func (p *procureToPay) build(c *caseContext, budget int) []*Document {
	if budget < 1 {
		return nil
	}
	lines := min(p.lineCount(), budget-1)
	po := p.purchaseOrder(c, lines)
	budget -= len(po.Messages)
	budget -= p.revise(c, po, budget)
	if budget < 2 || lines == 0 || p.rnd.Float64() >= receiptShare {
		return []*Document{po}
	}
	rc := p.receipt(c, po, budget)
	budget -= len(rc.Messages)
	if budget < 2 || p.rnd.Float64() >= invoiceShare {
		return []*Document{po, rc}
	}
	return []*Document{po, rc, p.invoice(c, po, rc, budget)}
}

// lineCount draws a line count skewed towards small orders: most orders have a few lines,
// some reach the maximum.
func (p *procureToPay) lineCount() int {
	span := float64(p.maxLines - p.minLines + 1)
	n := p.minLines + int(span*math.Pow(p.rnd.Float64(), 1.7))
	return min(n, p.maxLines)
}

func (p *procureToPay) vendor(md *MasterData) Vendor {
	z, ok := p.vendors[md.Company]
	if !ok {
		z = rand.NewZipf(p.rnd, 1.2, 1, uint64(len(md.Vendors)-1))
		p.vendors[md.Company] = z
	}
	return md.Vendors[z.Uint64()]
}

func (p *procureToPay) purchaseOrder(c *caseContext, lines int) *Document {
	md := c.master
	doc := c.newDocument(PurchaseOrder)
	v := p.vendor(md)
	ordered := c.businessDate()
	requested := ordered.AddDate(0, 0, 7+p.rnd.IntN(15))

	header := c.newMessage(doc, "PurchaseOrderHeadersV2", Header, []Field{
		{"dataAreaId", md.Company},
		{"PurchaseOrderNumber", doc.Correlation},
		{"OrderVendorAccountNumber", v.Account},
		{"InvoiceVendorAccountNumber", v.Account},
		{"VendorOrderReference", doc.Correlation},
		{"PurchaseOrderName", truncate(v.Name, 100)},
		{"CurrencyCode", md.Currency},
		{"RequestedDeliveryDate", Date(requested)},
		{"AccountingDate", Date(ordered)},
		{"DefaultReceivingSiteId", md.Site},
		{"DefaultReceivingWarehouseId", warehouse(md)},
		{"DeliveryModeId", "Truck"},
		{"PaymentTermsName", "Net30"},
	})
	for n := 1; n <= lines; n++ {
		p.orderLine(c, doc, header, int64(n), requested)
	}
	return doc
}

func (p *procureToPay) orderLine(c *caseContext, doc *Document, header *Message, n int64,
	requested time.Time) {
	md := c.master
	item := md.Products[p.rnd.IntN(len(md.Products))]
	qty := p.quantity()
	price := item.Price
	amount := roundTo(qty*price, 2)

	m := c.newMessage(doc, "PurchaseOrderLinesV2", Line, []Field{
		{"dataAreaId", md.Company},
		{"PurchaseOrderNumber", doc.Correlation},
		{"LineNumber", n},
		{"ItemNumber", item.ItemNumber},
		{"OrderedPurchaseQuantity", qty},
		{"PurchaseUnitSymbol", item.Unit},
		{"PurchasePrice", price},
		{"LineAmount", amount},
		{"LineDescription", item.Name},
		{"RequestedDeliveryDate", Date(requested)},
		{"ReceivingSiteId", md.Site},
		{"ReceivingWarehouseId", warehouse(md)},
	})
	m.Quantity, m.Amount = qty, amount
	m.After = []int64{header.ID}
	m.Needs = []int64{header.ID}
}

// revise has the buyer change one line's quantity once or twice after the order was
// sent, for a share of orders, within budget messages, and returns how many revisions it
// added. The line's expected quantity and amount become those of its last revision, and
// the receipt built afterwards receives that quantity. Without changes it draws nothing,
// so that streams without revisions stay as they were.
func (p *procureToPay) revise(c *caseContext, po *Document, budget int) int {
	if p.changes <= 0 || p.rnd.Float64() >= p.changes || len(po.Messages) < 2 || budget < 1 {
		return 0
	}
	line := po.Messages[1+p.rnd.IntN(len(po.Messages)-1)]
	versions := min(1+p.rnd.IntN(2), budget)
	price, _ := line.Field("PurchasePrice")
	after := line.ID
	for v := 1; v <= versions; v++ {
		qty := p.quantity()
		for qty == line.Quantity {
			qty = p.quantity()
		}
		amount := roundTo(qty*price.(float64), 2)
		m := c.newUpdate(po, line, v, []Field{
			{"OrderedPurchaseQuantity", qty},
			{"LineAmount", amount},
		})
		m.After, m.Needs = []int64{after}, []int64{line.ID}
		after = m.ID
		line.Quantity, line.Amount = qty, amount
	}
	return versions
}

// quantity draws an order quantity from the pack sizes buyers use.
func (p *procureToPay) quantity() float64 {
	sizes := []float64{1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 20, 24, 25, 50, 100, 250}
	return sizes[p.rnd.IntN(len(sizes))]
}

func (p *procureToPay) receipt(c *caseContext, po *Document, budget int) *Document {
	md := c.master
	doc := c.newDocument(ProductReceipt)
	orderHeader := po.Messages[0]
	requested, _ := orderHeader.Field("RequestedDeliveryDate")
	received := parseDate(requested.(string)).AddDate(0, 0, p.rnd.IntN(5)-2)
	vendor, _ := orderHeader.Field("OrderVendorAccountNumber")

	header := c.newMessage(doc, "ProductReceiptHeaders", Header, []Field{
		{"dataAreaId", md.Company},
		{"ProductReceiptNumber", doc.Correlation},
		{"ProductReceiptDate", Date(received)},
		{"PurchaseOrderNumber", po.Correlation},
		{"OrderVendorAccountNumber", vendor},
	})
	header.After = messageIDs(po.Messages)
	header.Needs = []int64{orderHeader.ID}

	for _, ol := range p.receivedLines(linesOf(po), budget-1) {
		p.receiptLine(c, doc, header, po, ol)
	}
	return doc
}

// receivedLines picks the order lines that arrived: most of them, at least one.
func (p *procureToPay) receivedLines(orderLines []*Message, budget int) []*Message {
	var out []*Message
	for _, ol := range orderLines {
		if len(out) < budget && p.rnd.Float64() < 0.9 {
			out = append(out, ol)
		}
	}
	if len(out) == 0 {
		out = orderLines[:1]
	}
	return out
}

func (p *procureToPay) receiptLine(c *caseContext, doc *Document, header *Message,
	po *Document, ol *Message) {
	ordered := ol.Quantity
	qty := ordered
	if p.rnd.Float64() < 0.1 {
		qty = math.Max(1, math.Ceil(ordered*p.rnd.Float64()))
	}
	lineNo, _ := ol.Field("LineNumber")
	item, _ := ol.Field("ItemNumber")

	m := c.newMessage(doc, "ProductReceiptLinesV2", Line, []Field{
		{"dataAreaId", c.master.Company},
		{"ProductReceiptNumber", doc.Correlation},
		{"PurchaseOrderNumber", po.Correlation},
		{"PurchaseOrderLineNumber", lineNo},
		{"ItemNumber", item},
		{"ReceivedPurchaseQuantity", qty},
		{"ReceivingWarehouseId", warehouse(c.master)},
	})
	m.Quantity = qty
	m.After = []int64{header.ID}
	m.Needs = []int64{header.ID, ol.ID}
}

// invoice builds the vendor's pending invoice for the received quantities, one line per
// receipt line, within budget messages. Its HeaderReference is the document's correlation
// value, supplied by the sender (a number sequence that allows manual numbers), so that
// its lines can name their header.
func (p *procureToPay) invoice(c *caseContext, po, rc *Document, budget int) *Document {
	md := c.master
	doc := c.newDocument(VendorInvoice)
	received, _ := rc.Messages[0].Field("ProductReceiptDate")
	invoiced := parseDate(received.(string)).AddDate(0, 0, p.rnd.IntN(4))
	vendor, _ := po.Messages[0].Field("OrderVendorAccountNumber")
	lines := linesOf(rc)
	lines = lines[:min(len(lines), budget-1)]

	header := c.newMessage(doc, "VendorInvoiceHeaders", Header, []Field{
		{"dataAreaId", md.Company},
		{"HeaderReference", doc.Correlation},
		{"InvoiceNumber", doc.Correlation},
		{"InvoiceDate", Date(invoiced)},
		{"Date", Date(invoiced)},
		{"DueDate", Date(invoiced.AddDate(0, 0, 30))},
		{"VendorAccount", vendor},
		{"InvoiceAccount", vendor},
		{"PurchaseOrderNumber", po.Correlation},
		{"Currency", md.Currency},
		{"InvoiceDescription", "Order " + po.Correlation},
		{"ImportedAmount", 0.0},
	})
	header.After = messageIDs(rc.Messages)
	header.Needs = []int64{po.Messages[0].ID}

	total := 0.0
	for n, rl := range lines {
		total += p.invoiceLine(c, doc, header, po, rl, n+1)
	}
	header.SetField("ImportedAmount", roundTo(total, 2))
	return doc
}

// invoiceLine invoices what one receipt line received, at the order line's price, and
// returns the line's amount.
func (p *procureToPay) invoiceLine(c *caseContext, doc *Document, header *Message,
	po *Document, rl *Message, n int) float64 {
	lineNo, _ := rl.Field("PurchaseOrderLineNumber")
	ol := orderLine(po, lineNo.(int64))
	item, _ := ol.Field("ItemNumber")
	price, _ := ol.Field("PurchasePrice")
	text, _ := ol.Field("LineDescription")
	amount := roundTo(rl.Quantity*price.(float64), 2)

	m := c.newMessage(doc, "VendorInvoiceLines", Line, []Field{
		{"dataAreaId", c.master.Company},
		{"HeaderReference", doc.Correlation},
		{"InvoiceLineNumber", float64(n)},
		{"ItemNumber", item},
		{"PurchaseOrder", po.Correlation},
		{"PurchLineNumber", lineNo},
		{"ReceiveNow", rl.Quantity},
		{"UnitPrice", price},
		{"LineAmount", amount},
		{"LineDescription", text},
		{"Currency", c.master.Currency},
	})
	m.Quantity, m.Amount = rl.Quantity, amount
	m.After = []int64{header.ID}
	m.Needs = []int64{header.ID, ol.ID}
	return amount
}

// orderLine returns the line of a purchase order with the given line number.
func orderLine(po *Document, lineNo int64) *Message {
	for _, m := range linesOf(po) {
		if n, _ := m.Field("LineNumber"); n == lineNo {
			return m
		}
	}
	panic("generators: a receipt line names an order line the order does not have")
}

func warehouse(md *MasterData) string { return md.Site + "1" }

// linesOf returns a document's lines, without its header and its revisions.
func linesOf(doc *Document) []*Message {
	var out []*Message
	for _, m := range doc.Messages {
		if m.Role == Line {
			out = append(out, m)
		}
	}
	return out
}

func messageIDs(ms []*Message) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func parseDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic("generators: a generated date does not parse: " + s)
	}
	return t
}
