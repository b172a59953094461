package render

// Scene is what one frame draws, as flat columns the GL layer uploads without conversion.
// Positions changes every frame (the layout moves nodes); the other columns change with the topology,
// which Version counts so unchanged columns are not uploaded again.
type Scene struct {
	Positions []float32 // x,y,z per node
	Radii     []float32 // per node, world units
	Colors    []uint32  // per node, RGBA8 as 0xAABBGGRR (little-endian bytes R,G,B,A)
	Edges     []uint32  // node index pairs
	Version   uint64    // bumped whenever Radii, Colors or Edges change

	EdgeColor  [4]float32
	Background [3]float32
}

// NodeCount is the number of nodes.
func (s *Scene) NodeCount() int { return len(s.Positions) / 3 }

// EdgeCount is the number of edges.
func (s *Scene) EdgeCount() int { return len(s.Edges) / 2 }

// RGBA packs a colour into the Colors layout.
func RGBA(r, g, b, a uint8) uint32 {
	return uint32(r) | uint32(g)<<8 | uint32(b)<<16 | uint32(a)<<24
}

// Palette is a colour-blind-safe categorical palette (Okabe–Ito, then Tableau for more classes).
var Palette = []uint32{
	RGBA(0xe6, 0x9f, 0x00, 0xff), RGBA(0x56, 0xb4, 0xe9, 0xff), RGBA(0x00, 0x9e, 0x73, 0xff),
	RGBA(0xf0, 0xe4, 0x42, 0xff), RGBA(0x00, 0x72, 0xb2, 0xff), RGBA(0xd5, 0x5e, 0x00, 0xff),
	RGBA(0xcc, 0x79, 0xa7, 0xff), RGBA(0x8c, 0x56, 0x4b, 0xff), RGBA(0xbc, 0xbd, 0x22, 0xff),
	RGBA(0x17, 0xbe, 0xcf, 0xff),
}

// ParseHexColor reads #rrggbb into 0..1 floats.
func ParseHexColor(s string) ([3]float32, bool) {
	var c [3]float32
	if len(s) != 7 || s[0] != '#' {
		return c, false
	}
	for i := range 3 {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return c, false
		}
		c[i] = float32(hi<<4|lo) / 255
	}
	return c, true
}

func hexDigit(b byte) (byte, bool) {
	switch {
	case b >= '0' && b <= '9':
		return b - '0', true
	case b >= 'a' && b <= 'f':
		return b - 'a' + 10, true
	case b >= 'A' && b <= 'F':
		return b - 'A' + 10, true
	}
	return 0, false
}
