package layout

// Morton (Z-order) keys: 21 bits per axis interleaved into 63 bits, so that
// sorting bodies by key lays every octree cell out as one contiguous range,
// and bodies that are close in space are close in memory during the walk.

const (
	mortonBits  = 21
	mortonCells = 1 << mortonBits
	radixBits   = 11
	radixSize   = 1 << radixBits
	radixPasses = (3*mortonBits + radixBits - 1) / radixBits // 6
)

// spread3 inserts two zero bits between each of the low 21 bits of v.
func spread3(v uint64) uint64 {
	v &= 0x1fffff
	v = (v | v<<32) & 0x1f00000000ffff
	v = (v | v<<16) & 0x1f0000ff0000ff
	v = (v | v<<8) & 0x100f00f00f00f00f
	v = (v | v<<4) & 0x10c30c30c30c30c3
	v = (v | v<<2) & 0x1249249249249249
	return v
}

// mortonKey interleaves three 21-bit cell coordinates, x in the lowest bit.
func mortonKey(x, y, z uint32) uint64 {
	return spread3(uint64(x)) | spread3(uint64(y))<<1 | spread3(uint64(z))<<2
}

// quantize maps v in [lo, lo+1/scale) onto [0, 2^21).
func quantize(v, lo, scale float32) uint32 {
	q := (v - lo) * scale
	switch {
	case q <= 0 || q != q: // NaN lands in cell 0 rather than anywhere
		return 0
	case q >= mortonCells-1:
		return mortonCells - 1
	}
	return uint32(q)
}

// radixSort sorts keys ascending, carrying idx along, using tmpK/tmpI as
// scratch of the same length and hist as a radixPasses*radixSize scratch
// histogram. It is an LSD radix sort (stable), 11 bits per pass, with all
// histograms counted in one read and constant digits skipped: the top levels
// of a layout rarely vary in every digit. The sorted result is returned (it
// lives in either the input or the scratch slices).
func radixSort(keys, tmpK []uint64, idx, tmpI []int32, hist []int32) ([]uint64, []int32) {
	n := len(keys)
	clear(hist)
	for _, k := range keys {
		for p := range radixPasses {
			hist[p*radixSize+int((k>>(p*radixBits))&(radixSize-1))]++
		}
	}
	for p := range radixPasses {
		h := hist[p*radixSize : (p+1)*radixSize]
		d0 := int((keys[0] >> (p * radixBits)) & (radixSize - 1))
		if int(h[d0]) == n {
			continue // every key has the same digit here
		}
		var sum int32
		for i, c := range h {
			h[i] = sum
			sum += c
		}
		shift := uint(p * radixBits)
		tk, ti := tmpK[:n], tmpI[:n]
		for i, k := range keys {
			d := (k >> shift) & (radixSize - 1)
			j := h[d]
			h[d] = j + 1
			tk[j] = k
			ti[j] = idx[i]
		}
		keys, tmpK = tk, keys
		idx, tmpI = ti, idx
	}
	return keys, idx
}
