// Package conceptual implements Gärdenfors' conceptual spaces: points in a
// space of quality dimensions grouped into domains, distances and
// similarities between them, categories and their detection. It is pure: no
// I/O beyond io.Reader/io.Writer entry points, no goroutines.
//
// Model and formulas:
//
//   - Quality dimensions are continuous, ordinal, categorical (0/1
//     difference) or circular (shorter arc over the range's period), grouped
//     into domains (Gärdenfors, "Conceptual Spaces: The Geometry of Thought",
//     MIT Press 2000, ch. 1).
//   - Distance: d_D(x,y) = sqrt(Σ_{k∈D} w_k (x_k − y_k)²) inside a domain,
//     d(x,y) = Σ_D W_D · d_D(x,y) across domains; similarity
//     sim(x,y) = exp(−c · d(x,y)) (Shepard, "Toward a universal law of
//     generalization", Science 237, 1987). Weights are normalised as in
//     Bechberger & Kühnberger, "A thorough formalization of conceptual
//     spaces", KI 2017 (arXiv:1706.06366): dimension weights of a domain sum
//     to 1, domain weights sum to the number of domains. Missing values (NaN)
//     drop their domain; the other domain weights are scaled to keep their
//     total.
//   - Categories: prototypes and their Voronoi cells (Gärdenfors 2000, §3.9);
//     crisp convex regions as intersections of half-spaces; fuzzy concepts
//     after Bechberger & Kühnberger 2017 (core = star-shaped union of
//     cuboids, membership μ·exp(−c·d(x, core))) with intersection, union,
//     projection, cut, size (hypervolume, Bechberger & Kühnberger, "Measuring
//     relations between concepts in conceptual spaces", SGAI 2017,
//     arXiv:1707.02292), subsethood and Jaccard similarity; betweenness of
//     points d(x,z)/(d(x,y)+d(y,z)). The tests check the published values of
//     the reference implementation (github.com/lbechberger/ConceptualSpaces,
//     fruit space demo and unit tests).
//   - Clustering: k-means++ (Arthur & Vassilvitskii, SODA 2007) with Lloyd
//     iterations under the conceptual metric, DBSCAN (Ester et al., KDD
//     1996), and the number of clusters chosen by mean silhouette
//     (Rousseeuw, J. Comput. Appl. Math. 20, 1987).
//
// Serialisable values for events and files: SpaceDefinition, Coordinates,
// Prototype, Concept; SPACE.json is read by ParseSpaceFile and evaluated by
// EvalSpaceJSON (the `alchemist concept eval` command).
package conceptual
