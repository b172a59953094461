package agents

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Info is one running agent instance as $SRV.INFO describes it.
type Info struct {
	Name         string       `json:"name"`    // agent name, without the agent- prefix
	Service      string       `json:"service"` // micro service name
	ID           string       `json:"id"`      // instance id
	Version      string       `json:"version"`
	Description  string       `json:"description,omitempty"`
	Capabilities Capabilities `json:"capabilities"`
	Subject      string       `json:"subject"` // the analyze endpoint's subject
}

func infoFrom(mi micro.Info) (Info, bool) {
	name, ok := strings.CutPrefix(mi.Name, natsx.AgentServicePrefix)
	if !ok || name == "" {
		return Info{}, false
	}
	in := Info{Name: name, Service: mi.Name, ID: mi.ID, Version: mi.Version, Description: mi.Description,
		Capabilities: CapabilitiesFromMetadata(mi.Metadata)}
	for _, ep := range mi.Endpoints {
		if ep.Name == EndpointName {
			in.Subject = ep.Subject
		}
	}
	return in, true
}

// Discover asks every service for its $SRV.INFO and returns the agents that answer within wait,
// sorted by name then instance.
func Discover(ctx context.Context, nc *nats.Conn, wait time.Duration) ([]Info, error) {
	var out []Info
	err := gather(ctx, nc, "$SRV.INFO", wait, func(data []byte) {
		var mi micro.Info
		if json.Unmarshal(data, &mi) == nil {
			if in, ok := infoFrom(mi); ok {
				out = append(out, in)
			}
		}
	})
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Name+"/"+a.ID, b.Name+"/"+b.ID) })
	return out, err
}

