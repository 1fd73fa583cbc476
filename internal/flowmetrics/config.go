package flowmetrics

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Measures a view can produce (ViewConfig.Measures).
const (
	MeasureIO       = "io"
	MeasurePackets  = "packets"
	MeasureTCP      = "tcp"
	MeasureFlows    = "flows"
	MeasureRate     = "rate"
	MeasureDuration = "duration"
	MeasureSize     = "size"
)

// AllMeasures is the default of ViewConfig.Measures.
var AllMeasures = []string{MeasureIO, MeasurePackets, MeasureTCP, MeasureFlows, MeasureRate, MeasureDuration, MeasureSize}

// Defaults of a view's bounds.
const (
	DefaultMaxSeries   = 1000
	DefaultIdleTimeout = time.Hour
)

// ViewConfig is one view: metrics aggregated over the flows of an agent
// that pass its filter, grouped by some of their attributes.
type ViewConfig struct {
	// Name makes the metric names: netify.view.<name>.io and so on.
	Name string `mapstructure:"name"`
	// GroupBy lists attributes by their names in Attributes (or their keys).
	GroupBy []string `mapstructure:"group_by"`
	// Measures picks what the view measures; empty means all.
	Measures []string `mapstructure:"measures"`
	// Filter: a flow counts toward the view while it passes every condition.
	Filter []FilterConfig `mapstructure:"filter"`
	// MaxSeries bounds the keys of one agent; past it, flows of new keys
	// count toward the agent's overflow series (otel.metric.overflow=true).
	MaxSeries int `mapstructure:"max_series"`
	// IdleTimeout drops a key that has had no active flow and no update for
	// this long; if it comes back, its series starts again.
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
}

// FilterConfig is one condition on one attribute; exactly one operator is set.
type FilterConfig struct {
	Attribute string   `mapstructure:"attribute"`
	Equals    *string  `mapstructure:"equals"`
	NotEquals *string  `mapstructure:"not_equals"`
	In        []string `mapstructure:"in"`
	NotIn     []string `mapstructure:"not_in"`
	// Matches is a regular expression (RE2) the whole value must match.
	Matches    string   `mapstructure:"matches"`
	NotMatches string   `mapstructure:"not_matches"`
	CIDR       []string `mapstructure:"cidr"`
	NotCIDR    []string `mapstructure:"not_cidr"`
}

// DefaultViews is what a fresh install gets: throughput and TCP health per
// interface, per application and per protocol.
func DefaultViews() []ViewConfig {
	return []ViewConfig{
		{Name: "interface", GroupBy: []string{"interface", "internal"}},
		{Name: "application", GroupBy: []string{"application"}},
		{Name: "protocol", GroupBy: []string{"protocol", "transport"}},
	}
}

var viewName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidateViews checks a views list; each message names the view and key at
// fault, as "views[i]" or by name.
func ValidateViews(views []ViewConfig, flowsIdle time.Duration) error {
	var errs []error
	seen := map[string]bool{}
	for i, v := range views {
		at := fmt.Sprintf("views[%d]", i)
		if v.Name != "" {
			at = fmt.Sprintf("views[%d] (%s)", i, v.Name)
		}
		if !viewName.MatchString(v.Name) {
			errs = append(errs, fmt.Errorf("%s: name must be lower case letters, digits and _ starting with a letter, got %q", at, v.Name))
		} else if seen[v.Name] {
			errs = append(errs, fmt.Errorf("%s: name %q is used twice", at, v.Name))
		}
		seen[v.Name] = true
		groups := map[string]bool{}
		for _, g := range v.GroupBy {
			a, ok := LookupAttribute(g)
			if !ok {
				errs = append(errs, fmt.Errorf("%s: group_by: unknown attribute %q, known: %s", at, g, strings.Join(AttributeNames(), ", ")))
				continue
			}
			if groups[a.Name] {
				errs = append(errs, fmt.Errorf("%s: group_by: %q listed twice", at, g))
			}
			groups[a.Name] = true
		}
		for _, m := range v.Measures {
			if !slices.Contains(AllMeasures, m) {
				errs = append(errs, fmt.Errorf("%s: measures: unknown measure %q, known: %s", at, m, strings.Join(AllMeasures, ", ")))
			}
		}
		for j, f := range v.Filter {
			if _, err := compileFilter(f); err != nil {
				errs = append(errs, fmt.Errorf("%s: filter[%d]: %w", at, j, err))
			}
		}
		if v.MaxSeries < 0 {
			errs = append(errs, fmt.Errorf("%s: max_series must not be negative, got %d", at, v.MaxSeries))
		}
		idle := v.IdleTimeout
		if idle == 0 {
			idle = DefaultIdleTimeout
		}
		if v.IdleTimeout < 0 {
			errs = append(errs, fmt.Errorf("%s: idle_timeout must not be negative, got %s", at, v.IdleTimeout))
		} else if idle < flowsIdle {
			// A dropped key's index may be taken again: no flow still
			// in the table may point at it.
			errs = append(errs, fmt.Errorf("%s: idle_timeout (%s) must not be shorter than flows.idle_timeout (%s)", at, idle, flowsIdle))
		}
	}
	return errors.Join(errs...)
}

