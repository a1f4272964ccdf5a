/* SPDX-License-Identifier: MIT */
/*
 * flow.c -- exactly optimal weighted b-matching by min-cost flow: the one
 * job of this file is lmi_flow_solve() (see flow.h for the contract).
 *
 * The model
 * ---------
 * Network: each need i is a source of d_i units (its demand, less its
 * forced edges); sink t.  Arcs:
 *   i -> j   capacity 1, cost (W - w_ij) * BIG       (a candidate pair)
 *   j -> t   c_j unit arcs, the k-th costing p_j + k (expert's load;
 *            p_j = its forced edges, so the m-th engagement costs m)
 *   i -> t   "leave unfilled", uncapacitated, cost W * BIG
 * where W is the largest weight and BIG = 1 + S, S being an upper bound
 * of the secondary cost sum_j (1 + 2 + ... + L_j) over all plans.  Every
 * unit of demand is routed, either to an expert or to the dummy arc, so
 * a flow is a plan, and
 *     cost(plan) = U * W * BIG - BIG * weight(plan) + spread(plan)
 * with U = total demand fixed.  Because 0 <= spread <= S < BIG, a plan of
 * larger weight always has smaller cost: min cost = max weight first,
 * then the most even load (convex per-expert cost), exactly.  The shift
 * by W * BIG makes every arc cost >= 0, so simple potentials are valid
 * from the start and no Bellman-Ford is needed: pi = 0, except
 * pi(j) = -(p_j + 1) for experts, which makes each expert's first sink arc
 * tight (arcs into j only gain p_j + 1, and stay >= 0).  A non-forced edge of weight 0
 * costs W * BIG + k > W * BIG and is never worth taking, so it is dropped.
 *
 * The algorithm
 * -------------
 * Successive shortest paths with potentials pi (reduced cost
 * c_pi(u,v) = c(u,v) + pi(u) - pi(v) >= 0 on every residual arc), one
 * unit at a time from the need side as in sparse Jonker-Volgenant: for
 * need i, for each unit of its demand, Dijkstra (binary heap, ties by
 * node index, the sink first) from i over the residual graph -- i -> j on
 * unused pairs, j -> i' back along pairs in use, j -> t on the next unit
 * of capacity, i -> t the dummy -- stopping as soon as t is settled at
 * reduced distance D.  Then pi(v) += dist(v) - D for the settled nodes
 * (everything else keeps its potential, i.e. is treated as at distance
 * D), and the path is flipped.  An expert's sink arc is offered as soon as
 * the expert is labeled, not settled (Jonker-Volgenant's check for a free
 * column): on plateaus of tied weights the sink, which wins ties, is then
 * reached at once; see relax_expert() for why that stays exact.
 *
 * Why it stays exact (informally):
 *  - Reduced costs stay >= 0.  With delta(v) = min(dist(v), D) the update
 *    is pi + delta - D, and a constant shift changes no reduced cost.  For
 *    a residual arc (u,v) with u settled, Dijkstra relaxed it, so
 *    dist(v) <= dist(u) + c_pi(u,v), hence delta(v) <= delta(u) + c_pi;
 *    for u unsettled delta(u) = D >= delta(v).  Either way the new
 *    reduced cost c_pi + delta(u) - delta(v) >= 0.  Arcs on the path are
 *    tight (reduced cost 0), so their reversals, the only new arcs, are
 *    >= 0 too.  (Arcs out of t, the reversed j -> t and i -> t arcs, are
 *    covered as well: t is settled at D.)
 *  - So at every step the residual graph (supplies held fixed) has no
 *    negative cycle: any cycle's cost equals its sum of reduced costs,
 *    which is >= 0.  A flow without negative residual cycles is min-cost
 *    among flows with the same supplies, and at the end the supplies are
 *    exactly the demands: the flow is optimal, hence so is the plan.
 *  - Early termination is safe because only settled nodes have exact
 *    distances and the argument above uses nothing else.
 *  - When a need's shortest path is its own dummy arc, the rest of its
 *    units go unfilled without searching: successive shortest path
 *    lengths from one source never decrease (the new reduced distance is
 *    >= 0, and pi(i) fell by exactly D while pi(t) stayed), and the dummy
 *    stays available at the same cost.
 *  - Expert loads and dummy flows only grow (t is never left on a path),
 *    so each expert's next-unit arc costs p_j + L_j + 1: convex costs are
 *    used cheapest first as they must be.
 *
 * Integer range: pi(t) never changes (t is settled at D) and no potential
 * grows, while each search lowers a potential by at most D <= W * BIG (the
 * source's dummy arc).  So |pi| <= U * W * BIG + max unit cost over U
 * searches, and every tentative distance is below (U + 2) * Cmax,
 * Cmax = W * BIG + max unit cost.  lmi_flow_solve() rejects input with (2U + 4) * Cmax > INT64_MAX
 * (LM_EINVAL) instead of risking overflow.
 *
 * Cost: at most one Dijkstra per unit of demand, each stopping early; on
 * realistic data paths are short and most searches settle a small part of
 * the graph.  Measured on 3,000 needs x 4,000 experts with 30% of the
 * pairs (3.6 M edges): about 0.1-0.2 s with room to spare, under 1 s with
 * heavily tied weights, 2-3 s when demand and capacity are nearly equal
 * (long augmenting paths) -- O(U * E log V) in the worst case.
 */
