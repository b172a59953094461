// Package structure holds the classic graph analyses of the structure agent, on a compressed
// sparse row graph of flat slices:
//
//   - communities by the Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre, J. Stat. Mech.
//     2008) maximising Newman–Girvan modularity (Phys. Rev. E 69, 026113, 2004) with a resolution
//     parameter (Reichardt & Bornholdt, Phys. Rev. E 74, 016110, 2006);
//   - weighted PageRank by power iteration (Page, Brin, Motwani & Winograd, 1999);
//   - betweenness centrality by Brandes' algorithm (J. Math. Sociol. 25, 2001), exact or estimated
//     from sampled sources (Brandes & Pich, IJBC 17, 2007);
//   - bridges (cut edges) by Tarjan's low-link search (IPL 2, 1974);
//   - normalised mutual information between partitions (Strehl & Ghosh, JMLR 3, 2002).
//
// Tests hold these to gonum's implementations (community.Q, network.PageRank, network.Betweenness)
// and to brute force (bridges by deletion) across seeded random graphs, and Louvain to planted
// partitions. The package is pure: no I/O, no goroutines.
package structure
