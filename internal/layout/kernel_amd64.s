//go:build amd64 && !purego

#include "textflag.h"

DATA two<>+0(SB)/4, $2.0
GLOBL two<>(SB), RODATA|NOPTR, $4

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func accumAVX(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (ax, ay, az float32)
//
// Σ m_j (p − p_j) / (|p − p_j|² + ε²) over n entries, n a multiple of 8,
// eight lanes at a time. 1/(d²+ε²) is VRCPPS refined by one Newton step
// (r ← r(2 − d²r)), which is within 2^-22 of the quotient and several times
// cheaper than VDIVPS.
TEXT ·accumAVX(SB), NOSPLIT, $0-68
	VBROADCASTSS px+0(FP), Y0
	VBROADCASTSS py+4(FP), Y1
	VBROADCASTSS pz+8(FP), Y2
	VBROADCASTSS eps2+12(FP), Y3
	VBROADCASTSS two<>(SB), Y15
	MOVQ lx+16(FP), SI
	MOVQ ly+24(FP), DI
	MOVQ lz+32(FP), R8
	MOVQ lm+40(FP), R9
	MOVQ n+48(FP), CX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VSUBPS (SI)(AX*4), Y0, Y7   // dx = px − x
	VSUBPS (DI)(AX*4), Y1, Y8   // dy
	VSUBPS (R8)(AX*4), Y2, Y9   // dz
	VMULPS Y7, Y7, Y10
	VMULPS Y8, Y8, Y11
	VADDPS Y11, Y10, Y10
	VMULPS Y9, Y9, Y11
	VADDPS Y11, Y10, Y10
	VADDPS Y3, Y10, Y10         // d² + ε²
	VRCPPS Y10, Y12             // r ≈ 1/(d²+ε²)
	VMULPS Y12, Y10, Y13
	VSUBPS Y13, Y15, Y13        // 2 − d²r
	VMULPS Y13, Y12, Y12        // r(2 − d²r)
	VMULPS (R9)(AX*4), Y12, Y12 // f = m r
	VMULPS Y12, Y7, Y7
	VADDPS Y7, Y4, Y4
	VMULPS Y12, Y8, Y8
	VADDPS Y8, Y5, Y5
	VMULPS Y12, Y9, Y9
	VADDPS Y9, Y6, Y6
	ADDQ $8, AX
	JMP  loop

done:
	VEXTRACTF128 $1, Y4, X7
	VADDPS X7, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
	MOVSS X4, ax+56(FP)
	VEXTRACTF128 $1, Y5, X7
	VADDPS X7, X5, X5
	VHADDPS X5, X5, X5
	VHADDPS X5, X5, X5
	MOVSS X5, ay+60(FP)
	VEXTRACTF128 $1, Y6, X7
	VADDPS X7, X6, X6
	VHADDPS X6, X6, X6
	VHADDPS X6, X6, X6
	MOVSS X6, az+64(FP)
	VZEROUPPER
	RET

// func accumFMA(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (ax, ay, az float32)
//
// accumAVX with fused multiply-adds and two independent sets of
// accumulators (16 entries a pass; n a multiple of 16), so that the adds
// into the sums do not serialise the loop.
TEXT ·accumFMA(SB), NOSPLIT, $0-68
	VBROADCASTSS px+0(FP), Y0
	VBROADCASTSS py+4(FP), Y1
	VBROADCASTSS pz+8(FP), Y2
	VBROADCASTSS eps2+12(FP), Y3
	VBROADCASTSS two<>(SB), Y15
	MOVQ lx+16(FP), SI
	MOVQ ly+24(FP), DI
	MOVQ lz+32(FP), R8
	MOVQ lm+40(FP), R9
	MOVQ n+48(FP), CX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	XORQ AX, AX

floop:
	CMPQ AX, CX
	JGE  fdone
	VSUBPS (SI)(AX*4), Y0, Y10
	VSUBPS (DI)(AX*4), Y1, Y11
	VSUBPS (R8)(AX*4), Y2, Y12
	VMULPS Y10, Y10, Y13
	VFMADD231PS Y11, Y11, Y13
	VFMADD231PS Y12, Y12, Y13
	VADDPS Y3, Y13, Y13          // d² + ε²
	VRCPPS Y13, Y14              // r
	VFNMADD213PS Y15, Y14, Y13   // 2 − d²r
	VMULPS Y13, Y14, Y14         // r(2 − d²r)
	VMULPS (R9)(AX*4), Y14, Y14  // f = m r
	VFMADD231PS Y14, Y10, Y4
	VFMADD231PS Y14, Y11, Y5
	VFMADD231PS Y14, Y12, Y6
	VSUBPS 32(SI)(AX*4), Y0, Y10
	VSUBPS 32(DI)(AX*4), Y1, Y11
	VSUBPS 32(R8)(AX*4), Y2, Y12
	VMULPS Y10, Y10, Y13
	VFMADD231PS Y11, Y11, Y13
	VFMADD231PS Y12, Y12, Y13
	VADDPS Y3, Y13, Y13
	VRCPPS Y13, Y14
	VFNMADD213PS Y15, Y14, Y13
	VMULPS Y13, Y14, Y14
	VMULPS 32(R9)(AX*4), Y14, Y14
	VFMADD231PS Y14, Y10, Y7
	VFMADD231PS Y14, Y11, Y8
	VFMADD231PS Y14, Y12, Y9
	ADDQ $16, AX
	JMP  floop

fdone:
	VADDPS Y7, Y4, Y4
	VADDPS Y8, Y5, Y5
	VADDPS Y9, Y6, Y6
	VEXTRACTF128 $1, Y4, X7
	VADDPS X7, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
	MOVSS X4, ax+56(FP)
	VEXTRACTF128 $1, Y5, X7
	VADDPS X7, X5, X5
	VHADDPS X5, X5, X5
	VHADDPS X5, X5, X5
	MOVSS X5, ay+60(FP)
	VEXTRACTF128 $1, Y6, X7
	VADDPS X7, X6, X6
	VHADDPS X6, X6, X6
	VHADDPS X6, X6, X6
	MOVSS X6, az+64(FP)
	VZEROUPPER
	RET
