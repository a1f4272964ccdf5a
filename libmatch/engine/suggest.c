/* SPDX-License-Identifier: MIT */
/*
 * suggest.c -- lm_suggest: the skills a text asks for.  The text is cut
 * into tokens (words.c), every token is looked up in the catalogue's index
 * of skill names (suggest_index.c) as a whole word, as the start of a
 * phrase and as a part of a compound; then a match inside a longer match
 * gives way to it, a broader skill gives way to a narrower one named by
 * the same words, and each skill's confidence comes from its matches.
 * docs/suggest.md states the rules and the confidence formula.
 */
#include "engine/options.h"
#include "engine/suggest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The strength of one match (docs/suggest.md). */
#define S_PHRASE 0.95  /* two or more content words of a name */
#define S_WORD 0.9     /* a one-word name, or a word written together */
#define S_PREFIX 0.7   /* a name as the first part of a compound */
#define S_SUFFIX 0.75  /* a name as the last part of a compound */

#define SUB_WHOLE UINT32_MAX

typedef struct sg_match {
	uint32_t skill, name;
	uint32_t t0, t1;      /* text tokens [t0, t1) */
	uint32_t sub0, sub1;  /* bytes of token t0's form for a part, or
	                       * 0, SUB_WHOLE for whole tokens */
	double strength;
	bool dead;
} sg_match;

typedef struct sg_run {
	struct lmi_suggest_index *ix;
	const char *text;
	size_t len;
	lmi_text tx;
	lmi_arena arena;
	LM_VEC(sg_match) m;
	LM_VEC(uint32_t) cand; /* names found at one token */
	lmi_buf key;
} sg_run;

/* ---- comparing a text token with a name's token ------------------------ */

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Code points of the longest common prefix of a and b. */
static size_t common_cps(const char *a, const char *b)
{
	size_t i, n = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (((unsigned char)a[i] & 0xC0) != 0x80)
			n++;
	/* A code point cut short by the difference does not count. */
	if (i > 0 && ((unsigned char)a[i] & 0xC0) == 0x80)
		n--;
	return n;
}

static bool short_acronym(const lmi_token *t)
{
	return (t->flags & LMI_TOK_ACRONYM) && t->cps <= LMI_SG_ACRONYM_MAX;
}

/* Is name `name` (whose own stem is name_stem) the stem `stem` and one
 * code point more, and its own stem shorter than `stem`?  Snowball
 * sometimes cuts a name further than its inflections: "hygiene" to
 * "hygi" but "hygienen" to "hygien", "forsyningskjede" to
 * "forsyningskj" but "forsyningskjeden" to "forsyningskjed". */
bool lmi_sg_stem_plus_one(const char *stem, const char *name,
                          const char *name_stem)
{
	size_t n;

	if (!stem || !name || !name_stem)
		return false;
	n = strlen(stem);
	if (strlen(name_stem) >= n || strncmp(name_stem, stem,
	                                      strlen(name_stem)) != 0)
		return false;
	if (strncmp(stem, name, n) != 0 || !name[n])
		return false;
	for (name += n + 1; *name; name++)
		if (((unsigned char)*name & 0xC0) != 0x80)
			return false;
	return true;
}

/* Does text token t stand for name token k?  Skeletons are compared only
 * for a token written in ASCII: "ost" may be "øst" typed without ø, but
 * "øst" is never "ost". */
