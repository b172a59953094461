//go:build !amd64 || purego

package layout

const haveAVX, haveFMA, haveAVX512 = false, false, false

// accumulate returns Σ m_j (p − p_j)/(|p − p_j|² + eps2) over the list.
func accumulate(px, py, pz, eps2 float32, lx, ly, lz, lm []float32) (ax, ay, az float32) {
	return accumGo(px, py, pz, eps2, lx, ly, lz, lm)
}
