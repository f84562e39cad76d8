package model

import (
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// rewindingVM is gorgonia's tape machine with a Reset that keeps the
// results of the previous run in its registers. gorgonia's own Reset
// empties every register, so each run allocates every intermediate
// tensor again (5.5 MB per window for the shipped model) and the garbage
// collector and memory clearing pay for it; with the registers kept, the
// machine's alloc instructions find a tensor of the right shape and the
// operations write into it (gorgonia's UsePreallocDo path, the one it
// already takes when a register is reused within a run).
//
// A register is kept only if the next run's writes into it are certain to
// be right, otherwise it is emptied as gorgonia's Reset would empty it:
//   - its memory belongs to it alone: a register overlapping a value bound
//     to the graph (the input, the weights) or another register (a view)
//     could change data that the next run still reads;
//   - it holds a plain row-major tensor. Operations given a preallocated
//     tensor trust its shape, and some reshape or transpose their input in
//     place (im2col → Reshape, A×Bᵀ → Reshape → Transpose share one
//     register), so the tensor is given back the shape of the register's
//     first node, the one that writes it first in the next run.
//
// TestRewindingVMExact checks the results are bit-identical.
//
// gorgonia exports neither the machine's program counter nor its
// registers, so rewindingVM reaches them by reflection; newRewindingVM
// fails, and the caller keeps the plain machine, if their layout changes.
type rewindingVM struct {
	gorgonia.VM
	pc    *int
	regs  *[]gorgonia.Value
	bound []span               // memory of the values bound to the graph's input nodes
	shape map[int]tensor.Shape // register -> the shape all its nodes have; nil if they differ
}

// span is a value's memory, [lo, hi).
type span struct{ lo, hi uintptr }

func spanOf(v gorgonia.Value) span {
	p := v.Uintptr()
	return span{p, p + uintptr(v.MemSize())}
}

func (a span) overlaps(b span) bool { return a.lo < b.hi && b.lo < a.hi }

// newRewindingVM wraps vm, a machine made by gorgonia.NewTapeMachine for
// eg, whose input nodes must already have their values bound.
func newRewindingVM(vm gorgonia.VM, eg *gorgonia.ExprGraph) (*rewindingVM, error) {
	v := reflect.ValueOf(vm)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("model: tape machine is a %T", vm)
	}
	s := v.Elem()
	pc, regs, locs := s.FieldByName("pc"), s.FieldByName("cpumem"), s.FieldByName("locMap")
	if pc.Kind() != reflect.Int || !regs.IsValid() || regs.Type() != reflect.TypeFor[[]gorgonia.Value]() ||
		locs.Kind() != reflect.Map || locs.Type().Key() != reflect.TypeFor[*gorgonia.Node]() {
		return nil, fmt.Errorf("model: gorgonia's tape machine has changed (%v)", s.Type())
	}
	r := &rewindingVM{
		VM:   vm,
		pc:   (*int)(unsafe.Pointer(pc.UnsafeAddr())),
		regs: (*[]gorgonia.Value)(unsafe.Pointer(regs.UnsafeAddr())),
	}
	nodes := map[uintptr]*gorgonia.Node{} // reflection can read locMap's keys only as addresses
	for _, n := range eg.AllNodes() {
		nodes[uintptr(unsafe.Pointer(n))] = n
	}
	byReg := map[int][]*gorgonia.Node{}
	for it := locs.MapRange(); it.Next(); {
		id := it.Value().FieldByName("id")
		if id.Kind() != reflect.Int {
			return nil, fmt.Errorf("model: gorgonia's tape machine has changed (register %v)", it.Value().Type())
		}
		n := nodes[it.Key().Pointer()]
		if n == nil {
			return nil, fmt.Errorf("model: tape machine register for a node not in the graph")
		}
		byReg[int(id.Int())] = append(byReg[int(id.Int())], n)
	}
	r.shape = map[int]tensor.Shape{}
	for reg, ns := range byReg {
		if s, ok := chainStart(eg, ns); ok {
			r.shape[reg] = s
		}
	}
	for _, n := range eg.AllNodes() {
		if n.Op() == nil && n.Value() != nil { // an input: the image or a weight
			r.bound = append(r.bound, spanOf(n.Value()))
		}
	}
	return r, nil
}

// Reset rewinds the machine to its first instruction, keeping every
// register whose memory it alone owns.
func (r *rewindingVM) Reset() {
	*r.pc = 0
	regs := *r.regs
	spans := make([]span, len(regs))
	for i, v := range regs {
		if v != nil {
			spans[i] = spanOf(v)
		}
	}
	for i, v := range regs {
		if v == nil {
			continue
		}
		shared := spans[i].lo == spans[i].hi || !r.plain(i, v)
		for _, b := range r.bound {
			shared = shared || spans[i].overlaps(b)
		}
		for j := range regs {
			shared = shared || (j != i && regs[j] != nil && spans[i].overlaps(spans[j]))
		}
		if shared {
			regs[i] = nil
		}
	}
}

// plain reports whether v, in register i, is a row-major dense tensor
// that can take the shape of the register's first node; it gives it that
// shape.
func (r *rewindingVM) plain(i int, v gorgonia.Value) bool {
	d, ok := v.(*tensor.Dense)
	want, known := r.shape[i]
	if !ok || !known || d.IsView() || d.Shape().TotalSize() != want.TotalSize() ||
		!slices.Equal(d.Strides(), d.Shape().CalcStrides()) {
		return false
	}
	return d.Shape().Eq(want) || d.Reshape(want...) == nil
}

// chainStart returns the shape of the first of the nodes ns sharing a
// register, if they form a chain in which each node reads the one before
// it (an operation working in place on its input's tensor). Nodes are
// numbered as they are made, after their inputs, so the chain's order is
// the order of their IDs. Other registers get no shape and are emptied.
func chainStart(eg *gorgonia.ExprGraph, ns []*gorgonia.Node) (tensor.Shape, bool) {
	slices.SortFunc(ns, func(a, b *gorgonia.Node) int { return int(a.ID() - b.ID()) })
	for k := 1; k < len(ns); k++ {
		if !eg.HasEdgeFromTo(ns[k].ID(), ns[k-1].ID()) || ns[k].Shape().TotalSize() != ns[0].Shape().TotalSize() {
			return nil, false
		}
	}
	return ns[0].Shape().Clone(), true
}
