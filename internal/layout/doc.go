// Package layout is the force-directed 3D layout engine: a Barnes-Hut octree
// kernel on flat slices, the structural forces of ForceAtlas2, the
// conceptual and strategic force terms, and a Runner that steps it on its
// own goroutine and publishes positions by pointer swap.
//
// # Algorithms and sources
//
//   - Repulsion by the Barnes-Hut tree: J. Barnes and P. Hut, "A hierarchical
//     O(N log N) force-calculation algorithm", Nature 324 (1986). Monopole
//     (centre of mass) cells.
//   - Opening criterion r = s/θ + δ (s: longest side of the cell's tight
//     bounding box, δ: distance between its centre of mass and the box
//     centre), the default of J. Barnes' public treecode (1994 onward),
//     whose δ term answers the worst cases shown by J. K. Salmon and
//     M. S. Warren, "Skeletons from the treecode closet", J. Comput. Phys.
//     111 (1994): without it a cell whose mass sits off-centre can be
//     accepted by a body inside it.
//   - Group walks (one traversal and one interaction list shared by up to
//     GroupSize nearby bodies, the test made against the group's box):
//     J. Barnes, "A modified tree code: don't laugh; it runs", J. Comput.
//     Phys. 87 (1990), as used by GPU tree codes such as Bonsai (J. Bédorf,
//     E. Gaburov, S. Portegies Zwart, J. Comput. Phys. 231, 2012).
//   - Morton (Z-order) keys, LSD radix sort and a compressed octree built
//     from the sorted keys by splitting at the highest differing bit:
//     M. S. Warren and J. K. Salmon, "A parallel hashed oct-tree N-body
//     algorithm", Supercomputing 1993; T. Karras, "Maximizing parallelism in
//     the construction of BVHs, octrees, and k-d trees", HPG 2012. Cells are
//     stored in pre-order with skip indices, so the walk needs no stack.
//   - Forces, adaptive speed and swing/traction: M. Jacomy, T. Venturini,
//     S. Heymann, M. Bastian, "ForceAtlas2, a continuous graph layout
//     algorithm for handy network visualization designed for the Gephi
//     software", PLoS ONE 9(6) (2014), following the Gephi implementation
//     for the speed constants. Repulsion k_r(deg_i+1)(deg_j+1)/d, linear or
//     LinLog (A. Noack, "Energy models for graph clustering", JGAA 11(2),
//     2007) edge attraction, normal or strong gravity. A global temperature
//     (cooling) and optional momentum (damping) are added on top.
//   - Test graphs: A.-L. Barabási and R. Albert, "Emergence of scaling in
//     random networks", Science 286 (1999); planted partitions drawn with
//     V. Batagelj and U. Brandes, "Efficient generation of large random
//     networks", Phys. Rev. E 71 (2005).
//
// # Numbers: float32
//
// Positions, forces and tree moments are float32 in structure-of-arrays
// slices. A layout needs about four significant digits (pixels on a screen
// of a layout whose extent is 10^4 edge lengths), float32 gives seven; the
// tree walk and the pair kernel are bound by memory and by the division,
// both of which float32 halves; and the renderer uploads float32, so a
// published frame is a plain copy. The sums that do need range — centres of
// mass of big cells, energies, swing and traction — are accumulated in
// float64. The accuracy test bounds the result against a float64 O(N²)
// oracle.
//
// # Pair kernel
//
// Most of a step is the pair kernel: one body against its group's
// interaction list, kept as four float32 columns padded with massless
// entries. On amd64 it is assembly picked at start-up by CPUID — AVX-512F
// (16 lanes), else AVX2-era FMA3, else AVX — computing 1/(d²+ε²) as a
// hardware reciprocal estimate refined by one Newton–Raphson step, which is
// as accurate as float32 division and several times cheaper. Elsewhere, or
// with the purego build tag, a scalar Go kernel does the same sums (and the
// default group size shrinks to suit it). Tests hold every kernel to the
// scalar one and the whole tree to a float64 O(N²) oracle.
//
// # Concurrency
//
// A Layout is single-threaded from the caller's view and starts no
// goroutine: the parallel phases run on the Pool it is given (the caller's
// goroutine is worker 0). Each phase writes disjoint ranges of the output
// slices, and reductions go to per-worker scratch slots that are summed
// serially afterwards, so no phase needs a lock or an atomic add. Once the
// buffers have grown to the graph, Step allocates nothing.
//
// The Runner owns one Layout and one Pool on one goroutine. Changes are
// queued under a mutex and applied between steps; frames rotate through
// three buffers handed out with a reference count, so readers never block
// the stepping goroutine and never see a half-written frame.
package layout
