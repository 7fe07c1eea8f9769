package faults

import (
	"fmt"
	"slices"
	"time"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// reorder delivers a share of documents or business cases out of order. The new order is
// made of dependencies, not of timing: a message held back waits until the messages that
// overtake it are delivered, so the order is the same on a slow or busy machine.
//
//   - child-first: a document's lines go out without waiting for their header; the header
//     follows once every line's delivery is over and its delay has passed, as when a
//     queue or a parallel sender overtakes the header.
//   - late-parent: a case's later document (the product receipt) goes out before the
//     document it refers to (the purchase order); the order follows once the receipt is
//     over and its delay has passed, as when two source systems feed one target.
//   - invoice-first: a case's vendor invoice goes out before its product receipt, waiting
//     only for the purchase order it invoices; the receipt follows once the invoice is
//     over and its delay has passed, as when the vendor's portal is faster than the
//     warehouse.
//   - shuffle: the messages of a case, a window at a time, go out one by one in a shuffled
//     order, as a queue without ordering guarantees delivers them.
//   - newer-first: of a record revised twice or more, the newest revision goes out before
//     the one it replaces, which follows once it is over: a target that applies updates as
//     they come keeps the older value.
type reorder struct {
	cfg  scenarios.ReorderFault
	dice Dice
}

func newReorder(cfg scenarios.ReorderFault, dice Dice) (*reorder, error) {
	if !slices.Contains(scenarios.ReorderModes, cfg.Mode) {
		return nil, fmt.Errorf("reorder mode %q is not one of %v", cfg.Mode, scenarios.ReorderModes)
	}
	if cfg.Mode == "shuffle" && cfg.Window < 2 {
		return nil, fmt.Errorf("reorder shuffle needs a window of 2 or more, not %d", cfg.Window)
	}
	return &reorder{cfg: cfg, dice: dice}, nil
}

func (r *reorder) Name() string { return "reorder" }

// Apply reorders the chosen documents or cases and returns how many it reordered.
func (r *reorder) Apply(c generators.Case) int {
	switch r.cfg.Mode {
	case "late-parent":
		return r.lateParent(c)
	case "invoice-first":
		return r.invoiceFirst(c)
	case "shuffle":
		return r.shuffle(c)
	case "newer-first":
		return r.newerFirst(c)
	}
	n := 0
	for _, doc := range c {
		n += r.childFirst(doc)
	}
	return n
}

func (r *reorder) chosen(id int64) bool {
	return r.dice.Chance(float64(r.cfg.Rate), "reorder:"+r.cfg.Mode, id)
}

func (r *reorder) delay(id int64) time.Duration {
	return r.dice.Between(r.cfg.Delay.Min, r.cfg.Delay.Max, "reorder-delay", id)
}

func (r *reorder) childFirst(doc *generators.Document) int {
	lines := withRole(doc.Messages, generators.Line)
	if len(lines) == 0 || !r.chosen(doc.Seq) {
		return 0
	}
	hold(doc.Messages[0], lines, r.delay(doc.Seq))
	for _, m := range lines {
		m.Eager = true
		m.AddFault("reorder:child-first")
	}
	return 1
}

// newerFirst swaps the last two revisions of each chosen record.
func (r *reorder) newerFirst(c generators.Case) int {
	n := 0
	revisions := map[string][]*generators.Message{}
	var keys []string
	for _, m := range withRole(c.Messages(), generators.Update) {
		k := m.Entity + "|" + m.Key
		if revisions[k] == nil {
			keys = append(keys, k)
		}
		revisions[k] = append(revisions[k], m)
	}
	for _, k := range keys {
		chain := revisions[k]
		if len(chain) < 2 || !r.chosen(chain[len(chain)-1].ID) {
			continue
		}
		older, newer := chain[len(chain)-2], chain[len(chain)-1]
		newer.After = older.After
		older.After = []int64{newer.ID}
		newer.AddFault("reorder:newer-first")
		older.AddFault("reorder:held")
		n++
	}
	return n
}

func withRole(msgs []*generators.Message, role generators.Role) []*generators.Message {
	var out []*generators.Message
	for _, m := range msgs {
		if m.Role == role {
			out = append(out, m)
		}
	}
	return out
}

// lateParent sends every later document of the case before the first one. The later
// documents' headers stop waiting for the first document; their lines still wait for
// their own header.
func (r *reorder) lateParent(c generators.Case) int {
	if len(c) < 2 || !r.chosen(c[0].Seq) {
		return 0
	}
	var early []*generators.Message
	for _, doc := range c[1:] {
		doc.Messages[0].Eager = true
		for _, m := range doc.Messages {
			m.AddFault("reorder:late-parent")
		}
		early = append(early, doc.Messages...)
	}
	hold(c[0].Messages[0], early, r.delay(c[0].Seq))
	return 1
}

// invoiceFirst sends the case's vendor invoice before its product receipt. The invoice's
// header stops waiting for the receipt and waits for the purchase order instead, whose
// lines its own lines refer to.
func (r *reorder) invoiceFirst(c generators.Case) int {
	order := documentOf(c, generators.PurchaseOrder)
	receipt := documentOf(c, generators.ProductReceipt)
	invoice := documentOf(c, generators.VendorInvoice)
	if order == nil || receipt == nil || invoice == nil || !r.chosen(invoice.Seq) {
		return 0
	}
	invoice.Messages[0].After = nil
	for _, m := range order.Messages {
		invoice.Messages[0].After = append(invoice.Messages[0].After, m.ID)
	}
	for _, m := range invoice.Messages {
		m.AddFault("reorder:invoice-first")
	}
	hold(receipt.Messages[0], invoice.Messages, r.delay(invoice.Seq))
	return 1
}

func documentOf(c generators.Case, kind string) *generators.Document {
	for _, doc := range c {
		if doc.Kind == kind {
			return doc
		}
	}
	return nil
}

// hold makes m wait for the messages that overtake it, and then for a delay.
func hold(m *generators.Message, overtakers []*generators.Message, delay time.Duration) {
	for _, o := range overtakers {
		m.After = append(m.After, o.ID)
	}
	m.Delay += delay
	m.AddFault("reorder:held")
}

// shuffle sends the case's messages one after another, in an order drawn window by
// window: the windows keep their order, the messages within a window do not. The chain
// replaces the messages' own dependencies, so a line may go before its header.
func (r *reorder) shuffle(c generators.Case) int {
	msgs := c.Messages()
	if len(msgs) < 2 || !r.chosen(msgs[0].ID) {
		return 0
	}
	var previous *generators.Message
	for start := 0; start < len(msgs); start += r.cfg.Window {
		window := msgs[start:min(start+r.cfg.Window, len(msgs))]
		for i, k := range r.permutation(len(window), window[0].ID) {
			m := window[k]
			m.Eager, m.After = false, nil
			if previous != nil {
				m.After = []int64{previous.ID}
			}
			m.AddFault(fmt.Sprintf("reorder:shuffle:%d", start+i+1))
			previous = m
		}
	}
	return 1
}

// permutation draws an order of n items with the dice (Fisher-Yates).
func (r *reorder) permutation(n int, id int64) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := r.dice.IntN(i+1, "shuffle", id, int64(i))
		p[i], p[j] = p[j], p[i]
	}
	return p
}
