// Package graphio reads and writes graph files as streams of records — GraphML, GEXF, CSV edge
// lists (with an optional node file) and node-link JSON — so that importing or exporting a
// 100K-node / 300K-edge graph never holds the file, or a second copy of the graph, in memory.
//
// A [Reader] yields [Item]s (graph metadata, then nodes, then edges, as the file orders them) of
// the domain's own types, [graph.Node] and [graph.Edge]; [Open] picks the reader, [DetectFormat]
// guesses the format from the name and the first bytes. A [Writer] takes every node, then every
// edge; formats that declare attributes up front (GraphML, GEXF) or need a header (CSV) get the
// declarations from a [Meta] that a [Schema] infers in a first pass, which [Export] runs for you.
//
// Formats, and the specifications followed:
//   - GraphML: the GraphML Primer and the GraphML 1.0 schema (Brandes, Eiglsperger, Lerner,
//     Pich, "Graph Markup Language (GraphML)", in Handbook of Graph Drawing and Visualization,
//     2013; http://graphml.graphdrawing.org/). <key> declarations with attr.name, attr.type, for
//     and <default>; <data> typed accordingly. yEd's yfiles extensions are skipped.
//   - GEXF 1.2draft and 1.3 (https://gexf.net/schema.html, the GEXF primer): <attributes>,
//     <attvalues>, labels, edge weight/type/kind, and the viz module.
//   - CSV: RFC 4180 via encoding/csv; Gephi's spreadsheet import headers; SNAP's tab-separated
//     edge lists with '#' comments; Neo4j's "name:type" header annotations.
//   - Node-link JSON: networkx.readwrite.json_graph.node_link_data / node_link_graph (keys
//     "directed", "multigraph", "graph", "nodes", "links" or "edges") and d3-force's nodes/links,
//     whose link endpoints may be indices into nodes (d3-force forceLink, "links" and "id").
//
// # Mapping
//
// Attribute types survive: a GraphML/GEXF double, float, int or long becomes a JSON number (its
// text kept when it already is valid JSON), a boolean true/false, a string a JSON string. NaN and
// infinities, which JSON cannot hold, become the strings "NaN", "Infinity", "-Infinity".
//
// In every format the same attribute names fill record fields instead of properties: for nodes
// "label", "kind", "cid", "coords" (a JSON array of numbers) and "fx", "fy", "fz" (d3's fixed
// position, which is the node's pin); for edges "weight" and "kind". A file's "id", "source" and
// "target" attributes must repeat the record's own values (some tools write them) and are
// otherwise refused. Properties with
// those names cannot be exported ([Schema.Meta] says which).
//
// Edges are directed in the domain. An edge a file declares undirected (GraphML edgedefault or
// directed="false", GEXF type undirected or mutual, node-link "directed": false or absent as in
// networkx, CSV Type column) keeps the property "undirected": true, and writers turn that property
// back into the format's own notation. An edge without an id gets "e<n>", n its 0-based position
// among the file's edges, so re-reading a file gives the same ids. A missing weight is 1.
//
// Nested graphs (GraphML group nodes, GEXF hierarchies) are flattened: their nodes join the graph
// with a "parent" property naming the enclosing node. GraphML hyperedges and a second top-level
// graph are refused; GEXF dynamics (spells, start/end) are not read.
//
// Round trips (read → write → read yields the same records) are exact for node-link JSON, and for
// the other formats whenever each property keeps one scalar type across the records. Otherwise:
// null, arrays and objects are written as their JSON text in string attributes; CSV cannot tell an
// empty string from no value.
//
// # Errors
//
// Every malformed input yields a *[PosError] naming the file and the line and column — counted by
// the XML tokenizer, taken from csv.ParseError and the CSV field positions, and for JSON mapped
// from byte offsets by a window over the bytes the decoder has not yet passed. The position does
// not depend on how the input arrives (the fuzz targets also read every input a byte at a time). All wrap
// [ErrFormat]; ids used twice in one file also wrap [ErrDuplicate]. Edges naming absent nodes are
// the domain's to refuse: [Item.Line] lets the caller point into the file then.
//
// # Speed
//
// XML is read by the package's own tokenizer (xmlscan.go) rather than encoding/xml, whose
// per-token allocations (the Token interface, names, attribute slices) held a 300K-edge GraphML
// file to about 120K edges per CPU-second, near issue 3's whole import budget of 100K edges/s; the
// tokenizer is 2.5–3× faster and a differential fuzz test holds it to encoding/xml's tokens. JSON
// uses encoding/json's Decoder for the structure and splits each node or link object without
// reflection. Writers allocate nothing per record. Figures: docs/bench-graphio.md.
//
// The package is pure: it does no I/O of its own beyond the readers and writers it is given, and
// starts no goroutines.
package graphio