static bool tok_match(const lmi_token *t, const lmi_sg_tok *k)
{
	bool ascii = t->flags & LMI_TOK_ASCII;

	switch (k->kind) {
	case LMI_SG_EXACT:
		return eq(t->orig, k->orig);
	case LMI_SG_STOP:
		return (t->flags & LMI_TOK_STOP) && eq(t->skel, k->skel);
	default:
		break;
	}
	if (t->flags & LMI_TOK_STOP)
		return false;
	if (eq(t->fold, k->fold) || (ascii && eq(t->skel, k->skel)))
		return true;
	if (k->kind == LMI_SG_ACRONYM || short_acronym(t))
		return false;
	/* Stem to stem, or the text's stem to the name as written (or the
	 * Norwegian stem to the name but for its last letter): Snowball
	 * cuts "konsert" to "kons" but "konserter" to "konsert".  And the
	 * text's word must spell the name's word but for its last two
	 * letters, because Snowball sometimes cuts far more than an ending:
	 * "kjøpsloven" (the Sale of Goods Act) to "kjøp", "marketing" to
	 * "market", "operations" to "oper". */
	if (!(eq(t->nb, k->nb) || eq(t->nb, k->fold) || eq(t->en, k->en) ||
	      eq(t->en, k->fold) || lmi_sg_stem_plus_one(t->nb, k->fold, k->nb) ||
	      (ascii && (eq(t->nb_skel, k->nb_skel) || eq(t->nb_skel, k->skel) ||
	                 eq(t->en_skel, k->en_skel) || eq(t->en_skel, k->skel) ||
	                 lmi_sg_stem_plus_one(t->nb_skel, k->skel, k->nb_skel)))))
		return false;
	return ascii ? common_cps(t->skel, k->skel) + 2 >= k->cps
	             : common_cps(t->fold, k->fold) + 2 >= k->fold_cps;
}

/* ---- finding matches ----------------------------------------------------- */

/* Add the names posted under s[0..n) in map m to r->cand. */
static int lookup(sg_run *r, int m, const char *s, size_t n)
{
	const uint32_t *ids;
	size_t k, i;

	if (s[n] != '\0') { /* a piece of a word: a key of its own */
		lmi_buf_reset(&r->key);
		lmi_buf_put(&r->key, s, n);
		if (r->key.oom)
			return LM_ENOMEM;
		s = r->key.v;
	}
	ids = lmi_sg_post_get(&r->ix->map[m], s, &k);
	for (i = 0; i < k; i++) {
		uint32_t *c = LM_VEC_PUSH(r->cand);
		if (!c)
			return LM_ENOMEM;
		*c = ids[i];
	}
	return LM_OK;
}

static int lookup_str(sg_run *r, int m, const char *s)
{
	return s ? lookup(r, m, s, strlen(s)) : LM_OK;
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

/* Sort r->cand and drop repeats. */
static void cand_unique(sg_run *r)
{
	size_t i, j = 0;

	if (r->cand.n > 1)
		qsort(r->cand.v, r->cand.n, sizeof(*r->cand.v), cmp_u32);
	for (i = 0; i < r->cand.n; i++)
		if (i == 0 || r->cand.v[i] != r->cand.v[j - 1])
			r->cand.v[j++] = r->cand.v[i];
	r->cand.n = j;
}

/* Look up each distinct string of f[0..n) (NULL ones skipped) in map m. */
static int lookup_forms(sg_run *r, int m, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lmi_sg_new_form(f, i) && lookup_str(r, m, f[i]))
			return LM_ENOMEM;
	return LM_OK;
}

/* The names a whole token may start, into r->cand: those posted under
 * any of its forms (tok_match decides). */
static int whole_candidates(sg_run *r, const lmi_token *t)
{
	bool ascii = t->flags & LMI_TOK_ASCII, stem = !short_acronym(t);
	const char *nb = stem ? t->nb : NULL, *en = stem ? t->en : NULL;
	const char *nbs = stem && ascii ? t->nb_skel : NULL;
	const char *ens = stem && ascii ? t->en_skel : NULL;
	/* The name as written: the text's fold, or its stem ("konserter"
	 * is "konsert"). */
	const char *w[] = {t->fold, ascii ? t->skel : NULL, nb, nbs, en, ens};
	const char *wn[] = {nb, nbs}, *we[] = {en, ens};

	r->cand.n = 0;
	if (t->flags & LMI_TOK_STOP)
		return lookup_str(r, LMI_SG_SPELLING, t->orig) ||
		       lookup_str(r, LMI_SG_STOPWORD, t->skel);
	return lookup_forms(r, LMI_SG_WORD, w, 6) ||
	       lookup_forms(r, LMI_SG_WORD_NB, wn, 2) ||
	       lookup_forms(r, LMI_SG_WORD_EN, we, 2);
}