// gather publishes an empty request on subject and hands every reply that arrives within wait to fn
// (on the calling goroutine).
func gather(ctx context.Context, nc *nats.Conn, subject string, wait time.Duration, fn func([]byte)) error {
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return fmt.Errorf("discover: %w", err)
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest(subject, inbox, nil); err != nil {
		return fmt.Errorf("discover: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		m, err := sub.NextMsgWithContext(ctx)
		if err != nil {
			return nil // the window closed: what came is the answer
		}
		fn(m.Data)
	}
}

// Stats fetches one instance's $SRV.STATS.
func Stats(ctx context.Context, nc *nats.Conn, name, id string) (*micro.Stats, error) {
	subj, err := micro.ControlSubject(micro.StatsVerb, natsx.AgentServiceName(name), id)
	if err != nil {
		return nil, err
	}
	m, err := nc.RequestWithContext(ctx, subj, nil)
	if err != nil {
		return nil, fmt.Errorf("stats of %s/%s: %w", name, id, err)
	}
	var st micro.Stats
	if err := json.Unmarshal(m.Data, &st); err != nil {
		return nil, fmt.Errorf("stats of %s/%s: %w", name, id, err)
	}
	return &st, nil
}

// MonitorOptions tune a Monitor; zero values take the defaults.
type MonitorOptions struct {
	// Interval between pings; default 1s.
	Interval time.Duration
	// UnhealthyAfter marks an instance unhealthy when it has not answered for this long; default 3s,
	// so a dead agent shows unhealthy within 3 s of its last answer.
	UnhealthyAfter time.Duration
	// GoneAfter drops an instance that has not answered for this long; default 15s.
	GoneAfter time.Duration
	// StatsEvery fetches $SRV.STATS of each live instance this often; default 5s, negative: never.
	StatsEvery time.Duration
	// OnChange is called (from the monitor's goroutine) when an instance appears, changes health or
	// disappears.
	OnChange func()
}

// Status is an agent instance as the monitor sees it.
type Status struct {
	Info
	Healthy  bool      `json:"healthy"`
	LastSeen time.Time `json:"last_seen"`
	// Requests, Errors and InFlight come from the last $SRV.STATS.
	Requests int64         `json:"requests"`
	Errors   int64         `json:"errors"`
	InFlight int           `json:"in_flight"`
	AvgTime  time.Duration `json:"avg_time"`
}

// Monitor keeps the set of agent instances and their health current by pinging $SRV.PING; health
// is computed when read, so a dead instance turns unhealthy UnhealthyAfter after its last answer
// however the pings are timed.
type Monitor struct {
	nc  *nats.Conn
	opt MonitorOptions

	mu        sync.Mutex
	instances map[string]*Status // by instance id
	healthy   map[string]bool    // health last reported to OnChange
}

// NewMonitor watches agents on nc; call Run.
func NewMonitor(nc *nats.Conn, opt MonitorOptions) *Monitor {
	if opt.Interval <= 0 {
		opt.Interval = time.Second
	}
	if opt.UnhealthyAfter <= 0 {
		opt.UnhealthyAfter = 3 * time.Second
	}
	if opt.GoneAfter <= 0 {
		opt.GoneAfter = 15 * time.Second
	}
	if opt.StatsEvery == 0 {
		opt.StatsEvery = 5 * time.Second
	}
	return &Monitor{nc: nc, opt: opt, instances: map[string]*Status{}, healthy: map[string]bool{}}
}

// Run pings until ctx ends.
func (m *Monitor) Run(ctx context.Context) error {
	t := time.NewTicker(m.opt.Interval)
	defer t.Stop()
	var lastStats time.Time
	for {
		m.poll(ctx)
		if m.opt.StatsEvery > 0 && time.Since(lastStats) >= m.opt.StatsEvery {
			m.fetchStats(ctx)
			lastStats = time.Now()
		}
		m.sweep()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// poll pings all services and records who answered; new instances are asked for their INFO.
func (m *Monitor) poll(ctx context.Context) {
	window := min(m.opt.Interval/2, 500*time.Millisecond)
	var fresh []micro.Ping
	gather(ctx, m.nc, "$SRV.PING", window, func(data []byte) {
		var p micro.Ping
		if json.Unmarshal(data, &p) == nil && strings.HasPrefix(p.Name, natsx.AgentServicePrefix) {
			fresh = append(fresh, p)
		}
	})
	now := time.Now()
	var unknown []micro.Ping
	m.mu.Lock()
	for _, p := range fresh {
		if st, ok := m.instances[p.ID]; ok {
			st.LastSeen = now
		} else {
			unknown = append(unknown, p)
		}
	}
	m.mu.Unlock()
	for _, p := range unknown {
		subj, err := micro.ControlSubject(micro.InfoVerb, p.Name, p.ID)
		if err != nil {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, m.opt.Interval)
		msg, err := m.nc.RequestWithContext(rctx, subj, nil)
		cancel()
		if err != nil {
			continue // next ping tries again
		}
		var mi micro.Info
		if json.Unmarshal(msg.Data, &mi) != nil {
			continue
		}
		if in, ok := infoFrom(mi); ok {
			m.mu.Lock()
			m.instances[in.ID] = &Status{Info: in, LastSeen: now}
			m.mu.Unlock()
		}
	}
}

func (m *Monitor) fetchStats(ctx context.Context) {
	for _, st := range m.Snapshot() {
		if !st.Healthy {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, m.opt.Interval)
		s, err := Stats(rctx, m.nc, st.Name, st.ID)
		cancel()
		if err != nil {
			continue
		}
		var req, errs int64
		var avg time.Duration
		inflight := 0
		for _, ep := range s.Endpoints {
			if ep.Name != EndpointName {
				continue
			}
			req, errs, avg = int64(ep.NumRequests), int64(ep.NumErrors), ep.AverageProcessingTime
			var d instanceStats
			if json.Unmarshal(ep.Data, &d) == nil {
				// The SDK answers asynchronously, so its own counters are the accurate ones.
				req, errs, inflight = d.Served+d.Failed+d.Cancelled, d.Failed, d.InFlight
			}
		}
		m.mu.Lock()
		if cur, ok := m.instances[st.ID]; ok {
			cur.Requests, cur.Errors, cur.InFlight, cur.AvgTime = req, errs, inflight, avg
		}
		m.mu.Unlock()
	}
}

// sweep drops gone instances and reports changes of the set or of health.
func (m *Monitor) sweep() {
	now := time.Now()
	changed := false
	m.mu.Lock()
	for id, st := range m.instances {
		age := now.Sub(st.LastSeen)
		if age > m.opt.GoneAfter {
			delete(m.instances, id)
			delete(m.healthy, id)
			changed = true
			continue
		}
		h := age <= m.opt.UnhealthyAfter
		if prev, ok := m.healthy[id]; !ok || prev != h {
			m.healthy[id] = h
			changed = true
		}
	}
	m.mu.Unlock()
	if changed && m.opt.OnChange != nil {
		m.opt.OnChange()
	}
}

// Snapshot lists the known instances, health computed now, sorted by name then instance.
func (m *Monitor) Snapshot() []Status {
	now := time.Now()
	m.mu.Lock()
	out := make([]Status, 0, len(m.instances))
	for _, st := range m.instances {
		s := *st
		s.Healthy = now.Sub(s.LastSeen) <= m.opt.UnhealthyAfter
		out = append(out, s)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Status) int { return strings.Compare(a.Name+"/"+a.ID, b.Name+"/"+b.ID) })
	return out
}

// Agent returns the instances of one agent.
func (m *Monitor) Agent(name string) []Status {
	return slices.DeleteFunc(m.Snapshot(), func(s Status) bool { return s.Name != name })
}