// filter is a compiled FilterConfig.
type filter struct {
	attr   *Attribute
	negate bool
	match  func(v string) bool
}

func compileFilter(c FilterConfig) (filter, error) {
	a, ok := LookupAttribute(c.Attribute)
	if !ok {
		return filter{}, fmt.Errorf("unknown attribute %q, known: %s", c.Attribute, strings.Join(AttributeNames(), ", "))
	}
	type op struct {
		name string
		set  bool
	}
	ops := []op{
		{"equals", c.Equals != nil}, {"not_equals", c.NotEquals != nil},
		{"in", len(c.In) > 0}, {"not_in", len(c.NotIn) > 0},
		{"matches", c.Matches != ""}, {"not_matches", c.NotMatches != ""},
		{"cidr", len(c.CIDR) > 0}, {"not_cidr", len(c.NotCIDR) > 0},
	}
	var set []string
	for _, o := range ops {
		if o.set {
			set = append(set, o.name)
		}
	}
	if len(set) != 1 {
		return filter{}, fmt.Errorf("%s: exactly one of equals, not_equals, in, not_in, matches, not_matches, cidr, not_cidr must be set, got %d", c.Attribute, len(set))
	}
	f := filter{attr: a}
	switch set[0] {
	case "equals", "not_equals":
		want := deref(c.Equals, c.NotEquals)
		f.negate = c.NotEquals != nil
		f.match = func(v string) bool { return v == want }
	case "in", "not_in":
		vals := append(c.In, c.NotIn...)
		f.negate = len(c.NotIn) > 0
		f.match = func(v string) bool { return slices.Contains(vals, v) }
	case "matches", "not_matches":
		expr := c.Matches + c.NotMatches
		re, err := regexp.Compile(`^(?:` + expr + `)$`)
		if err != nil {
			return filter{}, fmt.Errorf("%s: %w", c.Attribute, err)
		}
		f.negate = c.NotMatches != ""
		f.match = re.MatchString
	case "cidr", "not_cidr":
		if a.Name != "local_address" && a.Name != "other_address" {
			return filter{}, fmt.Errorf("%s: cidr applies to local_address and other_address only", c.Attribute)
		}
		var prefixes []netip.Prefix
		for _, s := range append(c.CIDR, c.NotCIDR...) {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return filter{}, fmt.Errorf("%s: %w", c.Attribute, err)
			}
			prefixes = append(prefixes, p.Masked())
		}
		f.negate = len(c.NotCIDR) > 0
		f.match = func(v string) bool {
			ip, err := netip.ParseAddr(v)
			if err != nil {
				return false
			}
			ip = ip.Unmap()
			return slices.ContainsFunc(prefixes, func(p netip.Prefix) bool { return p.Contains(ip) })
		}
	}
	return f, nil
}

func deref(a, b *string) string {
	if a != nil {
		return *a
	}
	return *b
}