static int add_match(sg_run *r, uint32_t name, uint32_t t0, uint32_t t1,
                     uint32_t sub0, uint32_t sub1, double strength)
{
	sg_match *m = LM_VEC_PUSH(r->m);

	if (!m)
		return LM_ENOMEM;
	m->skill = r->ix->name[name].skill;
	m->name = name;
	m->t0 = t0;
	m->t1 = t1;
	m->sub0 = sub0;
	m->sub1 = sub1;
	m->strength = strength;
	return LM_OK;
}

/* Names starting at token i, as whole words and phrases. */
static int match_whole(sg_run *r, uint32_t i)
{
	const lmi_text *tx = &r->tx;
	size_t c;
	uint32_t j;

	if (whole_candidates(r, &tx->tok[i]))
		return LM_ENOMEM;
	cand_unique(r);
	for (c = 0; c < r->cand.n; c++) {
		const lmi_sg_name *nm = &r->ix->name[r->cand.v[c]];
		const lmi_sg_tok *k = &r->ix->tok[nm->tok];

		if (nm->ntok > tx->n_tok - i)
			continue;
		for (j = 0; j < nm->ntok; j++)
			if ((j > 0 && !(tx->tok[i + j].flags & LMI_TOK_SOFT)) ||
			    !tok_match(&tx->tok[i + j], &k[j]))
				break;
		if (j < nm->ntok)
			continue;
		if (add_match(r, r->cand.v[c], i, i + nm->ntok, 0, SUB_WHOLE,
		              nm->content >= 2 ? S_PHRASE : S_WORD))
			return LM_ENOMEM;
	}
	return LM_OK;
}

/* One-token names that a word of hyphen parts is when written together
 * ("nett-butikk" is "nettbutikk"). */
static int match_joined(sg_run *r, const lmi_word *w)
{
	size_t c;

	if (whole_candidates(r, &w->joined))
		return LM_ENOMEM;
	cand_unique(r);
	for (c = 0; c < r->cand.n; c++) {
		const lmi_sg_name *nm = &r->ix->name[r->cand.v[c]];

		if (nm->ntok == 1 && tok_match(&w->joined, &r->ix->tok[nm->tok]) &&
		    add_match(r, r->cand.v[c], w->first, w->first + w->n, 0,
		              SUB_WHOLE, S_WORD))
			return LM_ENOMEM;
	}
	return LM_OK;
}

/* Byte offsets of the code point boundaries of s (n bytes) into *at
 * (n + 1 entries at most); returns how many code points. */
static size_t boundaries(const char *s, size_t n, uint32_t *at)
{
	size_t i, cps = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			at[cps++] = (uint32_t)i;
	at[cps] = (uint32_t)n;
	return cps;
}

/* Parts found at [sub0, sub1) of token i: the names in r->cand. */
static int add_parts(sg_run *r, uint32_t i, uint32_t sub0, uint32_t sub1,
                     double strength)
{
	size_t c;

	for (c = 0; c < r->cand.n; c++)
		if (add_match(r, r->cand.v[c], i, i + 1, sub0, sub1, strength))
			return LM_ENOMEM;
	return LM_OK;
}

/* Does the stem keep at least LMI_SG_MIN_STEM_REST code points past the
 * first n bytes of form (a first part)?  What the stemmer cuts is an
 * ending, not the rest of a compound: "flyttet" (stem "flytt") is not
 * "flyt" + "tet".  No stem (not stemmed): yes. */
static bool stem_keeps_rest(const char *stem, const char *form, size_t n)
{
	size_t rest = 0;

	if (!stem)
		return true;
	if (strlen(stem) < n || memcmp(stem, form, n) != 0)
		return false;
	for (stem += n; *stem; stem++)
		rest += ((unsigned char)*stem & 0xC0) != 0x80;
	return rest >= LMI_SG_MIN_STEM_REST;
}

/* The compound rule: one-token names as the first or last part of token
 * i, each part at least LMI_SG_MIN_PART code points long and the rest of
 * the word at least LMI_SG_MIN_REST (and, for a first part, the rest of
 * its stem at least LMI_SG_MIN_STEM_REST). */
