package generators

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// FlowMix is one business flow in the stream and its share of the business cases.
type FlowMix struct {
	Flow     string // "procure-to-pay"
	Weight   int
	MinLines int
	MaxLines int
	Changes  float64 // share of documents revised after creation, 0 to 1
}

// Config describes a document stream.
type Config struct {
	Seed      uint64
	Prefix    string        // the run's correlation prefix
	Companies []*MasterData // legal entities and their master records
	Flows     []FlowMix
	// MaxMessages bounds the stream, exactly: the last document is trimmed to fit. 0 means
	// unbounded.
	MaxMessages int
	// CasesPerDay spreads business dates: that many cases share one business date.
	CasesPerDay int
}

// FirstBusinessDate is the business date of a run's first document. It is fixed, not
// taken from the clock, so that the same seed gives the same documents on any day.
var FirstBusinessDate = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)

// builder makes the documents of one business case within a message budget.
type builder interface {
	build(c *caseContext, budget int) []*Document
}

// A Stream hands out the documents of a run in order. It is not safe for concurrent use.
type Stream struct {
	cfg      Config
	rnd      *rand.Rand
	flows    []builder
	weights  []int
	pending  []*Document
	cases    int64
	docs     int64
	messages int64
	done     bool
}

// NewStream returns the document stream of cfg, or an error naming what is invalid.
func NewStream(cfg Config) (*Stream, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.CasesPerDay <= 0 {
		cfg.CasesPerDay = 500
	}
	s := &Stream{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, fnv64("documents")))}
	fake := newFaker(cfg.Seed, "document-text")
	for _, f := range cfg.Flows {
		switch f.Flow {
		case "procure-to-pay":
			p := newProcureToPay(s.rnd, fake, f.MinLines, f.MaxLines)
			p.changes = f.Changes
			s.flows = append(s.flows, p)
		default:
			return nil, fmt.Errorf("flow %q has no generator yet", f.Flow)
		}
		s.weights = append(s.weights, f.Weight)
	}
	return s, nil
}

func (cfg Config) check() error {
	switch {
	case cfg.Prefix == "":
		return errors.New("stream needs a correlation prefix")
	case len(cfg.Companies) == 0:
		return errors.New("stream needs at least one legal entity")
	case len(cfg.Flows) == 0:
		return errors.New("stream needs at least one flow")
	}
	for _, md := range cfg.Companies {
		if len(md.Vendors) == 0 || len(md.Products) == 0 {
			return fmt.Errorf("legal entity %s needs at least one vendor and one product", md.Company)
		}
	}
	for _, f := range cfg.Flows {
		if f.Weight < 1 || f.MinLines < 1 || f.MinLines > f.MaxLines {
			return fmt.Errorf("flow %s has weight %d and lines %d-%d", f.Flow, f.Weight,
				f.MinLines, f.MaxLines)
		}
	}
	return nil
}

// A Case is one business case: the documents a flow makes together, such as a purchase
// order and the product receipt against it. Faults that move a document relative to
// another (a receipt before its order) work on whole cases.
type Case []*Document

// Messages returns the messages of every document of the case, in stream order.
func (c Case) Messages() []*Message {
	var out []*Message
	for _, d := range c {
		out = append(out, d.Messages...)
	}
	return out
}

// NextCase returns the documents of the next business case, or io.EOF when the stream is
// over. It must not be mixed with Next.
func (s *Stream) NextCase() (Case, error) {
	if len(s.pending) == 0 && !s.done {
		s.nextCase()
	}
	if len(s.pending) == 0 {
		return nil, io.EOF
	}
	c := Case(s.pending)
	s.pending = nil
	return c, nil
}

// Next returns the next document, or io.EOF when the stream is over.
func (s *Stream) Next() (*Document, error) {
	for len(s.pending) == 0 {
		if s.done {
			return nil, io.EOF
		}
		s.nextCase()
	}
	d := s.pending[0]
	s.pending = s.pending[1:]
	return d, nil
}

