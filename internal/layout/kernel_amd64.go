//go:build amd64 && !purego

package layout

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

//go:noescape
func accumAVX512(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (ax, ay, az float32)

//go:noescape
func accumFMA(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (ax, ay, az float32)

//go:noescape
func accumAVX(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (ax, ay, az float32)

// haveAVX reports whether the CPU has AVX and the OS saves the YMM state
// (CPUID.1:ECX.OSXSAVE and .AVX, XCR0 bits 1 and 2); haveFMA whether it
// has FMA3 on top.
var haveAVX, haveFMA = func() (bool, bool) {
	if maxID, _, _, _ := cpuid(0, 0); maxID < 1 {
		return false, false
	}
	_, _, ecx, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx&osxsave == 0 || ecx&avx == 0 {
		return false, false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false, false
	}
	return true, ecx&fma != 0
}()

// haveAVX512 reports AVX-512F with the OS saving the opmask and ZMM state
// (XCR0 bits 5–7).
var haveAVX512 = func() bool {
	if !haveFMA {
		return false
	}
	if maxID, _, _, _ := cpuid(0, 0); maxID < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	const avx512f = 1 << 16
	xcr0, _ := xgetbv()
	return ebx&avx512f != 0 && xcr0&0xe6 == 0xe6
}()

// accumulate returns Σ m_j (p − p_j)/(|p − p_j|² + eps2) over the list,
// whose length is a multiple of listPad.
func accumulate(px, py, pz, eps2 float32, lx, ly, lz, lm []float32) (ax, ay, az float32) {
	if haveAVX512 && len(lx) > 0 {
		return accumAVX512(px, py, pz, eps2, &lx[0], &ly[0], &lz[0], &lm[0], len(lx))
	}
	if haveFMA && len(lx) > 0 {
		return accumFMA(px, py, pz, eps2, &lx[0], &ly[0], &lz[0], &lm[0], len(lx))
	}
	if haveAVX && len(lx) > 0 {
		return accumAVX(px, py, pz, eps2, &lx[0], &ly[0], &lz[0], &lm[0], len(lx))
	}
	return accumGo(px, py, pz, eps2, lx, ly, lz, lm)
}
