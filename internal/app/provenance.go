package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// Provenance: the events that touched a node or an edge, read from the graph's stream on a
// goroutine (never on the frame thread) and cached per graph and item. When the graph moves on, only
// the events after the last scan are read. A record is decoded only when its bytes contain the item's
// id as JSON (or, for a node, when it is an edge event that may concern one of its edges), so the
// scan of a long history costs little more than reading it.

// provenanceEntries bounds the cache: the items inspected most recently.
const provenanceEntries = 32

// provenanceRetry is how long a failed scan is shown before it is tried again.
const provenanceRetry = 5 * time.Second

type provKey struct {
	graph, item string
	edge        bool
}

type provEntry struct {
	rows    []ui.Provenance // newest first; replaced, never changed in place, when a scan adds rows
	scanned uint64          // the store position the scans have reached
	loading bool
	err     error
	failed  time.Time
	used    uint64
	// incident are the edges seen with the node as an endpoint; owned by the scan while loading.
	incident map[string]bool
}

// provenanceCache is safe for concurrent use: the frame thread looks up, scans report back.
type provenanceCache struct {
	mu      sync.Mutex
	entries map[provKey]*provEntry
	clock   uint64
}

// lookup returns the item's provenance up to version (newest first) and a note while it loads or
// when it failed; a lookup of an item scanned only to an earlier version starts a scan of the rest.
func (c *provenanceCache) lookup(ctx context.Context, store eventstore.Store, log *slog.Logger, key provKey, version uint64) ([]ui.Provenance, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[provKey]*provEntry{}
	}
	e := c.entries[key]
	if e == nil {
		c.evict()
		e = &provEntry{incident: map[string]bool{}}
		c.entries[key] = e
	}
	c.clock++
	e.used = c.clock
	if e.err != nil && time.Since(e.failed) >= provenanceRetry {
		e.err = nil // a NATS hiccup should not hide the history for good
	}
	if !e.loading && e.err == nil && e.scanned < version && store != nil {
		e.loading = true
		go c.scan(ctx, store, log, key, e, version)
	}
	// Rows newer than the version shown (the timeline may show the past) are left out.
	i, _ := slices.BinarySearchFunc(e.rows, version, func(p ui.Provenance, v uint64) int {
		switch {
		case p.Version > v:
			return -1
		case p.Version < v:
			return 1
		}
		return 0
	})
	rows := e.rows[i:]
	switch {
	case e.err != nil:
		return rows, "history: " + e.err.Error()
	case e.loading:
		return rows, "loading history..."
	}
	return rows, ""
}

// evict drops the least recently used idle entry when the cache is full (mu held).
func (c *provenanceCache) evict() {
	if len(c.entries) < provenanceEntries {
		return
	}
	var oldest provKey
	var used uint64 = ^uint64(0)
	for k, e := range c.entries {
		if !e.loading && e.used < used {
			oldest, used = k, e.used
		}
	}
	if used != ^uint64(0) {
		delete(c.entries, oldest)
	}
}

// scan reads the item's events after e.scanned and adds them to e.
func (c *provenanceCache) scan(ctx context.Context, store eventstore.Store, log *slog.Logger, key provKey, e *provEntry, version uint64) {
	start := time.Now()
	c.mu.Lock()
	from := e.scanned + 1
	c.mu.Unlock()
	found, last, read, err := scanProvenance(ctx, store, key, from, e.incident)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.loading = false
	if err != nil {
		e.err, e.failed = err, time.Now()
		if log != nil {
			log.Warn("provenance", "graph", key.graph, "item", key.item, "err", err)
		}
		return
	}
	// Load stops at the graph's version when it started, which is at least the version asked for.
	e.scanned = max(e.scanned, last, version)
	if len(found) > 0 {
		slices.Reverse(found)
		e.rows = append(found, e.rows...)
	}
	if log != nil {
		log.Info("provenance loaded", "graph", key.graph, "item", key.item, "edge", key.edge, "events", len(e.rows),
			"read", read, "from", from, "ms", time.Since(start).Milliseconds())
	}
}

// scanProvenance reads the graph's events from version from and returns those that touched the item,
// oldest first, with the last position read and how many records it read. incident carries a node's
// edges from one scan to the next.
func scanProvenance(ctx context.Context, store eventstore.Store, key provKey, from uint64, incident map[string]bool) (found []ui.Provenance, last uint64, read int, err error) {
	needle, _ := json.Marshal(key.item)
	err = store.Load(ctx, key.graph, from, func(rec eventstore.Record) error {
		last, read = rec.Seq, read+1
		edgeEvent := strings.HasSuffix(rec.Subject, "."+graph.EventEdgeUpdated) || strings.HasSuffix(rec.Subject, "."+graph.EventEdgeRemoved)
		if !bytes.Contains(rec.Data, needle) && !(edgeEvent && !key.edge && len(incident) > 0) {
			return nil
		}
		ev, decodeErr := rec.Event()
		what, ok := "", false
		if decodeErr == nil && ev.Data != nil {
			what, ok = touches(&ev, key, incident)
		} else if ev.Type != "" {
			// An event this build cannot read (or one stored by CID) that names the item.
			what, ok = "mentions "+key.item, bytes.Contains(rec.Data, needle)
		}
		if ok {
			found = append(found, provenanceRow(&ev, rec.Seq, what))
		}
		return nil
	})
	return found, last, read, err
}

func provenanceRow(ev *graph.Event, seq uint64, what string) ui.Provenance {
	if ev.CausationID != "" {
		what += " (caused by " + ev.CausationID + ")"
	}
	return ui.Provenance{Version: seq, Time: ev.Time.Local().Format("01-02 15:04:05"), Actor: ev.Actor, Type: ev.Type, What: what}
}

