package load

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// column is one column of the report's table.
type column struct {
	head string
	// shown, when set, says whether a report of runs with options o has the column; the
	// column is always shown when it is nil.
	shown func(o *options) bool
	value func(Run) string
}

// withRates shows a column only for constant-arrival-rate runs.
func withRates(o *options) bool { return len(o.rates) > 0 }

// withDelays shows a column only when -subgraph-delay was given.
func withDelays(o *options) bool { return len(o.delays) > 0 }

func f0(x float64) string          { return fmt.Sprintf("%.0f", x) }
func msCol(d time.Duration) string { return fmt.Sprintf("%.2f", ms(d)) }
func ms3(d time.Duration) string   { return fmt.Sprintf("%.3f", ms(d)) }

// columns are the report's columns, in order.
var columns = []column{
	{"round", nil, func(r Run) string { return fmt.Sprint(r.Round) }},
	{"rate/s", withRates, func(r Run) string { return fmt.Sprintf("%g", r.Rate) }},
	{"delay ms", withDelays, func(r Run) string { return msCol(r.Delay) }},
	{"req/s", nil, func(r Run) string { return f0(r.Result.RPS()) }},
	{"dropped", withRates, func(r Run) string { return fmt.Sprint(r.Result.Dropped) }},
	{"late", withRates, func(r Run) string { return fmt.Sprint(r.Result.Late) }},
	{"p50 ms", nil, func(r Run) string { return msCol(r.Result.Percentile(0.5)) }},
	{"p95 ms", nil, func(r Run) string { return msCol(r.Result.Percentile(0.95)) }},
	{"p99 ms", nil, func(r Run) string { return msCol(r.Result.Percentile(0.99)) }},
	{"max ms", nil, func(r Run) string { return msCol(r.Result.Percentile(1)) }},
	{"alone ms", withDelays, func(r Run) string { return msCol(r.LoneLatency) }},
	{"send lag p99 ms", withRates, func(r Run) string { return msCol(r.Result.Lags.Percentile(0.99)) }},
	{"subgraph p50 ms", nil, func(r Run) string { return ms3(r.Subgraph.Percentile(0.5)) }},
	{"subgraph p99 ms", nil, func(r Run) string { return ms3(r.Subgraph.Percentile(0.99)) }},
	{"CPU ms/req", nil, func(r Run) string { return fmt.Sprintf("%.3f", ms(r.CPUPerRequest())) }},
	{"peak RSS MB", nil, func(r Run) string { return f0(float64(r.PeakRSS) / (1 << 20)) }},
	{"subgraph calls/req", nil, func(r Run) string { return fmt.Sprintf("%.1f", r.SubgraphCalls) }},
	{"calls alone", nil, func(r Run) string { return fmt.Sprint(r.LoneCalls) }},
	{"driver CPU s/s", nil, func(r Run) string {
		return fmt.Sprintf("%.2f", r.DriverCPU.Seconds()/r.Result.Elapsed.Seconds())
	}},
	{"load avg", nil, func(r Run) string { return fmt.Sprintf("%.1f", r.LoadAvg) }},
	{"wrong", nil, func(r Run) string { return fmt.Sprint(r.Result.Mismatches) }},
}

