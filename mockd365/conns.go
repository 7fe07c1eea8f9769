package mockd365

import (
	"net"
	"net/http"
	"sync"
)

// A connTracker follows the state of the server's connections, so that Close can close the
// ones that never sent a request. http.Server.Shutdown counts those as busy for 5 seconds;
// Go's client leaves one behind whenever a dial loses the race to an idle connection.
type connTracker struct {
	mu    sync.Mutex // guards conns
	conns map[net.Conn]http.ConnState
}

// track is the http.Server ConnState hook.
func (ct *connTracker) track(c net.Conn, st http.ConnState) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	switch st {
	case http.StateHijacked, http.StateClosed:
		delete(ct.conns, c)
	default:
		if ct.conns == nil {
			ct.conns = make(map[net.Conn]http.ConnState)
		}
		ct.conns[c] = st
	}
}

// closeUnused closes the connections that are waiting for their first request. Call it after
// the listener is closed, so that no new ones arrive.
func (ct *connTracker) closeUnused() {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	for c, st := range ct.conns {
		if st == http.StateNew {
			c.Close()
		}
	}
}
