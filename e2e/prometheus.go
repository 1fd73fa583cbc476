package e2e

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families are the metric families of one scrape, by name.
type Families map[string]*dto.MetricFamily

// Sample is one series' value in a scrape: a counter, gauge or untyped
// metric (histograms and summaries are not flattened here).
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Scrape GETs a Prometheus endpoint in the classic text format and parses it.
func Scrape(ctx context.Context, url string) (Families, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("building the scrape request for %s: %w", url, err)
	}
	// Ask for the text format so the parser below always applies.
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("scraping %s: status %d: %s", url, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		return nil, fmt.Errorf("scraping %s: want the text format, got Content-Type %q", url, ct)
	}
	return ParseText(resp.Body)
}

// ParseText parses the Prometheus text exposition format.
func ParseText(r io.Reader) (Families, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parsing the Prometheus text format: %w", err)
	}
	return Families(fams), nil
}

// Samples are the series of the named family (counters, gauges, untyped),
// sorted by their labels for stable output.
func (f Families) Samples(name string) []Sample {
	fam, ok := f[name]
	if !ok {
		return nil
	}
	out := make([]Sample, 0, len(fam.GetMetric()))
	for _, m := range fam.GetMetric() {
		v, ok := sampleValue(fam.GetType(), m)
		if !ok {
			continue
		}
		labels := make(map[string]string, len(m.GetLabel()))
		for _, lp := range m.GetLabel() {
			labels[lp.GetName()] = lp.GetValue()
		}
		out = append(out, Sample{Name: name, Labels: labels, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return labelKey(out[i].Labels) < labelKey(out[j].Labels) })
	return out
}

// Find is the one series of the named family whose labels include match;
// ok is false when none matches, and it is an error when several do.
func (f Families) Find(name string, match map[string]string) (Sample, bool, error) {
	var found []Sample
	for _, s := range f.Samples(name) {
		if matches(s.Labels, match) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return Sample{}, false, nil
	case 1:
		return found[0], true, nil
	default:
		return Sample{}, false, fmt.Errorf("%d series of %s match %v, want one", len(found), name, match)
	}
}

// Sum adds up the series of the named family whose labels include match
// (NaN when there are none, so a missing metric never reads as zero).
func (f Families) Sum(name string, match map[string]string) float64 {
	sum, n := 0.0, 0
	for _, s := range f.Samples(name) {
		if matches(s.Labels, match) {
			sum += s.Value
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum
}

// Names are the family names in the scrape, sorted.
func (f Families) Names() []string {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func sampleValue(t dto.MetricType, m *dto.Metric) (float64, bool) {
	switch t {
	case dto.MetricType_COUNTER:
		return m.GetCounter().GetValue(), true
	case dto.MetricType_GAUGE:
		return m.GetGauge().GetValue(), true
	case dto.MetricType_UNTYPED:
		return m.GetUntyped().GetValue(), true
	default:
		return 0, false
	}
}

func matches(labels, match map[string]string) bool {
	for k, v := range match {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func labelKey(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(labels[k])
		b.WriteByte(',')
	}
	return b.String()
}