// writeReport prints every run, then, for closed-loop runs with ERGO among them, each
// target's ratios to it, and for constant-rate runs the ones that could not keep the rate.
// Ratios compare runs of the same session only: absolute numbers on a shared machine drift.
func writeReport(w io.Writer, env string, o *options, runs []Run) {
	_, _ = fmt.Fprintf(w, "%s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	_, _ = fmt.Fprintf(w, "%s\n", env)
	load := o.loadName(0)
	if len(o.rates) > 0 {
		load = fmt.Sprintf("constant arrival rates %v requests/s over up to %d connections, "+
			"dropped when not sent within %s of the due time", []float64(o.rates), o.conns, o.late)
	}
	_, _ = fmt.Fprintf(w, "%s, %s warm-up, %s measured, %d round(s)\n", load, o.warmup,
		o.duration, o.rounds)
	if len(o.delays) > 0 {
		_, _ = fmt.Fprintf(w, "every subgraph call delayed by each of %v in turn (\"delay ms\", "+
			"included in \"subgraph ms\"); \"alone ms\": least latency of %d requests sent one at "+
			"a time after the warm-up\n", []time.Duration(o.delays), loneTries)
	}
	_, _ = fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	writeRow(tw, "router", o, func(c column) string { return c.head })
	for _, r := range runs {
		if r.Err != nil && r.Result.Requests == 0 {
			_, _ = fmt.Fprintf(tw, "%s\t%d\t(failed, see below)\t\n", r.Target, r.Round)
			continue
		}
		writeRow(tw, r.Target, o, func(c column) string { return c.value(r) })
	}
	_ = tw.Flush()
	for _, r := range runs {
		if r.Err != nil {
			_, _ = fmt.Fprintf(w, "%s round %d: %v\n", r.Target, r.Round, r.Err)
		}
	}
	if len(o.rates) > 0 {
		writeSaturated(w, runs)
		return
	}
	for _, delay := range o.phaseDelays() {
		title := "relative to ergo (medians over rounds)"
		if len(o.delays) > 0 {
			title = fmt.Sprintf("relative to ergo with subgraph delay %s (medians over rounds)", delay)
		}
		writeRatios(w, title, slices.DeleteFunc(slices.Clone(runs), func(r Run) bool {
			return r.Delay != delay
		}))
	}
}

// writeRow writes one table row: name, then each shown column's cell.
func writeRow(w io.Writer, name string, o *options, cell func(column) string) {
	row := name + "\t"
	for _, c := range columns {
		if c.shown == nil || c.shown(o) {
			row += cell(c) + "\t"
		}
	}
	_, _ = fmt.Fprintln(w, row)
}

// saturatedShare is the share of dropped requests above which a rate run counts as one the
// router could not sustain.
const saturatedShare = 0.01

// Saturated reports whether more than 1% of the phase's due requests were dropped: the
// router could not keep up with the rate, and the latencies describe only what was sent.
func (r Result) Saturated() bool {
	due := r.Requests + r.Dropped
	return due > 0 && float64(r.Dropped) > saturatedShare*float64(due)
}

// writeSaturated names the constant-rate runs that dropped more than 1% of their requests.
func writeSaturated(w io.Writer, runs []Run) {
	for _, r := range runs {
		if r.Err == nil && r.Result.Saturated() {
			_, _ = fmt.Fprintf(w, "%s round %d at %g/s: saturated, %d of %d due requests dropped; "+
				"its latencies describe only the requests sent\n", r.Target, r.Round, r.Rate,
				r.Result.Dropped, r.Result.Requests+r.Result.Dropped)
		}
	}
}

// writeRatios prints under title, per target, the median over rounds of throughput and CPU
// per request, relative to ERGO's.
func writeRatios(w io.Writer, title string, runs []Run) {
	rps, cpu := medians(runs)
	base, ok := rps["ergo"]
	if !ok || len(rps) < 2 {
		return
	}
	_, _ = fmt.Fprintf(w, "\n%s:\n", title)
	var names []string
	for name := range rps {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "ergo" {
			continue
		}
		_, _ = fmt.Fprintf(w, "  %-8s ergo serves %.2fx the requests/s and uses %.2fx less CPU per request\n",
			name, base/rps[name], cpu[name]/cpu["ergo"])
	}
}

// medians returns each target's median requests/s and CPU ms per request over its
// successful runs.
func medians(runs []Run) (rps, cpu map[string]float64) {
	byTarget := map[string][]Run{}
	for _, r := range runs {
		if r.Err == nil && r.Result.Requests > 0 {
			byTarget[r.Target] = append(byTarget[r.Target], r)
		}
	}
	rps, cpu = map[string]float64{}, map[string]float64{}
	for name, rs := range byTarget {
		var a, b []float64
		for _, r := range rs {
			a = append(a, r.Result.RPS())
			b = append(b, ms(r.CPUPerRequest()))
		}
		rps[name], cpu[name] = median(a), median(b)
	}
	return rps, cpu
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
