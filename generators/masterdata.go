package generators

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
)

// Vendor and product accounts carry this prefix, so that data stormcheck created in a
// shared sandbox is recognisable and never collides with real master data.
const (
	vendorPrefix  = "SCV-"
	productPrefix = "SCI-"
)

// A Product is a released product as documents use it.
type Product struct {
	ItemNumber string
	Name       string
	Unit       string
	Price      float64 // purchase price
}

// A Vendor is a vendor account as documents use it.
type Vendor struct {
	Account string
	Name    string
}

// MasterData is the master records of one legal entity.
type MasterData struct {
	Company  string
	Currency string
	Site     string
	Vendors  []Vendor
	Products []Product
}

// companyDefaults gives the Contoso-style currency and receiving site of a legal entity.
func companyDefaults(company string) (currency, site string) {
	switch {
	case strings.HasPrefix(company, "de"), strings.HasPrefix(company, "fr"),
		strings.HasPrefix(company, "it"):
		return "EUR", "1"
	case strings.HasPrefix(company, "gb"):
		return "GBP", "1"
	}
	return "USD", "1"
}

// NewMasterData makes the master records of one legal entity, deterministic from the seed.
// Accounts are numbered from 1 in every legal entity, as demo companies are.
func NewMasterData(seed uint64, company string, vendors, products int) *MasterData {
	f := newFaker(seed, "master:"+company)
	currency, site := companyDefaults(company)
	md := &MasterData{Company: company, Currency: currency, Site: site}

	for i := 1; i <= vendors; i++ {
		md.Vendors = append(md.Vendors, Vendor{
			Account: fmt.Sprintf("%s%05d", vendorPrefix, i),
			Name:    f.Company(),
		})
	}
	units := []string{"ea", "ea", "ea", "pcs", "box", "kg"}
	for i := 1; i <= products; i++ {
		md.Products = append(md.Products, Product{
			ItemNumber: fmt.Sprintf("%s%05d", productPrefix, i),
			Name:       truncate(f.ProductName(), 60),
			Unit:       units[f.IntRange(0, len(units)-1)],
			Price:      roundTo(logNormalPrice(f), 2),
		})
	}
	return md
}

// Messages returns the create messages of the master records, vendors first.
func (md *MasterData) Messages() []*Message {
	var out []*Message
	for _, v := range md.Vendors {
		out = append(out, &Message{Entity: "VendorsV2", Company: md.Company, Fields: []Field{
			{"dataAreaId", md.Company},
			{"VendorAccountNumber", v.Account},
			{"VendorOrganizationName", truncate(v.Name, 100)},
			{"VendorGroupId", "10"},
			{"CurrencyCode", md.Currency},
			{"DefaultPaymentTermsName", "Net30"},
		}})
	}
	for _, p := range md.Products {
		out = append(out, &Message{Entity: "ReleasedProductsV2", Company: md.Company, Fields: []Field{
			{"dataAreaId", md.Company},
			{"ItemNumber", p.ItemNumber},
			{"ProductNumber", p.ItemNumber},
			{"ProductName", p.Name},
			{"SearchName", truncate(p.Name, 20)},
			{"InventoryUnitSymbol", p.Unit},
			{"PurchaseUnitSymbol", p.Unit},
			{"SalesUnitSymbol", p.Unit},
			{"PurchasePrice", p.Price},
			{"SalesPrice", roundTo(p.Price*1.4, 2)},
		}})
	}
	return out
}

// logNormalPrice draws a unit price with the long right tail real catalogues have: most
// items cost tens, a few cost thousands.
func logNormalPrice(f *gofakeit.Faker) float64 {
	u1 := math.Max(f.Float64Range(0, 1), 1e-12)
	u2 := f.Float64Range(0, 1)
	z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
	return math.Min(math.Max(math.Exp(3.4+1.1*z), 0.5), 25000)
}

// newFaker returns a faker on its own PCG stream. gofakeit.New(0) would pick a random
// seed, so the source is always built here from the run seed and a stream name.
func newFaker(seed uint64, stream string) *gofakeit.Faker {
	return gofakeit.NewFaker(rand.NewPCG(seed, fnv64(stream)), false)
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

func roundTo(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
