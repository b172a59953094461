package graph

// RecentCommands is how many distinct command ids a graph remembers for idempotent retries. A retry
// arriving after more commands than this were applied to the same graph is decided again.
const RecentCommands = 4096

// recentCommands is a FIFO of command ids with the version of each one's last event.
type recentCommands struct {
	ring []string
	next int
	seen map[string]uint64
}

func (r *recentCommands) record(id string, version uint64) {
	if r.seen == nil {
		r.seen = make(map[string]uint64)
	}
	if _, ok := r.seen[id]; ok {
		r.seen[id] = version
		return
	}
	if len(r.ring) < RecentCommands {
		r.ring = append(r.ring, id)
	} else {
		delete(r.seen, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % RecentCommands
	}
	r.seen[id] = version
}

// ordered returns the remembered ids oldest first.
func (r *recentCommands) ordered() []string {
	out := make([]string, 0, len(r.ring))
	out = append(out, r.ring[r.next:]...)
	return append(out, r.ring[:r.next]...)
}