static int match_parts(sg_run *r, uint32_t i, uint32_t *at)
{
	const lmi_token *t = &r->tx.tok[i];
	bool ascii = t->flags & LMI_TOK_ASCII;
	const char *form = ascii ? t->skel : t->fold;
	const char *forms[2];
	size_t n = strlen(form), cps, j, f;
	size_t max = r->ix->max_part;

	if ((t->flags & LMI_TOK_STOP) || short_acronym(t) ||
	    t->cps < LMI_SG_MIN_PART + LMI_SG_MIN_REST)
		return LM_OK;
	cps = boundaries(form, n, at);
	for (j = LMI_SG_MIN_PART; j + LMI_SG_MIN_REST <= cps; j++) {
		if (at[j] > max)
			break;
		if (!stem_keeps_rest(ascii ? t->nb_skel : t->nb, form, at[j]))
			continue;
		r->cand.n = 0;
		if (lookup(r, LMI_SG_PRE, form, at[j]) ||
		    (ascii && lookup(r, LMI_SG_PRE_SKEL, form, at[j])))
			return LM_ENOMEM;
		cand_unique(r);
		if (add_parts(r, i, 0, at[j], S_PREFIX))
			return LM_ENOMEM;
	}
	/* The last part, on the stem (inflected with the whole word) and on
	 * the word as written. */
	forms[0] = ascii ? t->nb_skel : t->nb;
	forms[1] = form;
	for (f = 0; f < 2; f++) {
		const char *s = forms[f];
		if (!s || (f == 1 && eq(forms[0], forms[1])))
			continue;
		n = strlen(s);
		cps = boundaries(s, n, at);
		for (j = LMI_SG_MIN_REST; j + LMI_SG_MIN_HEAD <= cps; j++) {
			if (n - at[j] > max)
				continue;
			r->cand.n = 0;
			if (lookup(r, LMI_SG_SUF, s + at[j], n - at[j]) ||
			    lookup(r, LMI_SG_SUF_NB, s + at[j], n - at[j]) ||
			    (ascii &&
			     (lookup(r, LMI_SG_SUF_SKEL, s + at[j], n - at[j]) ||
			      lookup(r, LMI_SG_SUF_NB_SKEL, s + at[j],
			             n - at[j]))))
				return LM_ENOMEM;
			cand_unique(r);
			if (add_parts(r, i, at[j], (uint32_t)n, S_SUFFIX))
				return LM_ENOMEM;
		}
	}
	return LM_OK;
}

/* ---- choosing among the matches ----------------------------------------- */

static bool same_span(const sg_match *a, const sg_match *b)
{
	return a->t0 == b->t0 && a->t1 == b->t1 && a->sub0 == b->sub0 &&
	       a->sub1 == b->sub1;
}

/* Is a's span inside b's and smaller? */
static bool inside(const sg_match *a, const sg_match *b)
{
	if (b->t0 > a->t0 || a->t1 > b->t1)
		return false;
	if (a->t0 == b->t0 && a->t1 == b->t1)
		return b->sub0 <= a->sub0 && a->sub1 <= b->sub1 &&
		       !same_span(a, b);
	/* b spans more tokens: it is whole (only one-token matches are
	 * parts), so it covers every part of a. */
	return b->sub1 == SUB_WHOLE;
}

/* Is skill a a proper ancestor of skill b? */
static bool ancestor(const struct lmi_suggest_index *ix, uint32_t a,
                     uint32_t b)
{
	uint32_t hops;

	for (hops = 0; hops < ix->n_skills && b < ix->n_skills; hops++) {
		b = ix->parent[b];
		if (b == a)
			return true;
		if (b == LM_NONE)
			return false;
	}
	return false;
}

/* Matches per token: bucket[off[t] .. off[t + 1]) lists the matches
 * whose span holds token t. */
