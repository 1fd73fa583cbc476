package flowmetrics

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// Value renders the attribute of a flow as filters and series keys see it.
func (at *Attribute) Value(a *flowtable.Attributes) string { return at.value(a) }

// Put writes the attribute of a flow into m under its key, typed.
func (at *Attribute) Put(m pcommon.Map, a *flowtable.Attributes) { at.put(m, at.value(a)) }

// IsInt reports whether the attribute is written as an integer (ports,
// categories, VLAN id).
func (at *Attribute) IsInt() bool { return at.kind == kindInt }

// Filters is a compiled filter list: a flow passes when it passes every
// condition, as in a view's filter.
type Filters []filter

// CompileFilters compiles a filter list; it reports every bad condition,
// each error naming the condition's index.
func CompileFilters(cs []FilterConfig) (Filters, error) {
	fs := make(Filters, 0, len(cs))
	var errs []error
	for i, c := range cs {
		f, err := compileFilter(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("filter[%d]: %w", i, err))
			continue
		}
		fs = append(fs, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return fs, nil
}

// Pass reports whether a flow with these attributes passes every condition.
func (fs Filters) Pass(a *flowtable.Attributes) bool {
	for _, f := range fs {
		if f.match(f.attr.value(a)) == f.negate {
			return false
		}
	}
	return true
}
