package model

import (
	"syscall/js"
	"time"
)

// cpuTime returns the CPU time node's process has used so far; after
// warm-up, node's compiler and GC threads are nearly idle, so over a
// benchmark loop this is the time of the thread running Go.
func cpuTime() time.Duration {
	u := js.Global().Get("process").Call("cpuUsage")
	return time.Duration(u.Get("user").Float()+u.Get("system").Float()) * time.Microsecond
}