#include "engine/flow.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX        /* "no node / no arc" */
#define PROGRESS_EVERY 256u    /* units of demand between progress calls */

/* A candidate pair still open to the solver (not forced, weight > 0). */
typedef struct arc {
	int64_t cost;     /* (W - w) * BIG */
	uint32_t expert;  /* expert index */
	uint32_t orig;    /* index into the caller's edge array */
} arc;

/* A pair in use, as seen from its expert (the backward residual arc). */
typedef struct held {
	uint32_t arc;     /* index into arcs */
	uint32_t need;    /* need index */
} held;

enum { UNSEEN = 0, LABELED = 1, SETTLED = 2 };

/*
 * Solver state.  Node ids: 0 = sink t, 1 + i = need i, 1 + N + j = expert
 * j, so that on equal distances the sink wins (early stop) and otherwise
 * the lower index does (determinism).  All arrays are owned here.
 */
typedef struct solver {
	uint32_t n_needs, n_experts, n_nodes;
	uint32_t *need_start;  /* N + 1: arcs of need i are [start[i], start[i+1]) */
	arc *arcs;
	uint8_t *used;         /* per arc: 1 when the pair is in the plan */
	uint32_t *held_start;  /* M + 1: slab of each expert's pairs in use */
	held *held;
	uint32_t *held_len;    /* per expert: pairs in use = its flow load */
	uint32_t *room;        /* per expert: capacity left after pins, at most
	                          its number of arcs */
	int64_t *pinned;       /* per expert: load before the free pairs, p_j
	                          (pins, then plus the base load) */
	int64_t dummy;         /* W * BIG, cost of leaving a unit unfilled */
	int64_t *pi;           /* potentials, per node */
	int64_t *dist;         /* tentative reduced distances, per node */
	uint32_t *pred;        /* expert, need: arc index; sink: node id */
	uint8_t *state;        /* UNSEEN / LABELED / SETTLED, per node */
	uint32_t *heap, *hpos; /* binary heap of node ids; hpos NONE = not in */
	uint32_t heap_len;
	uint32_t *touched;     /* nodes labeled in this search, to reset */
	uint32_t n_touched;
} solver;

/* ---- checked arithmetic: every scaled quantity passes through these -- */

static int mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

static int add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (b > UINT64_MAX - a)
		return 0;
	*out = a + b;
	return 1;
}