static int buckets(sg_run *r, uint32_t **off_out, uint32_t **list_out)
{
	uint32_t n_tok = r->tx.n_tok, t;
	size_t i, total = 0;
	uint32_t *off = calloc((size_t)n_tok + 2, sizeof(*off));
	uint32_t *list;

	if (!off)
		return LM_ENOMEM;
	for (i = 0; i < r->m.n; i++) {
		for (t = r->m.v[i].t0; t < r->m.v[i].t1; t++)
			off[t + 2]++;
		total += r->m.v[i].t1 - r->m.v[i].t0;
	}
	for (t = 0; t < n_tok; t++)
		off[t + 2] += off[t + 1];
	list = malloc((total ? total : 1) * sizeof(*list));
	if (!list) {
		free(off);
		return LM_ENOMEM;
	}
	for (i = 0; i < r->m.n; i++)
		for (t = r->m.v[i].t0; t < r->m.v[i].t1; t++)
			list[off[t + 1]++] = (uint32_t)i;
	*off_out = off;
	*list_out = list;
	return LM_OK;
}

/* A match inside a longer one gives way to it (of the same skill too:
 * the longer holds the evidence); of two with one span for one skill the
 * first stays; and a broader skill's match gives way to a narrower skill's
 * match of the same span. */
static int choose(sg_run *r)
{
	uint32_t *off = NULL, *list = NULL;
	size_t i, k;

	if (!r->m.n)
		return LM_OK;
	if (buckets(r, &off, &list))
		return LM_ENOMEM;
	for (i = 0; i < r->m.n; i++) {
		sg_match *a = &r->m.v[i];
		for (k = off[a->t0]; k < off[a->t0 + 1] && !a->dead; k++) {
			const sg_match *b = &r->m.v[list[k]];
			if (list[k] == i)
				continue;
			if (inside(a, b) ||
			    (same_span(a, b) && a->skill == b->skill &&
			     list[k] < i))
				a->dead = true;
		}
	}
	for (i = 0; i < r->m.n; i++) {
		sg_match *a = &r->m.v[i];
		for (k = off[a->t0]; k < off[a->t0 + 1] && !a->dead; k++) {
			const sg_match *b = &r->m.v[list[k]];
			if (!b->dead && b->skill != a->skill && same_span(a, b) &&
			    ancestor(r->ix, a->skill, b->skill))
				a->dead = true;
		}
	}
	free(off);
	free(list);
	return LM_OK;
}

/* ---- the result ------------------------------------------------------------ */

struct lm_suggestion_list {
	lm_suggestion *v;
	size_t n;
	lm_evidence *ev;       /* suggestion i's are ev[ev_off[i] ..) */
	size_t *ev_off;
	lmi_arena arena;       /* the evidence strings */
};

typedef struct sg_skill {
	uint32_t skill;
	uint32_t depth;        /* in the taxonomy: 0 for a root */
	double confidence;
	uint32_t first;        /* byte where its first evidence starts */
	size_t ev0, n_ev;      /* its evidence in the run's evidence vector */
} sg_skill;

typedef struct sg_ev {
	uint32_t start, end;   /* bytes of the text: whole words */
	uint32_t word;         /* the text's word where it starts */
	const char *key;       /* the folded tokens, to see repeats */
	double strength;
} sg_ev;

static int cmp_skill(const void *pa, const void *pb)
{
	const sg_skill *a = pa, *b = pb;

	if (a->confidence != b->confidence)
		return a->confidence > b->confidence ? -1 : 1;
	if (a->depth != b->depth) /* the narrower says more */
		return a->depth > b->depth ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->skill < b->skill ? -1 : a->skill > b->skill;
}

static int cmp_match_skill(const void *pa, const void *pb)
{
	const sg_match *a = pa, *b = pb;

	if (a->skill != b->skill)
		return a->skill < b->skill ? -1 : 1;
	if (a->t0 != b->t0)
		return a->t0 < b->t0 ? -1 : 1;
	return a->t1 < b->t1 ? -1 : a->t1 > b->t1;
}

