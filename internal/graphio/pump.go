package graphio

import "io"

// pump is the Next loop the streaming readers share: hand out queued records first, else run the
// parser one step at a time until it queues one, fails or reaches the end.
type pump struct {
	queue []Item
	err   error
	eof   bool
}

func (p *pump) next(step func() error) (Item, error) {
	for {
		if len(p.queue) > 0 {
			it := p.queue[0]
			p.queue = p.queue[1:]
			if len(p.queue) == 0 {
				p.queue = p.queue[:0:0] // let the drained backing array go
			}
			return it, nil
		}
		if p.err != nil {
			return Item{}, p.err
		}
		if p.eof {
			return Item{}, io.EOF
		}
		p.err = step()
	}
}
