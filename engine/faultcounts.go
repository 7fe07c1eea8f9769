package engine

import (
	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/scenarios"
)

// configuredFaults names the fault counts a scenario's report shows, each at zero, so
// that a report never leaves out a fault the scenario asked for, even when the run ended
// before it could strike.
func configuredFaults(f scenarios.Faults) map[string]int {
	counts := map[string]int{}
	for name, on := range map[string]bool{
		"duplicate": f.Duplicate != nil, "malformed": f.Malformed != nil,
		"reorder": f.Reorder != nil, "ack_loss": f.AckLoss != nil, "burst": f.Burst != nil,
		"restart": f.Restart != nil,
	} {
		if on {
			counts[name] = 0
		}
	}
	if t := f.Transport; t != nil {
		for name, share := range map[string]scenarios.Share{
			"transport_status": t.ErrorRate, "transport_reset": t.ResetRate,
			"transport_timeout": t.TimeoutRate, "transport_slow_body": t.SlowBodyRate,
		} {
			if share > 0 {
				counts[name] = 0
			}
		}
		if t.Latency.Max > 0 {
			counts["transport_latency"] = 0
		}
	}
	return counts
}

// countFaults records how often each configured fault struck.
func (r *run) countFaults(p *faults.Pipeline, res *loadResult) {
	measured := p.Counts()
	for k, v := range res.transport {
		measured[k] = v
	}
	measured["burst"] = res.bursts
	if r.restarted {
		measured["restart"] = 1
	}
	for name := range r.counts {
		r.counts[name] = measured[name]
	}
}