/* The folded tokens of the words of text tokens [t0, t1), in r->arena. */
static const char *ev_key(sg_run *r, uint32_t t0, uint32_t t1)
{
	const lmi_text *tx = &r->tx;
	uint32_t a = tx->word[tx->tok[t0].word].first;
	const lmi_word *wl = &tx->word[tx->tok[t1 - 1].word];
	uint32_t b = wl->first + wl->n, t;
	char *s;

	lmi_buf_reset(&r->key);
	for (t = a; t < b; t++) {
		lmi_buf_puts(&r->key, tx->tok[t].fold);
		lmi_buf_put(&r->key, " ", 1);
	}
	if (r->key.oom)
		return NULL;
	s = lmi_arena_strndup(&r->arena, r->key.v, r->key.n);
	return s;
}

/* For each word of the text, the number of its sentence, 1 up, and 0
 * where that sentence asks for something (docs/suggest.md, "A passing
 * mention gives way").  A sentence ends at '.', '!' or '?' before white
 * space or the end of the text, and at a line break; it asks when it has
 * a request word (lmi_words_request) or a '?'.  NULL when out of
 * memory. */
static uint32_t *sentences(const sg_run *r)
{
	const lmi_text *tx = &r->tx;
	uint32_t *sent = calloc(tx->n_word ? tx->n_word : 1, sizeof(*sent));
	uint32_t w, first = 0, t, n = 0;
	bool ask = false;

	if (!sent)
		return NULL;
	for (w = 0; w < tx->n_word; w++) {
		const lmi_word *wd = &tx->word[w];
		size_t a = wd->end;
		size_t b = w + 1 < tx->n_word ? tx->word[w + 1].start : r->len;
		bool end = w + 1 == tx->n_word;

		for (t = wd->first; t < wd->first + wd->n; t++)
			ask |= lmi_words_request(tx->tok[t].skel);
		for (; a < b; a++) {
			char c = r->text[a];
			ask |= c == '?';
			end |= c == '\n' ||
			       ((c == '.' || c == '!' || c == '?') &&
			        (a + 1 == r->len || r->text[a + 1] == ' ' ||
			         r->text[a + 1] == '\t' || r->text[a + 1] == '\n' ||
			         r->text[a + 1] == '\r'));
		}
		if (end) {
			n++;
			for (; first <= w; first++)
				sent[first] = ask ? 0 : n;
			ask = false;
		}
	}
	return sent;
}

/* A passing mention gives way: when some skill is named by two words or
 * more, a skill named by one only stays if that word stands in a
 * sentence that asks for something or that names such a skill too. */
static int drop_passing(sg_run *r, sg_skill *sk, size_t *n, const sg_ev *ev)
{
	size_t i, k, e;
	uint32_t *sent;
	bool *named;

	for (i = 0; i < *n && sk[i].n_ev < 2; i++)
		;
	if (i == *n)
		return LM_OK;
	sent = sentences(r);
	named = calloc(r->tx.n_word + 2, sizeof(*named));
	if (!sent || !named) {
		free(sent);
		free(named);
		return LM_ENOMEM;
	}
	for (i = 0; i < *n; i++)
		for (e = 0; sk[i].n_ev > 1 && e < sk[i].n_ev; e++)
			named[sent[ev[sk[i].ev0 + e].word]] = true;
	for (i = k = 0; i < *n; i++) {
		uint32_t st = sent[ev[sk[i].ev0].word];
		if (sk[i].n_ev > 1 || st == 0 || named[st])
			sk[k++] = sk[i];
	}
	*n = k;
	free(sent);
	free(named);
	return LM_OK;
}

static bool confident(double c, const lm_suggest_options *o)
{
	return c >= o->min_confidence;
}

