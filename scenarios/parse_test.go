package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// Ensure each class of problem names the file, line, column and key path, and suggests
// the nearest valid key or value where there is one.
func TestParseProblem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the whole Error() text
	}{{
		name: "unknown key suggests the nearest",
		src:  minimal + "sender:\n  retyr: { attempts: 2 }\n",
		want: "t.yaml:6:3: sender.retyr: unknown key (did you mean retry?)",
	}, {
		name: "unknown key inside a flow mapping",
		src:  minimal + "faults:\n  duplicate: { rate: 2%, mdoe: resend }\n",
		want: "t.yaml:6:26: faults.duplicate.mdoe: unknown key (did you mean mode?)",
	}, {
		name: "unknown key far from any lists the valid keys",
		src:  minimal + "verify:\n  zzz: 1\n",
		want: "t.yaml:6:3: verify.zzz: unknown key; valid keys here: settle, source",
	}, {
		name: "string where a number belongs",
		src:  strings.Replace(minimal, "messages: 100", "messages: lots", 1),
		want: `t.yaml:2:31: load.messages: expected a whole number, got the string "lots"`,
	}, {
		name: "quoted number where a number belongs",
		src:  minimal + "master_data: { vendors: \"40\" }\n",
		want: `t.yaml:5:25: master_data.vendors: expected a whole number, got the string "40"`,
	}, {
		name: "list where a mapping belongs",
		src:  minimal + "master_data: [40, 150]\n",
		want: "t.yaml:5:14: master_data: expected a mapping, got a list",
	}, {
		name: "mapping where a list belongs",
		src:  minimal + "target:\n  legal_entities: { usmf: 1 }\n",
		want: "t.yaml:6:19: target.legal_entities: expected a list, got a mapping",
	}, {
		name: "bad rate unit",
		src:  strings.Replace(minimal, "10/s", "200/x", 1),
		want: `t.yaml:2:15: load.rate: rate "200/x" has unit "x"; use s, m or h`,
	}, {
		name: "share over 100%",
		src:  minimal + "faults:\n  ack_loss: { rate: 150% }\n",
		want: `t.yaml:6:21: faults.ack_loss.rate: share "150%" must lie between 0% and 100%`,
	}, {
		name: "inverted duration range",
		src:  minimal + "faults:\n  reorder: { rate: 5%, delay: 10s-1s }\n",
		want: `t.yaml:6:31: faults.reorder.delay: range "10s-1s" is inverted: ` +
			`10s is more than 1s`,
	}, {
		name: "inverted lines range",
		src:  minimal + "    lines: { min: 6, max: 2 }\n",
		want: "t.yaml:5:5: flows[0].lines: inverted: min 6 is more than max 2",
	}, {
		name: "inverted lines range in short form",
		src:  minimal + "    lines: 6-2\n",
		want: `t.yaml:5:12: flows[0].lines: range "6-2" is inverted: 6 is more than 2`,
	}, {
		name: "missing flows",
		src:  "name: t\nload: { rate: 10/s, messages: 100 }\n",
		want: "t.yaml:1:1: flows: missing flow: list at least one, " +
			"such as - flow: procure-to-pay",
	}, {
		name: "empty flows",
		src:  "name: t\nload: { rate: 10/s, messages: 100 }\nflows: []\n",
		want: "t.yaml:3:1: flows: missing flow: list at least one, " +
			"such as - flow: procure-to-pay",
	}, {
		name: "flow entry without flow",
		src:  "name: t\nload: { rate: 10/s, messages: 100 }\nflows:\n  - weight: 3\n",
		want: "t.yaml:4:5: flows[0]: flow entry without flow: " +
			"name it, such as flow: procure-to-pay",
	}, {
		name: "unknown flow suggests the nearest",
		src:  strings.Replace(minimal, "procure-to-pay", "procure-to-pai", 1),
		want: `t.yaml:4:11: flows[0].flow: unknown flow "procure-to-pai"; ` +
			`use procure-to-pay (did you mean procure-to-pay?)`,
	}, {
		name: "flow not implemented yet",
		src:  strings.Replace(minimal, "procure-to-pay", "order-to-cash", 1),
		want: `t.yaml:4:11: flows[0].flow: flow "order-to-cash" is in the scenario format ` +
			`but not implemented yet; use procure-to-pay`,
	}, {
		name: "weight below 1",
		src:  minimal + "    weight: 0\n",
		want: "t.yaml:5:13: flows[0].weight: 0 must be 1 or more",
	}, {
		name: "duplicate key",
		src:  minimal + "name: u\n",
		want: "t.yaml:5:1: name: duplicate key: already given at line 1",
	}, {
		name: "duplicate key in a flow mapping",
		src:  strings.Replace(minimal, "messages: 100", "messages: 100, rate: 5/s", 1),
		want: "t.yaml:2:36: load.rate: duplicate key: already given at line 2",
	}, {
		name: "unbounded load",
		src:  strings.Replace(minimal, ", messages: 100", "", 1),
		want: "t.yaml:2:1: load: the run is unbounded: give duration, messages or both",
	}, {
		name: "two paces",
		src:  strings.Replace(minimal, "messages: 100", "messages: 100, business_day: {}", 1),
		want: "t.yaml:2:36: load.business_day: give only one of rate, stages and " +
			"business_day, not rate and business_day",
	}, {
		name: "stages not implemented yet",
		src: strings.Replace(minimal, "rate: 10/s",
			"stages: [{ hold: 10/s, for: 1m }]", 1),
		want: "t.yaml:2:9: load.stages: the stages key is in the scenario format but " +
			"not implemented yet; use rate",
	}, {
		name: "key in another section",
		src:  strings.Replace(minimal, "messages: 100", "messages: 100, settle: 1s", 1),
		want: "t.yaml:2:36: load.settle: unknown key here; settle belongs at verify.settle",
	}, {
		name: "burst larger than the run",
		src:  minimal + "faults:\n  burst: { at: 1s, messages: 500 }\n",
		want: "t.yaml:6:30: faults.burst.messages: 500 is more than the 90 of the run's 100 " +
			"messages (load.messages) still to send at 1s; the burst releases messages of the run",
	}, {
		name: "slow body without its share",
		src:  minimal + "faults:\n  transport: { slow_body: 300ms }\n",
		want: "t.yaml:6:27: faults.transport.slow_body: slow_body has no effect without " +
			"slow_body_rate, the share of attempts it strikes",
	}, {
		name: "window without shuffle",
		src:  minimal + "faults:\n  reorder: { rate: 5%, mode: child-first, window: 3 }\n",
		want: "t.yaml:6:51: faults.reorder.window: window applies to mode shuffle only",
	}, {
		name: "negative messages",
		src:  strings.Replace(minimal, "messages: 100", "messages: -3", 1),
		want: "t.yaml:2:31: load.messages: -3 must be 1 or more (leave it out to bound the " +
			"run by duration alone)",
	}, {
		name: "explicit zero duration",
		src:  strings.Replace(minimal, "messages: 100", "messages: 100, duration: 0s", 1),
		want: "t.yaml:2:46: load.duration: 0s must be longer than 0 (leave it out to bound " +
			"the run by messages alone)",
	}, {
		name: "sender timeout of zero",
		src:  minimal + "sender: { timeout: 0s }\n",
		want: "t.yaml:5:20: sender.timeout: 0s must be longer than 0 and at most 10m0s",
	}, {
		name: "restart after the load ends",
		src:  minimal + "faults:\n  restart: { at: 20s, down_for: 2s }\n",
		want: "t.yaml:6:18: faults.restart.at: the restart at 20s would never come: the load " +
			"ends after 10s (100 messages at 10/s)",
	}, {
		name: "burst after the load ends",
		src: strings.Replace(minimal, "messages: 100", "duration: 5s", 1) +
			"faults:\n  burst: { at: 1m, messages: 10 }\n",
		want: "t.yaml:6:16: faults.burst.at: the burst at 1m0s would never come: the load " +
			"ends after 5s (load.duration)",
	}, {
		name: "newer-first without revisions",
		src:  minimal + "faults:\n  reorder: { rate: 5%, mode: newer-first }\n",
		want: "t.yaml:6:30: faults.reorder.mode: newer-first reorders revisions of a record, " +
			"and no flow revises any: add changes (such as changes: 20%) to a flow",
	}, {
		name: "too much master data",
		src:  minimal + "master_data: { vendors: 4000000000, products: 10 }\n",
		want: "t.yaml:5:25: master_data.vendors: 4000000000 is more than 100000 per legal entity",
	}, {
		name: "master data in many legal entities",
		src: minimal + "master_data: { vendors: 100000, products: 100000 }\n" +
			"target: { legal_entities: [usmf, demf, gbsi, frrt, itco, jpmf] }\n",
		want: "t.yaml:5:1: master_data: 1200000 master records in 6 legal entities are more " +
			"than 1000000: each is created before the load starts",
	}, {
		name: "explicit zero concurrency",
		src:  strings.Replace(minimal, "messages: 100", "messages: 100, concurrency: 0", 1),
		want: "t.yaml:2:49: load.concurrency: 0 must lie between 1 and 10000",
	}, {
		name: "empty target url",
		src:  minimal + "target: { url: '' }\n",
		want: "t.yaml:5:16: target.url: empty: give the target's URL, or remove the key to " +
			"run against the embedded mock",
	}, {
		name: "target url and the embedded mock",
		src:  minimal + "target:\n  url: http://127.0.0.1:9000\n  mock: { design: naive }\n",
		want: "t.yaml:7:19: target.mock.design: the embedded mock runs only when no target.url " +
			"is given; remove one of them",
	}, {
		name: "restart with a target url",
		src: "name: t\ntarget: { url: \"http://127.0.0.1:9000\" }\n" + minimal[8:] +
			"faults:\n  restart: { at: 10s, down_for: 2s }\n",
		want: "t.yaml:7:3: faults.restart: a restart takes the embedded mock down, " +
			"so it cannot go with target.url; remove one of them",
	}, {
		name: "client secret in the file",
		src: minimal + "target:\n  url: http://127.0.0.1:9000\n  auth:\n" +
			"    token_url: http://127.0.0.1:9000/token\n    client_id: app\n" +
			"    client_secret: hunter2\n",
		want: "t.yaml:7:3: target.auth.client_secret_env: missing: the environment " +
			"variable that holds the client secret\n" +
			"t.yaml:10:5: target.auth.client_secret: a secret must not be written in the " +
			"scenario; name the environment variable that holds it " +
			"(did you mean client_secret_env?)",
	}, {
		name: "client secret env not a variable name",
		src: minimal + "target:\n  auth: { token_url: \"http://h/t\", client_id: a, " +
			"client_secret_env: my-secret }\n",
		want: `t.yaml:6:69: target.auth.client_secret_env: "my-secret" is not an ` +
			`environment variable name (letters, digits and _, not starting with a digit)`,
	}, {
		name: "target url not http",
		src:  minimal + "target: { url: \"ftp://127.0.0.1\" }\n",
		want: `t.yaml:5:16: target.url: "ftp://127.0.0.1" must be an http or https URL ` +
			`with a host, such as http://127.0.0.1:9000`,
	}, {
		name: "legal entity too long",
		src:  minimal + "target: { legal_entities: [usmf, contoso] }\n",
		want: `t.yaml:5:34: target.legal_entities[1]: legal entity "contoso" must be ` +
			`1 to 4 letters or digits, like usmf`,
	}, {
		name: "retry on a success status",
		src:  minimal + "sender: { retry: { on: [200, 5xx] } }\n",
		want: `t.yaml:5:25: sender.retry.on[0]: "200" is not a status code from 400 to ` +
			`599, 4xx, 5xx or timeout`,
	}, {
		name: "unknown malformed kind",
		src:  minimal + "faults: { malformed: { rate: 1%, kinds: [bad-dates] } }\n",
		want: `t.yaml:5:42: faults.malformed.kinds[0]: unknown malformed kind "bad-dates"; ` +
			`use missing-required, null-vs-empty, wrong-type, bad-date, swapped-day-month, ` +
			`locale-decimal, ambiguous-thousands, overlong-string, invalid-enum, ` +
			`unknown-reference, negative-quantity, bad-encoding, truncated-json, ` +
			`unknown-property, wrong-legal-entity (did you mean bad-date?)`,
	}, {
		name: "unknown expectation",
		src:  minimal + "expect:\n  p99: 800ms\n",
		want: "t.yaml:6:3: expect.p99: unknown key (did you mean p99_latency?)",
	}, {
		name: "expectation of the wrong type",
		src:  minimal + "expect:\n  duplicates: none\n",
		want: `t.yaml:6:15: expect.duplicates: expected a whole number >= 0, ` +
			`got the string "none"`,
	}, {
		name: "bad name",
		src:  strings.Replace(minimal, "name: t", "name: P2P Smoke", 1),
		want: `t.yaml:1:7: name: "P2P Smoke" must be lower-case letters, digits and ` +
			`dashes, start with a letter or digit, and be at most 63 characters`,
	}, {
		name: "negative seed",
		src:  minimal + "seed: -1\n",
		want: "t.yaml:5:7: seed: expected a whole number >= 0, got the number -1",
	}, {
		name: "not a mapping at the top",
		src:  "- name: t\n",
		want: "t.yaml:1:1: expected a mapping, got a list",
	}, {
		// yaml.v3 places a parser error where the enclosing construct starts: here the
		// unclosed mapping of line 2.
		name: "syntax error",
		src:  "name: t\nload: { rate: 10/s\nflows: []\n",
		want: "t.yaml:2: invalid YAML: did not find expected ',' or '}' in the block or list " +
			"that starts here (below it: a missing comma or bracket, or a wrong indent)",
	}, {
		name: "tab indentation",
		src:  "name: t\nload:\n  \trate: 10/s\n",
		want: "t.yaml:3:3: invalid YAML: a tab indents this line; YAML indents with spaces only",
	}, {
		name: "control character",
		src:  "name: t\nload:\n  rate: 10/s\x01\n",
		want: "t.yaml:3:13: invalid YAML: a control character (U+0001) is not allowed",
	}, {
		name: "not UTF-8",
		src:  "name: t\ndescription: caf\xe9 \x01\n",
		want: "t.yaml:2:17: invalid YAML: bytes that are not UTF-8; save the file as UTF-8",
	}, {
		name: "empty file",
		src:  "# nothing yet\n",
		want: "t.yaml: the scenario file is empty",
	}, {
		name: "two documents", // placed at the second document's ---
		src:  minimal + "---\nname: u\n",
		want: "t.yaml:5:1: a scenario file holds one YAML document; this is a second one",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), "t.yaml")
			var invalid *Error
			if !errors.As(err, &invalid) {
				t.Fatalf("Parse: got %v, want an *Error", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// Ensure one Parse reports every problem in file order, and leaves out impossible
// values that only follow from a key that failed to decode.
func TestParseReportsAllProblems(t *testing.T) {
	src := `name: Bad
load:
  rate: 10/x
  duratoin: 1m
flows:
  - flow: procure-to-pay
    weight: 0
faults:
  duplicate: { rate: 2%, mode: resent }
sender:
  retry: { attempts: "3" }
`
	want := []string{
		`t.yaml:1:7: name: "Bad" must be lower-case letters, digits and dashes, ` +
			`start with a letter or digit, and be at most 63 characters`,
		`t.yaml:3:9: load.rate: rate "10/x" has unit "x"; use s, m or h`,
		`t.yaml:4:3: load.duratoin: unknown key (did you mean duration?)`,
		`t.yaml:7:13: flows[0].weight: 0 must be 1 or more`,
		`t.yaml:9:32: faults.duplicate.mode: unknown mode "resent"; use resend, ` +
			`new-message-id, redeliver (did you mean resend?)`,
		`t.yaml:11:22: sender.retry.attempts: expected a whole number, got the string "3"`,
	}
	problems := MustProblems(t, src)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"),
			strings.Join(want, "\n"))
	}
}