/* calloc of n elements of `size`, overflow-checked; NULL for n == 0 is
 * avoided so that a NULL result always means out of memory. */
static void *xcalloc(size_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return calloc(n, size);
}

/* ---- the heap, keyed by (dist, node id) ------------------------------- */

static int heap_less(const solver *s, uint32_t a, uint32_t b)
{
	return s->dist[a] < s->dist[b] || (s->dist[a] == s->dist[b] && a < b);
}

static void heap_up(solver *s, uint32_t k)
{
	uint32_t v = s->heap[k];
	while (k > 0) {
		uint32_t parent = (k - 1) / 2;
		if (!heap_less(s, v, s->heap[parent]))
			break;
		s->heap[k] = s->heap[parent];
		s->hpos[s->heap[k]] = k;
		k = parent;
	}
	s->heap[k] = v;
	s->hpos[v] = k;
}

static void heap_down(solver *s, uint32_t k)
{
	uint32_t v = s->heap[k];
	for (;;) {
		uint32_t c = 2 * k + 1;
		if (c >= s->heap_len)
			break;
		if (c + 1 < s->heap_len && heap_less(s, s->heap[c + 1], s->heap[c]))
			c++;
		if (!heap_less(s, s->heap[c], v))
			break;
		s->heap[k] = s->heap[c];
		s->hpos[s->heap[k]] = k;
		k = c;
	}
	s->heap[k] = v;
	s->hpos[v] = k;
}

static uint32_t heap_pop(solver *s)
{
	uint32_t top = s->heap[0];
	s->hpos[top] = NONE;
	if (--s->heap_len > 0) {
		s->heap[0] = s->heap[s->heap_len];
		heap_down(s, 0);
	}
	return top;
}

/* Offer node v the distance nd via `via` (arc index or node id).  A node
 * no closer than the sink's tentative distance could only be settled
 * after the sink, i.e. never: it is not even labeled, which keeps the heap
 * small.  (The sink is labeled first, through the source's dummy arc.) */
static int relax(solver *s, uint32_t v, int64_t nd, uint32_t via)
{
	if (s->state[v] == SETTLED)
		return 0;
	if (v != 0 && s->state[0] != UNSEEN && nd >= s->dist[0])
		return 0;
	if (s->state[v] == UNSEEN) {
		s->state[v] = LABELED;
		s->touched[s->n_touched++] = v;
		s->dist[v] = nd;
		s->pred[v] = via;
		s->heap[s->heap_len] = v;
		heap_up(s, s->heap_len++);
	} else if (nd < s->dist[v]) {
		s->dist[v] = nd;
		s->pred[v] = via;
		heap_up(s, s->hpos[v]);
	} else {
		return 0;
	}
	return 1;
}

/*
 * Offer expert node v the distance nd, and when that improves its label,
 * offer the sink the path through v's next unit of capacity right away
 * rather than when v is settled.  This is the free-column check of
 * Jonker-Volgenant: on a plateau of equal distances (tied weights) the
 * sink, which wins ties, is popped as soon as an expert with room and a
 * tight sink arc is labeled, instead of after the whole plateau.  It is
 * exact: if the sink is popped at D through an unsettled v, then
 * dist(v) = D (else v would have been popped first) and v's sink arc is
 * tight, so v's unchanged potential is the one the update would give it.
 */
static void relax_expert(solver *s, uint32_t v, int64_t nd, uint32_t via)
{
	uint32_t j = v - 1 - s->n_needs;
	uint32_t load = s->held_len[j];

	if (relax(s, v, nd, via) && load < s->room[j])
		relax(s, 0, nd + s->pi[v] + s->pinned[j] + load + 1 - s->pi[0], v);
}

/* ---- one augmentation ------------------------------------------------- */

/* The need whose arc list holds arc a (binary search on need_start: the
 * last need starting at or before a; needs without arcs are skipped
 * because their start equals the next one's). */