/* Group the live matches by skill into the list. */
static int collect(sg_run *r, lm_catalog *cat, const lm_suggest_options *o,
                   lm_suggestion_list *l)
{
	LM_VEC(sg_skill) sk = {0};
	LM_VEC(sg_ev) ev = {0};
	size_t i, j, k, n_ev = 0;
	int rc = LM_ENOMEM;

	if (r->m.n > 1)
		qsort(r->m.v, r->m.n, sizeof(*r->m.v), cmp_match_skill);
	for (i = 0; i < r->m.n;) {
		uint32_t skill = r->m.v[i].skill;
		sg_skill *s = LM_VEC_PUSH(sk);
		double miss = 1.0;

		if (!s)
			goto done;
		s->skill = skill;
		s->depth = cat->r.skill_depth ? cat->r.skill_depth[skill] : 0;
		s->ev0 = ev.n;
		s->first = UINT32_MAX;
		for (; i < r->m.n && r->m.v[i].skill == skill; i++) {
			const sg_match *m = &r->m.v[i];
			const lmi_text *tx = &r->tx;
			const char *key;

			if (m->dead)
				continue;
			key = ev_key(r, m->t0, m->t1);
			if (!key)
				goto done;
			for (j = s->ev0; j < ev.n; j++)
				if (strcmp(ev.v[j].key, key) == 0)
					break;
			if (j < ev.n) {
				if (m->strength > ev.v[j].strength)
					ev.v[j].strength = m->strength;
				continue;
			}
			sg_ev *e = LM_VEC_PUSH(ev);
			if (!e)
				goto done;
			e->word = tx->tok[m->t0].word;
			e->start = tx->word[e->word].start;
			e->end = tx->word[tx->tok[m->t1 - 1].word].end;
			e->key = key;
			e->strength = m->strength;
			if (e->start < s->first)
				s->first = e->start;
		}
		s->n_ev = ev.n - s->ev0;
		if (!s->n_ev) {
			sk.n--;
			continue;
		}
		for (j = s->ev0; j < ev.n; j++)
			miss *= 1.0 - ev.v[j].strength;
		/* To three decimals: what a person reads, the same on every
		 * machine, and ties at that precision fall to text order. */
		s->confidence = round((1.0 - miss) * 1000.0) / 1000.0;
	}
	if (drop_passing(r, sk.v, &sk.n, ev.v))
		goto done;
	if (sk.n > 1)
		qsort(sk.v, sk.n, sizeof(*sk.v), cmp_skill);
	for (i = k = 0; i < sk.n; i++)
		if (confident(sk.v[i].confidence, o) &&
		    (!o->max_results || k < o->max_results))
			sk.v[k++] = sk.v[i];
	sk.n = k;
	for (i = 0; i < sk.n; i++)
		n_ev += sk.v[i].n_ev;

	l->v = calloc(sk.n ? sk.n : 1, sizeof(*l->v));
	l->ev_off = calloc(sk.n + 1, sizeof(*l->ev_off));
	l->ev = calloc(n_ev ? n_ev : 1, sizeof(*l->ev));
	if (!l->v || !l->ev_off || !l->ev)
		goto done;
	for (i = k = 0; i < sk.n; i++) {
		const sg_skill *s = &sk.v[i];
		const lmi_skill_rec *rec = &cat->skills.v[s->skill];
		size_t e0 = k;

		l->v[i].skill = s->skill;
		l->v[i].skill_id = rec->id;
		l->v[i].label = rec->label;
		l->v[i].confidence = s->confidence;
		l->v[i].evidence_count = s->n_ev;
		l->ev_off[i] = k;
		for (j = 0; j < s->n_ev; j++) {
			const sg_ev *e = &ev.v[s->ev0 + j];
			lm_evidence *d = &l->ev[k++];
			d->offset = e->start;
			d->length = e->end - e->start;
			d->words = lmi_arena_strndup(&l->arena, r->text + e->start,
			                             d->length);
			if (!d->words)
				goto done;
		}
		/* In the order of the text. */
		for (j = e0 + 1; j < k; j++) {
			lm_evidence x = l->ev[j];
			size_t m = j;
			while (m > e0 && l->ev[m - 1].offset > x.offset) {
				l->ev[m] = l->ev[m - 1];
				m--;
			}
			l->ev[m] = x;
		}
	}
	l->ev_off[sk.n] = k;
	l->n = sk.n;
	rc = LM_OK;
done:
	free(sk.v);
	free(ev.v);
	return rc;
}

/* ---- the public calls ---------------------------------------------------- */

