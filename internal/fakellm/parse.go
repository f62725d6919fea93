package fakellm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file reads the fake's configuration from text, for the csagent
// fakellm command: fault rates from a flag and scripts from a file.

// faultNames are the names a fault goes by in flags and scripts: the HTTP
// status where it has one, a short word otherwise.
var faultNames = map[string]Fault{
	"429": RateLimited, "rate_limited": RateLimited,
	"500": ServerError, "server_error": ServerError,
	"502": BadGateway, "bad_gateway": BadGateway,
	"cut": CutStream, "cut_stream": CutStream,
	"hang":           Hang,
	"malformed_args": MalformedToolArgs,
	"unknown_tool":   UnknownTool,
	"empty":          EmptyChoices, "empty_choices": EmptyChoices,
}

// ParseFault returns the fault a name stands for: "429", "500", "502",
// "cut", "hang", "malformed_args", "unknown_tool", "empty" (or the long
// names rate_limited, server_error, bad_gateway, cut_stream,
// empty_choices). "" and "none" are NoFault.
func ParseFault(name string) (Fault, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || n == "none" {
		return NoFault, nil
	}
	f, ok := faultNames[n]
	if !ok {
		return NoFault, fmt.Errorf("unknown fault %q; have 429, 500, 502, cut, hang, malformed_args, unknown_tool, empty", name)
	}
	return f, nil
}

// ParseFaultRates reads rates written as "429=0.01,500=0.01,cut=0.01,hang=0.001"
// (502 too). Each rate is between 0 and 1 and together they are at most 1;
// anything else is an error rather than a silently clamped rate, since a
// benchmark run on a misread flag measures the wrong thing.
func ParseFaultRates(s string) (FaultRates, error) {
	var fr FaultRates
	if strings.TrimSpace(s) == "" {
		return fr, nil
	}
	seen := map[Fault]bool{}
	sum := 0.0
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return FaultRates{}, fmt.Errorf("fault rate %q: want NAME=RATE", part)
		}
		f, err := ParseFault(name)
		if err != nil || f == NoFault {
			return FaultRates{}, fmt.Errorf("fault rate %q: %s is not a fault that can be drawn at random (429, 500, 502, cut, hang)", part, name)
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
			return FaultRates{}, fmt.Errorf("fault rate %q: the rate must be a number from 0 to 1", part)
		}
		if seen[f] {
			return FaultRates{}, fmt.Errorf("fault rate %q: %s is given twice", part, name)
		}
		seen[f] = true
		switch f {
		case RateLimited:
			fr.RateLimited = p
		case ServerError:
			fr.ServerError = p
		case BadGateway:
			fr.BadGateway = p
		case CutStream:
			fr.CutStream = p
		case Hang:
			fr.Hang = p
		default:
			return FaultRates{}, fmt.Errorf("fault rate %q: %s is not a fault that can be drawn at random (429, 500, 502, cut, hang)", part, name)
		}
		sum += p
	}
	if sum > 1+1e-9 {
		return FaultRates{}, fmt.Errorf("fault rates %q add up to %.4g, more than 1", s, sum)
	}
	return fr, nil
}

// scriptLine is one reply of a script file.
type scriptLine struct {
	Text      string `json:"text"`
	ToolCalls []struct {
		ID        string          `json:"id"`
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"tool_calls"`
	Fault      string `json:"fault"`
	Delay      string `json:"delay"`
	RetryAfter string `json:"retry_after"`
}

// ReadScript reads replies to Push from a script: one JSON object per line,
//
//	{"tool_calls":[{"name":"get_order","arguments":{"order_id":"ORD-10001"}}]}
//	{"text":"Your order is on its way.","delay":"250ms"}
//	{"fault":"429","retry_after":"2s"}
//
// with the fields text, tool_calls (id optional; arguments an object, or a
// string sent verbatim), fault (a ParseFault name), delay and retry_after
// (Go durations). Blank lines and lines starting with # are skipped.
// Errors name the line.
func ReadScript(r io.Reader) ([]Reply, error) {
	var out []Reply
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxBody)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		reply, err := parseScriptLine(line)
		if err != nil {
			return nil, fmt.Errorf("script line %d: %w", n, err)
		}
		out = append(out, reply)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read script: %w", err)
	}
	return out, nil
}

func parseScriptLine(line []byte) (Reply, error) {
	var sl scriptLine
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sl); err != nil {
		return Reply{}, fmt.Errorf("decode reply: %w", err)
	}
	reply := Reply{Text: sl.Text}
	var err error
	if reply.Fault, err = ParseFault(sl.Fault); err != nil {
		return Reply{}, err
	}
	if reply.Delay, err = scriptDuration("delay", sl.Delay); err != nil {
		return Reply{}, err
	}
	if reply.RetryAfter, err = scriptDuration("retry_after", sl.RetryAfter); err != nil {
		return Reply{}, err
	}
	for i, c := range sl.ToolCalls {
		if !validFunctionName(c.Name) {
			return Reply{}, fmt.Errorf("tool_calls[%d]: %q is not a function name", i, c.Name)
		}
		args := string(c.Arguments)
		var s string
		if json.Unmarshal(c.Arguments, &s) == nil {
			args = s // a string is sent verbatim, to script broken arguments
		}
		if len(c.Arguments) == 0 {
			args = "{}"
		}
		reply.ToolCalls = append(reply.ToolCalls, ToolCall{ID: c.ID, Name: c.Name, Arguments: args})
	}
	if reply.Text == "" && len(reply.ToolCalls) == 0 && reply.Fault == NoFault {
		return Reply{}, errors.New("a reply needs text, tool_calls or a fault")
	}
	return reply, nil
}

func scriptDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q is not a duration like 250ms", field, s)
	}
	return d, nil
}