// Messages returns how many messages the stream has handed out or holds ready.
func (s *Stream) Messages() int64 { return s.messages }

func (s *Stream) nextCase() {
	budget := 1 << 30
	if s.cfg.MaxMessages > 0 {
		budget = s.cfg.MaxMessages - int(s.messages)
	}
	c := &caseContext{stream: s, master: s.pickCompany(), index: s.cases}
	docs := s.flows[s.pickFlow()].build(c, budget)
	if len(docs) == 0 {
		s.done = true
		return
	}
	s.cases++
	s.pending = append(s.pending, docs...)
}

func (s *Stream) pickCompany() *MasterData {
	return s.cfg.Companies[s.rnd.IntN(len(s.cfg.Companies))]
}

func (s *Stream) pickFlow() int {
	total := 0
	for _, w := range s.weights {
		total += w
	}
	n := s.rnd.IntN(total)
	for i, w := range s.weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(s.weights) - 1
}

// caseContext is what a flow needs to build one business case.
type caseContext struct {
	stream *Stream
	master *MasterData
	index  int64
}

func (c *caseContext) businessDate() time.Time {
	return FirstBusinessDate.AddDate(0, 0, int(c.index/int64(c.stream.cfg.CasesPerDay)))
}

func (c *caseContext) newDocument(kind string) *Document {
	s := c.stream
	s.docs++
	return &Document{
		Seq:         s.docs,
		Kind:        kind,
		Company:     c.master.Company,
		Correlation: Correlation(s.cfg.Prefix, s.docs),
	}
}

func (c *caseContext) newMessage(doc *Document, entity string, role Role, fields []Field) *Message {
	s := c.stream
	s.messages++
	m := &Message{
		ID: s.messages, Doc: doc.Seq, DocKind: doc.Kind, Entity: entity, Role: role,
		Company: doc.Company, Correlation: doc.Correlation, Fields: fields, Fate: Commit,
	}
	spec, ok := SpecFor(entity)
	if !ok {
		panic("generators: no spec for entity " + entity)
	}
	m.Key, _ = spec.MatchKey(m.Field)
	m.ParentKey, _ = spec.ParentKey(m.Field)
	doc.Messages = append(doc.Messages, m)
	return m
}

// newUpdate adds to doc a PATCH of the record rec creates: the version-th revision of it,
// carrying only the changed fields.
func (c *caseContext) newUpdate(doc *Document, rec *Message, version int, fields []Field) *Message {
	s := c.stream
	s.messages++
	spec, _ := SpecFor(rec.Entity)
	m := &Message{
		ID: s.messages, Doc: doc.Seq, DocKind: doc.Kind, Entity: rec.Entity, Role: Update,
		Company: rec.Company, Correlation: rec.Correlation, Fields: fields, Fate: Commit,
		Method: "PATCH", Path: "/data/" + rec.Entity + keyPredicate(spec, rec),
		Version: version, Key: rec.Key, ParentKey: rec.ParentKey,
	}
	doc.Messages = append(doc.Messages, m)
	return m
}

// keyPredicate addresses a record by its full key, as OData does:
// (dataAreaId='usmf',PurchaseOrderNumber='SC-1',LineNumber=1).
func keyPredicate(spec Spec, rec *Message) string {
	parts := make([]string, len(spec.MatchFields))
	for i, name := range spec.MatchFields {
		v, _ := rec.Field(name)
		if text, ok := v.(string); ok {
			parts[i] = name + "='" + strings.ReplaceAll(text, "'", "''") + "'"
		} else {
			parts[i] = name + "=" + keyPart(name, v)
		}
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// Correlation returns the correlation value of a document: "<prefix>-<sequence>", at
// least seven digits, at most 20 characters for prefixes of up to 7.
func Correlation(prefix string, seq int64) string {
	return fmt.Sprintf("%s-%07d", prefix, seq)
}