/* The caller's options as current ones, checked. */
static int norm_options(lm_catalog *cat, const lm_suggest_options *in,
                        lm_suggest_options *out)
{
	int rc = lmi_suggest_options_norm(&cat->err, in, out);

	if (rc)
		return rc;
	if (!(out->min_confidence >= 0.0 && out->min_confidence <= 1.0))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                   "min_confidence must be within 0..1");
	return LM_OK;
}

int lm_suggest(lm_catalog *cat, const char *text, size_t len,
               const lm_suggest_options *opts, lm_suggestion_list **out)
{
	lm_suggest_options o;
	lm_suggestion_list *l = NULL;
	sg_run r;
	uint32_t i, *at = NULL;
	size_t at_cap = 0;
	int rc;

	if (out)
		*out = NULL;
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!out || (!text && len))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                   "lm_suggest: NULL argument");
	if (len > LM_SUGGEST_MAX_TEXT)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                   "the text has %zu bytes; at most %d are "
		                   "taken", len, LM_SUGGEST_MAX_TEXT);
	if (len && !lmi_utf8_valid(text, len))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                   "the text is not valid UTF-8 (or holds a "
		                   "NUL byte)");
	if ((rc = norm_options(cat, opts, &o)))
		return rc;

	memset(&r, 0, sizeof(r));
	r.text = text;
	r.len = len;
	l = calloc(1, sizeof(*l));
	if (!l || !(r.ix = lmi_suggest_index_get(cat)))
		goto oom;
	if (len && lmi_words_split(&r.ix->words, &r.arena, text, len, 0, &r.tx))
		goto oom;
	/* The names are stemmed in a language when its first text comes. */
	if (r.tx.n_tok && lmi_suggest_index_stem(r.ix, r.tx.langs))
		goto oom;
	for (i = 0; i < r.tx.n_tok; i++) {
		const lmi_token *t = &r.tx.tok[i];
		uint32_t w = t->word;
		if (match_whole(&r, i))
			goto oom;
		if (r.tx.word[w].first == i && r.tx.word[w].n > 1 &&
		    match_joined(&r, &r.tx.word[w]))
			goto oom;
		if (!(r.tx.langs & LMI_LANG_NB))
			continue;
		/* match_parts cuts the fold, the skeleton and the stems
		 * at code points: one entry per byte, and one more */
		size_t need = strlen(t->fold), n2 = strlen(t->skel);
		if (n2 > need)
			need = n2;
		if (t->nb && (n2 = strlen(t->nb)) > need)
			need = n2;
		if (t->nb_skel && (n2 = strlen(t->nb_skel)) > need)
			need = n2;
		if (need + 1 > at_cap) {
			uint32_t *na = lmi_reallocarray(at, need + 1, sizeof(*at));
			if (!na)
				goto oom;
			at = na;
			at_cap = need + 1;
		}
		if (match_parts(&r, i, at))
			goto oom;
	}
	if (choose(&r) || collect(&r, cat, &o, l))
		goto oom;
	*out = l;
	l = NULL;
	rc = LM_OK;
	goto done;
oom:
	rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory suggesting skills");
done:
	lm_suggestion_list_free(l);
	free(at);
	free(r.m.v);
	free(r.cand.v);
	lmi_buf_free(&r.key);
	lmi_text_free(&r.tx);
	lmi_arena_free(&r.arena);
	return rc;
}

size_t lm_suggestion_list_count(const lm_suggestion_list *l)
{
	return l ? l->n : 0;
}

const lm_suggestion *lm_suggestion_list_get(const lm_suggestion_list *l,
                                            size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

const lm_evidence *lm_suggestion_list_evidence(const lm_suggestion_list *l,
                                               size_t i, size_t j)
{
	if (!l || i >= l->n || j >= l->v[i].evidence_count)
		return NULL;
	return &l->ev[l->ev_off[i] + j];
}

void lm_suggestion_list_free(lm_suggestion_list *l)
{
	if (!l)
		return;
	free(l->v);
	free(l->ev);
	free(l->ev_off);
	lmi_arena_free(&l->arena);
	free(l);
}