// touches reports whether an event changed the item, and how. For a node: added, updated, pinned,
// removed; its edges added, updated, removed; its components (coordinates, strategy, utility,
// coalitions) and subgraph memberships. For an edge: added, updated, removed, or removed with a node.
// Event types it does not know (agents' suggestions, say) count when their payload names the item.
func touches(ev *graph.Event, key provKey, incident map[string]bool) (string, bool) {
	id := key.item
	if key.edge {
		return touchesEdge(ev, id)
	}
	switch p := ev.Data.(type) {
	case *graph.NodesAdded:
		for _, n := range p.Nodes {
			if n.ID == id {
				return "added", true
			}
		}
		return "", false
	case *graph.NodeUpdated:
		if p.ID != id {
			return "", false
		}
		return "updated " + updatedFields(p), true
	case *graph.NodePinned:
		if p.Position == nil {
			return "unpinned", p.ID == id
		}
		return "pinned", p.ID == id
	case *graph.NodeRemoved:
		if p.ID == id {
			return "removed", true
		}
		for _, e := range p.Edges {
			if incident[e.ID] {
				delete(incident, e.ID)
				return "edge " + e.ID + " removed with node " + p.ID, true
			}
		}
		return "", false
	case *graph.EdgesAdded:
		var mine []string
		for _, e := range p.Edges {
			if e.Source == id || e.Target == id {
				incident[e.ID] = true
				mine = append(mine, e.ID)
			}
		}
		return countedList("edge", mine) + " added", len(mine) > 0
	case *graph.EdgeUpdated:
		return "edge " + p.ID + " updated", incident[p.ID]
	case *graph.EdgeRemoved:
		if incident[p.ID] {
			delete(incident, p.ID)
			return "edge " + p.ID + " removed", true
		}
		return "", false
	case *graph.SubgraphCreated:
		return "in new subgraph " + p.ID, slices.Contains(p.Nodes, id)
	case *graph.SubgraphChanged:
		switch {
		case slices.Contains(p.Added, id):
			return "added to subgraph " + p.ID, true
		case slices.Contains(p.Removed, id):
			return "removed from subgraph " + p.ID, true
		}
		return "", false
	case *graph.CoordinatesSet:
		for _, pt := range p.Points {
			if pt.ID == id {
				if len(pt.Coordinates) == 0 {
					return "coordinates cleared in space " + p.Space, true
				}
				return "coordinates set in space " + p.Space, true
			}
		}
		return "", false
	case *graph.StrategySet:
		return "strategy set", p.ID == id
	case *graph.UtilitySet:
		return "utility set", p.ID == id
	case *graph.CoalitionFormed:
		return "joined coalition " + p.ID, slices.Contains(p.Members, id)
	case *graph.CoalitionDissolved:
		return "coalition " + p.ID + " dissolved", slices.Contains(p.Members, id)
	case *graph.GraphCreated, *graph.GraphRenamed, *graph.GraphTagged, *graph.GraphDeleted,
		*graph.SpaceDefined, *graph.PrototypeAdded, *graph.PrototypeRemoved:
		return "", false
	}
	return "mentions " + id, mentions(ev, id)
}

func touchesEdge(ev *graph.Event, id string) (string, bool) {
	switch p := ev.Data.(type) {
	case *graph.EdgesAdded:
		for _, e := range p.Edges {
			if e.ID == id {
				return fmt.Sprintf("added %s -> %s", e.Source, e.Target), true
			}
		}
		return "", false
	case *graph.EdgeUpdated:
		return "updated", p.ID == id
	case *graph.EdgeRemoved:
		return "removed", p.ID == id
	case *graph.NodeRemoved:
		for _, e := range p.Edges {
			if e.ID == id {
				return "removed with node " + p.ID, true
			}
		}
		return "", false
	case *graph.NodesAdded, *graph.NodeUpdated, *graph.NodePinned, *graph.GraphCreated, *graph.GraphRenamed,
		*graph.GraphTagged, *graph.GraphDeleted, *graph.SubgraphCreated, *graph.SubgraphChanged,
		*graph.CoordinatesSet, *graph.StrategySet, *graph.UtilitySet, *graph.CoalitionFormed,
		*graph.CoalitionDissolved, *graph.SpaceDefined, *graph.PrototypeAdded, *graph.PrototypeRemoved:
		return "", false
	}
	return "mentions " + id, mentions(ev, id)
}

// mentions reports whether an event of a type this file does not know names the id in its payload.
func mentions(ev *graph.Event, id string) bool {
	needle, _ := json.Marshal(id)
	return bytes.Contains(ev.Payload, needle)
}

func updatedFields(p *graph.NodeUpdated) string {
	var f []string
	if p.Label != nil {
		f = append(f, "label")
	}
	if p.Kind != nil {
		f = append(f, "kind")
	}
	for _, k := range slices.Sorted(maps.Keys(p.SetProps)) {
		f = append(f, k)
	}
	f = append(f, p.RemoveProps...)
	if len(p.Coords) > 0 || p.ClearCoords {
		f = append(f, "coords")
	}
	if p.CID != nil {
		f = append(f, "content")
	}
	return shorten(strings.Join(f, ", "), 80)
}

// countedList names up to three items and counts the rest: "edges e1, e2, e3 and 7 more".
func countedList(what string, items []string) string {
	switch len(items) {
	case 0:
		return what
	case 1:
		return what + " " + items[0]
	}
	head := strings.Join(items[:min(len(items), 3)], ", ")
	if len(items) > 3 {
		head += fmt.Sprintf(" and %d more", len(items)-3)
	}
	return what + "s " + head
}
