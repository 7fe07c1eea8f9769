package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/stormcheck/stormcheck/scenarios"
)

func ExampleParse() {
	src := `name: p2p-smoke
load: { rate: 200/x, messages: 1000 }
flows:
  - flow: procure-to-pay
sender:
  retyr: { attempts: 5 }
`
	_, err := scenarios.Parse([]byte(src), "p2p-smoke.yaml")
	var invalid *scenarios.Error
	if errors.As(err, &invalid) {
		fmt.Println(err)
	}
	// Output:
	// p2p-smoke.yaml:2:15: load.rate: rate "200/x" has unit "x"; use s, m or h
	// p2p-smoke.yaml:6:3: sender.retyr: unknown key (did you mean retry?)
}

func ExampleMarshal() {
	s, err := scenarios.Parse([]byte(`name: tiny
load: { rate: 5/s, duration: 90s }
flows: [{ flow: procure-to-pay, lines: 1-3 }]
faults: { duplicate: { rate: 0.5% } }
expect: { p99_latency: 800ms }
`), "tiny.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := scenarios.Marshal(s)
	fmt.Print(string(out))
	// Output:
	// name: tiny
	// target:
	//   format: odata
	//   mock: {design: d365}
	//   legal_entities: [usmf]
	// load: {rate: 5/s, duration: 1m30s, concurrency: 64}
	// master_data: {vendors: 50, products: 200}
	// flows:
	//   - flow: procure-to-pay
	//     weight: 1
	//     lines: {min: 1, max: 3}
	// faults:
	//   duplicate: {rate: 0.5%, mode: resend, copies: 1}
	// sender:
	//   retry:
	//     attempts: 3
	//     backoff: 100ms-5s
	//     on: [429, 5xx, timeout]
	//     honor_retry_after: true
	//   strategy: retry
	//   timeout: 30s
	// verify: {settle: 1s}
	// expect:
	//   p99_latency: 800ms
}

func ExampleBundled() {
	for _, info := range scenarios.Bundled() {
		if info.Name == "quickstart" {
			fmt.Println(info.Name + ": " + info.Description)
		}
	}
	// Output:
	// quickstart: A short procure-to-pay load with light faults against the embedded mock D365.
}
