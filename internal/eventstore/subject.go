package eventstore

import "strings"

// EventSubject mirrors natsx.EventSubject for stores that are not NATS (the grammar itself lives in
// natsx/subjects.go; TestSubjectGrammar in storetest keeps the two equal).
func EventSubject(graphID, event string) string { return "graph.events.v1." + graphID + "." + event }

// MatchSubject reports whether subject matches a NATS pattern: "*" matches one token, ">" the rest.
func MatchSubject(pattern, subject string) bool {
	for {
		pt, prest, pmore := strings.Cut(pattern, ".")
		st, srest, smore := strings.Cut(subject, ".")
		switch {
		case pt == ">":
			return st != ""
		case pt != "*" && pt != st:
			return false
		case !pmore || !smore:
			return pmore == smore
		}
		pattern, subject = prest, srest
	}
}

// Subject filters for Subscribe, mirroring natsx.GraphEvents, natsx.AllEvents and natsx.EventsOfType.
const AllFilter = "graph.events.v1.>"

// GraphFilter matches one graph's events.
func GraphFilter(graphID string) string { return "graph.events.v1." + graphID + ".>" }

// TypeFilter matches one event type across graphs.
func TypeFilter(event string) string { return "graph.events.v1.*." + event }