// Ensure a problem carries its parts separately, for callers that render them.
func TestParseProblemFields(t *testing.T) {
	problems := MustProblems(t, minimal+"sender:\n  retyr: { attempts: 2 }\n")
	want := Problem{File: "t.yaml", Line: 6, Column: 3, Key: "sender.retyr",
		Msg: "unknown key", Hint: "retry"}
	if len(problems) != 1 || problems[0] != want {
		t.Errorf("problems = %+v, want [%+v]", problems, want)
	}
}

// Ensure aliases are followed, and their problems placed where the anchor is.
func TestParseFollowsAliases(t *testing.T) {
	src := minimal + `faults:
  duplicate: &d { rate: 2%, delay: 0s-1s }
  reorder: { rate: 2%, delay: *delay }
`
	if _, err := Parse([]byte(src), "t.yaml"); err == nil ||
		!strings.Contains(err.Error(), "unknown anchor") {
		t.Fatalf("Parse with an unknown anchor: got %v", err)
	}
	src = minimal + `x-delay: &delay 0s-1s
faults:
  reorder: { rate: 2%, delay: *delay }
`
	problems := MustProblems(t, src)
	if len(problems) != 1 || problems[0].Key != "x-delay" {
		t.Fatalf("problems = %+v, want one on x-delay", problems)
	}
	src = minimal + `faults:
  duplicate: { rate: 2%, delay: &delay 0s-1s }
  reorder: { rate: 2%, delay: *delay }
`
	s := MustParse(t, src)
	if got := s.Faults.Reorder.Delay.String(); got != "0s-1s" {
		t.Errorf("reorder delay = %s, want 0s-1s", got)
	}
}