static uint32_t arc_owner(const solver *s, uint32_t a)
{
	uint32_t lo = 0, hi = s->n_needs;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->need_start[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Dijkstra from need `src` to the sink, stopping when the sink is
 * settled; then update the potentials and flip the path.  Returns 1 when
 * the path was src's own dummy arc (src's remaining units stay unfilled),
 * else 0.  Cannot fail: the sink is always reachable through the dummy.
 */
static int augment(solver *s, uint32_t src)
{
	const uint32_t N = s->n_needs;
	uint32_t u, v;
	int64_t D;

	s->n_touched = 0;
	s->heap_len = 0;
	relax(s, 1 + src, 0, NONE);
	for (;;) {
		u = heap_pop(s);
		s->state[u] = SETTLED;
		if (u == 0)
			break;
		int64_t du = s->dist[u] + s->pi[u];
		if (u <= N) {
			uint32_t i = u - 1;
			relax(s, 0, du + s->dummy - s->pi[0], u);
			for (uint32_t a = s->need_start[i]; a < s->need_start[i + 1]; a++) {
				if (s->used[a])
					continue;
				v = 1 + N + s->arcs[a].expert;
				relax_expert(s, v, du + s->arcs[a].cost - s->pi[v], a);
			}
		} else {
			/* the sink arc was offered when u got its label */
			uint32_t j = u - 1 - N;
			uint32_t load = s->held_len[j];
			const held *h = s->held + s->held_start[j];
			for (uint32_t k = 0; k < load; k++) {
				v = 1 + h[k].need;
				relax(s, v, du - s->arcs[h[k].arc].cost - s->pi[v],
				      h[k].arc);
			}
		}
	}

	/* Potentials: settled nodes move by dist - D, the rest stay (see the
	 * proof at the top); reset the search marks on the way. */
	D = s->dist[0];
	for (uint32_t k = 0; k < s->n_touched; k++) {
		v = s->touched[k];
		if (s->state[v] == SETTLED)
			s->pi[v] += s->dist[v] - D;
		else
			s->hpos[v] = NONE; /* still in the heap */
		s->state[v] = UNSEEN;
	}

	/* Flip the path, walking back from the sink. */
	v = s->pred[0];
	if (v == 1 + src)
		return 1;
	while (v != 1 + src) {
		if (v > N) {
			/* expert reached from a need by a forward arc: take it */
			uint32_t j = v - 1 - N;
			uint32_t a = s->pred[v];
			uint32_t i = arc_owner(s, a);
			s->used[a] = 1;
			s->held[s->held_start[j] + s->held_len[j]++] = (held){a, i};
			v = 1 + i;
		} else {
			/* need reached back from an expert: release that pair */
			uint32_t a = s->pred[v];
			uint32_t j = s->arcs[a].expert;
			held *h = s->held + s->held_start[j];
			uint32_t k = 0;
			while (h[k].arc != a)
				k++;
			h[k] = h[--s->held_len[j]];
			s->used[a] = 0;
			v = 1 + N + j;
		}
	}
	return 0;
}

/* ---- the network, from the caller's edges ------------------------------- */

static void solver_free(solver *s)
{
	free(s->need_start);
	free(s->arcs);
	free(s->used);
	free(s->held_start);
	free(s->held);
	free(s->held_len);
	free(s->room);
	free(s->pinned);
	free(s->pi);
	free(s->dist);
	free(s->pred);
	free(s->state);
	free(s->heap);
	free(s->hpos);
	free(s->touched);
}

/* What pass 2 decided for each caller edge. */
enum { DUPLICATE = 0, FREE_PAIR = 1, FORCED_PAIR = 2 };

/* What the passes over the caller's edges learn before the searches; all
 * arrays are owned here and freed by setup_free(). */
typedef struct setup {
	const lmi_flow_edge *edges;
	size_t n_edges;
	uint32_t *bucket_start; /* N + 1: need i's edges are bucket[start[i]..) */
	uint32_t *bucket;       /* caller edge indices grouped by need */
	uint8_t *kind;          /* per caller edge: DUPLICATE / FREE_PAIR / ... */
	uint32_t *stamp, *rep;  /* per expert: pass 2's marks */
	uint32_t *free_deg;     /* per need: free pairs of weight > 0 */
	uint32_t *dem;          /* per need: units to route, clipped */
	int64_t *need_pins;     /* per need: forced pairs */
	uint64_t pinned_weight; /* sum of the forced pairs' weights */
	uint64_t units;         /* U, the units to route */
	uint64_t spread;        /* S, bound of the secondary cost */
	uint64_t max_unit;      /* the costliest unit arc to the sink */
	int64_t max_w;          /* W, the largest free weight */
	uint32_t n_arcs;        /* free pairs of weight > 0 */
} setup;

static void setup_free(setup *u)
{
	free(u->bucket_start);
	free(u->bucket);
	free(u->kind);
	free(u->stamp);
	free(u->rep);
	free(u->free_deg);
	free(u->dem);
	free(u->need_pins);
}

/* LM_EINVAL for input flow.h rejects up front, else LM_OK. */
static int check_input(size_t n_needs, const int *demand,
                       size_t n_experts, const int *capacity,
                       const int *base_load,
                       const lmi_flow_edge *edges, size_t n_edges,
                       const uint8_t *chosen, const int64_t *total_weight)
{
	if ((n_needs > 0 && demand == NULL) ||
	    (n_experts > 0 && capacity == NULL) ||
	    (n_edges > 0 && (edges == NULL || chosen == NULL)) ||
	    total_weight == NULL)
		return LM_EINVAL;
	/* Node ids are uint32 with NONE reserved: sink + needs + experts. */
	if (n_needs >= UINT32_MAX / 2 || n_experts >= UINT32_MAX / 2 ||
	    n_edges >= UINT32_MAX)
		return LM_EINVAL;
	for (size_t i = 0; i < n_needs; i++)
		if (demand[i] < 0)
			return LM_EINVAL;
	for (size_t j = 0; j < n_experts; j++)
		if (capacity[j] < 0 || (base_load != NULL && base_load[j] < 0))
			return LM_EINVAL;
	for (size_t e = 0; e < n_edges; e++)
		if (edges[e].need >= n_needs || edges[e].expert >= n_experts ||
		    edges[e].weight < 0)
			return LM_EINVAL;
	return LM_OK;
}

/* Pass 1: the caller's edges grouped by need, input order kept, so that
 * duplicates are found per need with a stamp per expert.  Allocates the
 * per-node arrays of both s and u. */
static int group_edges(solver *s, setup *u)
{
	const uint32_t N = s->n_needs, M = s->n_experts;
	const lmi_flow_edge *edges = u->edges;
	u->bucket_start = xcalloc((size_t)N + 1, sizeof *u->bucket_start);
	u->bucket = xcalloc(u->n_edges, sizeof *u->bucket);
	u->kind = xcalloc(u->n_edges, sizeof *u->kind);
	u->stamp = xcalloc(M, sizeof *u->stamp);
	u->rep = xcalloc(M, sizeof *u->rep);
	u->free_deg = xcalloc(N, sizeof *u->free_deg);
	u->dem = xcalloc(N, sizeof *u->dem);
	u->need_pins = xcalloc(N, sizeof *u->need_pins);
	s->need_start = xcalloc((size_t)N + 1, sizeof *s->need_start);
	s->held_start = xcalloc((size_t)M + 1, sizeof *s->held_start);
	s->held_len = xcalloc(M, sizeof *s->held_len);
	s->room = xcalloc(M, sizeof *s->room);
	s->pinned = xcalloc(M, sizeof *s->pinned);
	if (!u->bucket_start || !u->bucket || !u->kind || !u->stamp ||
	    !u->rep || !u->free_deg || !u->dem || !u->need_pins ||
	    !s->need_start || !s->held_start || !s->held_len || !s->room ||
	    !s->pinned)
		return LM_ENOMEM;
	for (size_t e = 0; e < u->n_edges; e++)
		u->bucket_start[edges[e].need + 1]++;
	for (uint32_t i = 0; i < N; i++)
		u->bucket_start[i + 1] += u->bucket_start[i];
	/* free_deg is only the fill cursor here; it gets its meaning below */
	for (size_t e = 0; e < u->n_edges; e++)
		u->bucket[u->bucket_start[edges[e].need] +
		          u->free_deg[edges[e].need]++] = (uint32_t)e;
	memset(u->free_deg, 0, (size_t)N * sizeof *u->free_deg);
	return LM_OK;
}

/* Pass 2: the first copy of a pair stands for it; a forced later copy
 * forces it.  stamp[j] == i + 1 means expert j was seen for need i. */
static void classify_pairs(const solver *s, setup *u)
{
	const lmi_flow_edge *edges = u->edges;
	for (uint32_t i = 0; i < s->n_needs; i++) {
		for (uint32_t k = u->bucket_start[i]; k < u->bucket_start[i + 1]; k++) {
			uint32_t e = u->bucket[k], j = edges[e].expert;
			if (u->stamp[j] != i + 1) {
				u->stamp[j] = i + 1;
				u->rep[j] = e;
				u->kind[e] = edges[e].forced ? FORCED_PAIR : FREE_PAIR;
			} else if (edges[e].forced) {
				u->kind[u->rep[j]] = FORCED_PAIR;
			}
		}
	}
}

/* Pins first: they take demand and capacity before anything else.  Also
 * counts the free pairs per need and per expert, and finds W. */
static int take_pins(solver *s, setup *u, const int *demand,
                     const int *capacity)
{
	const lmi_flow_edge *edges = u->edges;
	for (size_t e = 0; e < u->n_edges; e++) {
		if (u->kind[e] == FORCED_PAIR) {
			u->need_pins[edges[e].need]++;
			s->pinned[edges[e].expert]++;
			if (!add_u64(u->pinned_weight, (uint64_t)edges[e].weight,
			             &u->pinned_weight) ||
			    u->pinned_weight > INT64_MAX)
				return LM_EINVAL;
		} else if (u->kind[e] == FREE_PAIR && edges[e].weight > 0) {
			u->free_deg[edges[e].need]++;
			s->held_start[edges[e].expert + 1]++; /* expert degree, for now */
			u->n_arcs++;
			if (edges[e].weight > u->max_w)
				u->max_w = edges[e].weight;
		}
	}
	for (uint32_t i = 0; i < s->n_needs; i++)
		if (u->need_pins[i] > demand[i])
			return LM_EINFEASIBLE;
	for (uint32_t j = 0; j < s->n_experts; j++)
		if (s->pinned[j] > capacity[j])
			return LM_EINFEASIBLE;
	return LM_OK;
}

/* Demand beyond a need's free pairs can never be filled, capacity beyond
 * an expert's can never be used: clip both, which keeps the number of
 * searches and the scale factor small.  Finds U, S and the costliest unit
 * arc, and lays out each expert's slab of pairs in use. */
static int clip(solver *s, setup *u, const int *demand, const int *capacity,
                const int *base_load)
{
	const uint32_t M = s->n_experts;
	for (uint32_t i = 0; i < s->n_needs; i++) {
		uint64_t left = (uint64_t)(demand[i] - u->need_pins[i]);
		u->dem[i] = (uint32_t)(left < u->free_deg[i] ? left : u->free_deg[i]);
		u->units += u->dem[i];
	}
	for (uint32_t j = 0; j < M; j++) {
		uint64_t left = (uint64_t)(capacity[j] - s->pinned[j]);
		uint64_t deg = s->held_start[j + 1];
		uint64_t r = left < deg ? left : deg;
		uint64_t top, term;
		s->room[j] = (uint32_t)r;
		/* From here on pinned[j] is the expert's load before the free
		 * pairs: its pins plus the engagements it already has, so that
		 * the k-th new engagement costs base + pins + k. */
		if (base_load != NULL)
			s->pinned[j] += base_load[j];
		if (r > u->units)
			r = u->units; /* no plan loads an expert beyond all demand */
		/* spread += (p+1) + ... + (p+r) = r * (2p + r + 1) / 2 */
		if (!mul_u64(r, 2 * (uint64_t)s->pinned[j] + r + 1, &term) ||
		    !add_u64(u->spread, term / 2, &u->spread))
			return LM_EINVAL;
		top = (uint64_t)s->pinned[j] + r;
		if (top > u->max_unit)
			u->max_unit = top;
	}
	for (uint32_t j = 0; j < M; j++)
		s->held_start[j + 1] = s->held_start[j] + s->room[j];
	return LM_OK;
}

/* The scaled network, for U > 0: BIG, the arcs' costs, the search arrays
 * and the starting potentials. */
static int build_network(solver *s, const setup *u)
{
	const uint32_t N = s->n_needs, M = s->n_experts;
	const lmi_flow_edge *edges = u->edges;
	/* BIG > every possible spread; see the top of the file for why
	 * (2U + 4) * Cmax bounds every intermediate value. */
	uint64_t big, cmax, bound, total_max;
	if (!add_u64(u->spread, 1, &big) ||
	    !mul_u64((uint64_t)u->max_w, big, &cmax) ||
	    !add_u64(cmax, u->max_unit, &cmax) ||
	    !mul_u64(cmax, 2 * u->units + 4, &bound) || bound > INT64_MAX ||
	    /* and the reported total, pins + at most U * W */
	    !mul_u64(u->units, (uint64_t)u->max_w, &total_max) ||
	    !add_u64(total_max, u->pinned_weight, &total_max) ||
	    total_max > INT64_MAX)
		return LM_EINVAL;
	s->dummy = u->max_w * (int64_t)big;

	s->arcs = xcalloc(u->n_arcs, sizeof *s->arcs);
	s->used = xcalloc(u->n_arcs, sizeof *s->used);
	s->held = xcalloc(s->held_start[M], sizeof *s->held);
	s->pi = xcalloc(s->n_nodes, sizeof *s->pi);
	s->dist = xcalloc(s->n_nodes, sizeof *s->dist);
	s->pred = xcalloc(s->n_nodes, sizeof *s->pred);
	s->state = xcalloc(s->n_nodes, sizeof *s->state);
	s->heap = xcalloc(s->n_nodes, sizeof *s->heap);
	s->hpos = xcalloc(s->n_nodes, sizeof *s->hpos);
	s->touched = xcalloc(s->n_nodes, sizeof *s->touched);
	if (!s->arcs || !s->used || !s->held || !s->pi || !s->dist ||
	    !s->pred || !s->state || !s->heap || !s->hpos || !s->touched)
		return LM_ENOMEM;
	for (uint32_t v = 0; v < s->n_nodes; v++)
		s->hpos[v] = NONE;
	/* Start with every expert's first sink arc tight (reduced cost
	 * 0): valid, as arcs into an expert only gain p_j + 1, and it
	 * lets the free-column check above stop at the first free
	 * expert on a plateau. */
	for (uint32_t j = 0; j < M; j++)
		s->pi[1 + N + j] = -(s->pinned[j] + 1);
	/* Arcs grouped by need in input order: the order Dijkstra
	 * relaxes them, hence part of the deterministic tie-break. */
	for (uint32_t i = 0; i < N; i++) {
		s->need_start[i + 1] = s->need_start[i];
		for (uint32_t k = u->bucket_start[i]; k < u->bucket_start[i + 1]; k++) {
			uint32_t e = u->bucket[k];
			if (u->kind[e] != FREE_PAIR || edges[e].weight == 0)
				continue;
			s->arcs[s->need_start[i + 1]++] = (arc){
				(u->max_w - edges[e].weight) * (int64_t)big,
				edges[e].expert, e};
		}
	}
	return LM_OK;
}

/* One search per unit of demand, need by need; LM_ECANCELED when
 * `progress` stops it. */
static int route_units(solver *s, const setup *u, lm_progress_fn progress,
                       void *ctx)
{
	size_t done = 0, next_report = PROGRESS_EVERY;
	for (uint32_t i = 0; i < s->n_needs; i++) {
		for (uint32_t k = 0; k < u->dem[i]; k++) {
			done++;
			if (augment(s, i)) {
				done += u->dem[i] - k - 1; /* the rest stays unfilled */
				break;
			}
			if (progress != NULL && done >= next_report) {
				next_report = done + PROGRESS_EVERY;
				if (progress("plan", done, (size_t)u->units, ctx))
					return LM_ECANCELED;
			}
		}
	}
	return LM_OK;
}

/* ---- the entry point --------------------------------------------------- */

int lmi_flow_solve(size_t n_needs, const int *demand,
                  size_t n_experts, const int *capacity,
                  const lmi_flow_edge *edges, size_t n_edges,
                  lm_progress_fn progress, void *ctx,
                  uint8_t *chosen, int64_t *total_weight)
{
	return lmi_flow_solve_loaded(n_needs, demand, n_experts, capacity, NULL,
	                            edges, n_edges, progress, ctx, chosen,
	                            total_weight);
}

int lmi_flow_solve_loaded(size_t n_needs, const int *demand,
                  size_t n_experts, const int *capacity, const int *base_load,
                  const lmi_flow_edge *edges, size_t n_edges,
                  lm_progress_fn progress, void *ctx,
                  uint8_t *chosen, int64_t *total_weight)
{
	solver s;
	setup u;
	int rc;

	memset(&s, 0, sizeof s);
	memset(&u, 0, sizeof u);
	if ((rc = check_input(n_needs, demand, n_experts, capacity, base_load,
	                      edges, n_edges, chosen, total_weight)))
		return rc;
	s.n_needs = (uint32_t)n_needs;
	s.n_experts = (uint32_t)n_experts;
	s.n_nodes = 1 + s.n_needs + s.n_experts;
	u.edges = edges;
	u.n_edges = n_edges;

	if ((rc = group_edges(&s, &u)))
		goto cleanup;
	classify_pairs(&s, &u);
	if ((rc = take_pins(&s, &u, demand, capacity)) ||
	    (rc = clip(&s, &u, demand, capacity, base_load)))
		goto cleanup;
	if (u.units > 0 &&
	    ((rc = build_network(&s, &u)) ||
	     (rc = route_units(&s, &u, progress, ctx))))
		goto cleanup;
	if (progress != NULL &&
	    progress("plan", (size_t)u.units, (size_t)u.units, ctx)) {
		rc = LM_ECANCELED;
		goto cleanup;
	}

	/* Success: only now touch the caller's outputs. */
	{
		uint64_t total = u.pinned_weight;
		for (size_t e = 0; e < n_edges; e++)
			chosen[e] = u.kind[e] == FORCED_PAIR;
		for (uint32_t a = 0; a < s.need_start[s.n_needs]; a++)
			if (s.used[a]) {
				chosen[s.arcs[a].orig] = 1;
				total += (uint64_t)edges[s.arcs[a].orig].weight;
			}
		/* total <= pins + U * W, checked by take_pins() and
		 * build_network() */
		*total_weight = (int64_t)total;
	}
	rc = LM_OK;

cleanup:
	setup_free(&u);
	solver_free(&s);
	return rc;
}
