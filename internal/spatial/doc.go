// Package spatial holds the spatial indices of the workbench. It is pure
// (no goroutines, no I/O) and imports only rtreego and gonum.
//
//   - PositionIndex: an R-tree (Guttman, "R-trees: a dynamic index structure
//     for spatial searching", SIGMOD 1984; github.com/dhconnelly/rtreego with
//     its OMT bulk load, Lee & Lee 2003) over node spheres in 3D with fat
//     boxes for cheap incremental updates (the "dynamic AABB tree" trick of
//     Box2D, Catto), for picking (exact segment-walk ray cast), box selection
//     and frustum culling (planes after Gribb & Hartmann 2001).
//   - KDTree: a k-d tree (Bentley, CACM 1975; Friedman, Bentley & Finkel,
//     ACM TOMS 1977) built by gonum's spatial/kdtree and searched in a
//     flattened, allocation-free form, for exact kNN and radius queries, under the
//     Euclidean metric or any Metric with a valid per-axis lower bound (the
//     conceptual metric of package conceptual implements one).
//   - HNSW: hierarchical navigable small-world graphs (Malkov & Yashunin,
//     IEEE TPAMI 2020, arXiv:1603.09320) for approximate kNN in high
//     dimensions, with recall measured against the brute-force oracle
//     BruteKNN.
package spatial
