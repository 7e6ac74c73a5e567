package load

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// writeReport prints every run, then, when ERGO ran, each target's ratios to it. Ratios
// compare runs of the same session only: absolute numbers on a shared machine drift.
func writeReport(w io.Writer, env string, o *options, runs []Run) {
	_, _ = fmt.Fprintf(w, "%s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	_, _ = fmt.Fprintf(w, "%s\n", env)
	_, _ = fmt.Fprintf(w, "%d connections, %s warm-up, %s measured, %d round(s)\n\n",
		o.conns, o.warmup, o.duration, o.rounds)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	_, _ = fmt.Fprintln(tw, "router\tround\treq/s\tp50 ms\tp95 ms\tp99 ms\tCPU ms/req\tpeak RSS MB\t"+
		"subgraph calls/req\talone\tdriver CPU s/s\twrong\t")
	for _, r := range runs {
		if r.Err != nil && r.Result.Requests == 0 {
			_, _ = fmt.Fprintf(tw, "%s\t%d\t(failed, see below)\t\n", r.Target, r.Round)
			continue
		}
		res := r.Result
		_, _ = fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.3f\t%.0f\t%.1f\t%d\t%.2f\t%d\t\n",
			r.Target, r.Round, res.RPS(), ms(res.Percentile(0.5)), ms(res.Percentile(0.95)),
			ms(res.Percentile(0.99)), ms(r.CPUPerRequest()), float64(r.PeakRSS)/(1<<20),
			r.SubgraphCalls, r.LoneCalls, r.DriverCPU.Seconds()/res.Elapsed.Seconds(), res.Mismatches)
	}
	_ = tw.Flush()
	for _, r := range runs {
		if r.Err != nil {
			_, _ = fmt.Fprintf(w, "%s round %d: %v\n", r.Target, r.Round, r.Err)
		}
	}
	writeRatios(w, runs)
}

// writeRatios prints, per target, the median over rounds of throughput and CPU per request,
// relative to ERGO's.
func writeRatios(w io.Writer, runs []Run) {
	rps, cpu := medians(runs)
	base, ok := rps["ergo"]
	if !ok || len(rps) < 2 {
		return
	}
	_, _ = fmt.Fprintf(w, "\nrelative to ergo (medians over rounds):\n")
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
