/* SPDX-License-Identifier: MIT */
/*
 * suggest_index.c -- the suggester's index of a catalogue's skill names
 * (suggest.h): every label, alias and keyword cut into tokens (words.c),
 * each token's forms posted under keys, built once per catalogue and kept
 * in its resolved layer (cat->r.suggest).  suggest.c reads it.
 *
 * A name is posted under the keys of its first token; the matcher checks
 * the rest of it.  Besides the name as written it is posted
 *  - without a leading article, when it has more words ("Det tyske
 *    markedet" also as "tyske markedet");
 *  - written together, when it is one word of hyphen parts ("ERP-systemer"
 *    also as "erpsystemer");
 * and a one-token name long enough for the compound rule is posted under
 * its part keys (suggest.h: LMI_SG_MIN_PART).
 */
#include "engine/suggest.h"

#include <stdlib.h>
#include <string.h>

/* Articles a name may start with and still be found without. */
static const char *const articles[] = {
	"det", "den", "de", "en", "et", "ei", "the", "a", "an",
};

/* The j-th name of skill `s` -- its label, its aliases, then its
 * keywords -- or NULL past the last; *origin says which it is. */
static const char *skill_name(const lmi_skill_rec *s, uint32_t j,
                              unsigned *origin)
{
	if (j == 0) {
		*origin = LMI_SG_LABEL;
		return s->label;
	}
	j--;
	if (j < s->n_aliases) {
		*origin = LMI_SG_ALIAS;
		return s->aliases[j];
	}
	j -= s->n_aliases;
	if (j < s->n_keywords) {
		*origin = LMI_SG_KEYWORD;
		return s->keywords[j];
	}
	return NULL;
}

typedef struct post_pair {
	const char *key;
	uint32_t name;
	uint32_t list;  /* its list, once build_post has met its key */
} post_pair;

typedef LM_VEC(post_pair) pair_vec;

typedef struct builder {
	struct lmi_suggest_index *ix;
	LM_VEC(lmi_sg_tok) tok;
	LM_VEC(lmi_sg_name) name;
	pair_vec pairs[LMI_SG_MAPS];
} builder;

static bool is_article(const char *skel)
{
	size_t i;

	for (i = 0; i < sizeof articles / sizeof *articles; i++)
		if (strcmp(skel, articles[i]) == 0)
			return true;
	return false;
}

/* Post name `name` under key s (a string of the index) in map m. */
static int post(builder *b, int m, const char *s, uint32_t name)
{
	post_pair *p = LM_VEC_PUSH(b->pairs[m]);

	if (!p)
		return LM_ENOMEM;
	p->key = s;
	p->name = name;
	if (m >= LMI_SG_PRE && strlen(s) > b->ix->max_part)
		b->ix->max_part = strlen(s);
	return LM_OK;
}

/* Post name `id` under each distinct string of forms[0..n) in map m
 * (NULL ones skipped). */
static int post_forms(builder *b, int m, const char *const *forms, size_t n,
                      uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lmi_sg_new_form(forms, i) && post(b, m, forms[i], id))
			return LM_ENOMEM;
	return LM_OK;
}

/* A name's token from a cut token. */
static int add_tok(builder *b, const lmi_token *t, unsigned kind)
{
	lmi_sg_tok *k = LM_VEC_PUSH(b->tok);

	if (!k)
		return LM_ENOMEM;
	k->orig = t->orig;
	k->fold = t->fold;
	k->skel = t->skel;
	k->cps = t->cps;
	k->kind = kind;
	for (const char *p = t->fold; *p; p++)
		k->fold_cps += ((unsigned char)*p & 0xC0) != 0x80;
	return LM_OK;
}

/* Post the name whose tokens are toks[0..n) (already in b->tok from
 * index `first`). */
static int add_name(builder *b, uint32_t skill, unsigned origin,
                    uint32_t first, uint32_t n)
{
	uint32_t id = (uint32_t)b->name.n, i, content = 0;
	lmi_sg_name *nm = LM_VEC_PUSH(b->name);
	const lmi_sg_tok *t;

	if (!nm)
		return LM_ENOMEM;
	for (i = 0; i < n; i++)
		content += b->tok.v[first + i].kind != LMI_SG_STOP &&
		           b->tok.v[first + i].kind != LMI_SG_EXACT;
	nm->skill = skill;
	nm->tok = first;
	nm->ntok = n;
	nm->content = content;
	nm->origin = origin;
	t = &b->tok.v[first];
	switch (t->kind) {
	case LMI_SG_EXACT:
		return post(b, LMI_SG_SPELLING, t->orig, id);
	case LMI_SG_STOP:
		return post(b, LMI_SG_STOPWORD, t->skel, id);
	case LMI_SG_ACRONYM: {
		const char *f[] = {t->fold, t->skel};
		return post_forms(b, LMI_SG_WORD, f, 2, id);
	}
	default:
		break;
	}
	const char *whole[] = {t->fold, t->skel};
	if (post_forms(b, LMI_SG_WORD, whole, 2, id))
		return LM_ENOMEM;
	if (n != 1 || t->cps < LMI_SG_MIN_PART)
		return LM_OK;
	/* A compound's first part is the name as written ("eksport" in
	 * "eksportrådgivning"); its last part is inflected with the whole
	 * word, so the end of a word is also compared stem to stem (the
	 * stems' map, stem_names).  Only a text word in ASCII looks up
	 * skeletons, and it looks up true forms too: a skeleton equal to its
	 * fold need not be posted. */
	const char *skel = strcmp(t->skel, t->fold) ? t->skel : NULL;
	return post(b, LMI_SG_PRE, t->fold, id) ||
	       post(b, LMI_SG_SUF, t->fold, id) ||
	       post_forms(b, LMI_SG_PRE_SKEL, &skel, 1, id) ||
	       post_forms(b, LMI_SG_SUF_SKEL, &skel, 1, id);
}

static unsigned tok_kind(const lmi_token *t, uint32_t ntok)
{
	if (t->flags & LMI_TOK_STOP)
		return ntok == 1 ? LMI_SG_EXACT : LMI_SG_STOP;
	if (t->flags & LMI_TOK_ACRONYM)
		return LMI_SG_ACRONYM;
	return LMI_SG_STEM;
}

/* Cut one name of a skill and post it with its variants. */
static int add_skill_name(builder *b, uint32_t skill, unsigned origin,
                          const char *s)
{
	struct lmi_suggest_index *ix = b->ix;
	lmi_text tx;
	uint32_t i, first = (uint32_t)b->tok.n, content = 0;
	int rc;

	if (!s || !lmi_utf8_valid(s, strlen(s)))
		return LM_OK;
	rc = lmi_words_split(&ix->words, &ix->arena, s, strlen(s),
	                     LMI_LANG_CUT, &tx);
	if (rc)
		return rc;
	for (i = 0; i < tx.n_tok; i++)
		content += !(tx.tok[i].flags & LMI_TOK_STOP);
	/* A name of stop words only ("nå ut til") names nothing, unless it
	 * is one word, which is then matched as written ("IT"). */
	if (!tx.n_tok || (!content && tx.n_tok > 1))
		goto done;
	for (i = 0; i < tx.n_tok; i++)
		if ((rc = add_tok(b, &tx.tok[i], tok_kind(&tx.tok[i], tx.n_tok))))
			goto done;
	if ((rc = add_name(b, skill, origin, first, tx.n_tok)))
		goto done;
	/* An article is dropped only as a word of its own: "Det tyske
	 * markedet" is also "tyske markedet", but "a-melding" is not
	 * "melding". */
	if (tx.n_tok > 1 && tx.word[0].n == 1 && is_article(tx.tok[0].skel) &&
	    !(tx.tok[1].flags & LMI_TOK_STOP) &&
	    (rc = add_name(b, skill, origin, first + 1, tx.n_tok - 1)))
		goto done;
	if (tx.n_word == 1 && tx.word[0].n > 1) {
		const lmi_token *j = &tx.word[0].joined;
		uint32_t at = (uint32_t)b->tok.n;
		if ((rc = add_tok(b, j, j->flags & LMI_TOK_ACRONYM
		                            ? LMI_SG_ACRONYM : LMI_SG_STEM)) ||
		    (rc = add_name(b, skill, origin, at, 1)))
			goto done;
	}
done:
	lmi_text_free(&tx);
	return rc;
}

/* Turn the pairs into posting lists behind a map, in one pass to count
 * and one to fill.  Names were posted in increasing order, so each list
 * comes out sorted, and a name posted twice under one key (a fold that is
 * its own skeleton) is met twice in a row and kept once. */
static int build_post(lmi_sg_post *p, pair_vec *v)
{
	uint32_t *last = NULL, *fill = NULL;
	size_t i, lists = 0;
	int rc = LM_ENOMEM;

	p->off = calloc(v->n + 2, sizeof(*p->off));
	p->id = malloc((v->n ? v->n : 1) * sizeof(*p->id));
	last = calloc(v->n + 1, sizeof(*last));
	if (!p->off || !p->id || !last || lmi_map_reserve(&p->map, v->n))
		goto done;
	for (i = 0; i < v->n; i++) {
		post_pair *q = &v->v[i];
		uint32_t l;
		if (!lmi_map_get(&p->map, q->key, &l)) {
			l = (uint32_t)lists++;
			if (lmi_map_put(&p->map, q->key, l))
				goto done;
		}
		q->list = l;
		if (last[l] == q->name + 1) {
			q->name = UINT32_MAX; /* a repeat */
			continue;
		}
		last[l] = q->name + 1;
		p->off[l + 1]++;
	}
	for (i = 0; i < lists; i++)
		p->off[i + 1] += p->off[i];
	fill = malloc((lists ? lists : 1) * sizeof(*fill));
	if (!fill)
		goto done;
	memcpy(fill, p->off, lists * sizeof(*fill));
	for (i = 0; i < v->n; i++)
		if (v->v[i].name != UINT32_MAX)
			p->id[fill[v->v[i].list]++] = v->v[i].name;
	p->n_lists = lists;
	rc = LM_OK;
done:
	free(last);
	free(fill);
	return rc;
}

static void post_free(lmi_sg_post *p)
{
	lmi_map_free(&p->map);
	free(p->off);
	free(p->id);
}

const uint32_t *lmi_sg_post_get(const lmi_sg_post *p, const char *key,
                                size_t *n)
{
	uint32_t l;

	if (!lmi_map_get(&p->map, key, &l)) {
		*n = 0;
		return NULL;
	}
	*n = p->off[l + 1] - p->off[l];
	return p->id + p->off[l];
}

static void index_free(struct lmi_suggest_index *ix)
{
	if (!ix)
		return;
	lmi_words_free(&ix->words);
	for (int m = 0; m < LMI_SG_MAPS; m++)
		post_free(&ix->map[m]);
	free(ix->tok);
	free(ix->name);
	free(ix->parent);
	lmi_arena_free(&ix->arena);
	free(ix);
}

static void index_free_slot(void *ix)
{
	index_free(ix);
}

static struct lmi_suggest_index *index_build(const lm_catalog *cat)
{
	struct lmi_suggest_index *ix = calloc(1, sizeof(*ix));
	builder b;
	uint32_t s, j;
	int rc = LM_ENOMEM;

	memset(&b, 0, sizeof(b));
	if (!ix || lmi_words_init(&ix->words))
		goto done;
	b.ix = ix;
	lmi_words_memo(&ix->words, true);
	ix->n_skills = (uint32_t)cat->skills.n;
	ix->parent = malloc((cat->skills.n ? cat->skills.n : 1) *
	                    sizeof(*ix->parent));
	if (!ix->parent)
		goto done;
	for (s = 0; s < ix->n_skills; s++) {
		const lmi_skill_rec *rec = &cat->skills.v[s];
		unsigned origin;
		const char *nm;

		ix->parent[s] = cat->r.skill_parent ? cat->r.skill_parent[s]
		                                    : LM_NONE;
		for (j = 0; (nm = skill_name(rec, j, &origin)); j++)
			if ((rc = add_skill_name(&b, s, origin, nm)))
				goto done;
	}
	lmi_words_memo(&ix->words, false);
	for (int m = 0; m < LMI_SG_MAPS; m++)
		if ((rc = build_post(&ix->map[m], &b.pairs[m])))
			goto done;
	ix->tok = b.tok.v;
	ix->n_tok = b.tok.n;
	ix->name = b.name.v;
	ix->n_name = b.name.n;
	b.tok.v = NULL;
	b.name.v = NULL;
done:
	free(b.tok.v);
	free(b.name.v);
	for (int m = 0; m < LMI_SG_MAPS; m++)
		free(b.pairs[m].v);
	if (rc) {
		index_free(ix);
		return NULL;
	}
	return ix;
}

/* Stem every name token of the STEM kind in `lang` (one language), a
 * spelling stemmed once. */
static int stem_tokens(struct lmi_suggest_index *ix, unsigned lang)
{
	lmi_map seen = {0}; /* fold -> the first token of that fold */
	size_t i;
	int rc = LM_ENOMEM;

	if (lmi_map_reserve(&seen, ix->n_tok))
		goto done;
	for (i = 0; i < ix->n_tok; i++) {
		lmi_sg_tok *k = &ix->tok[i];
		lmi_token t;
		uint32_t j;

		if (k->kind != LMI_SG_STEM)
			continue;
		if (lmi_map_get(&seen, k->fold, &j)) {
			if (lang == LMI_LANG_NB) {
				k->nb = ix->tok[j].nb;
				k->nb_skel = ix->tok[j].nb_skel;
			} else {
				k->en = ix->tok[j].en;
				k->en_skel = ix->tok[j].en_skel;
			}
			continue;
		}
		memset(&t, 0, sizeof(t));
		t.fold = k->fold;
		t.skel = k->skel;
		if (lmi_words_stem(&ix->words, &ix->arena, &t, lang) ||
		    lmi_map_put(&seen, k->fold, (uint32_t)i))
			goto done;
		if (lang == LMI_LANG_NB) {
			k->nb = t.nb;
			k->nb_skel = t.nb_skel;
		} else {
			k->en = t.en;
			k->en_skel = t.en_skel;
		}
	}
	rc = LM_OK;
done:
	lmi_map_free(&seen);
	return rc;
}

/* s without its last code point, in the index's arena; NULL unless
 * `stem` is shorter and begins it (the stemmer cut more than one
 * letter), or when it is shorter than 3 code points. */
static const char *cut_last(struct lmi_suggest_index *ix, const char *s,
                            const char *stem, bool *oom)
{
	size_t n = strlen(s), cps = 0, i;

	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n == 0)
		return NULL;
	n--;
	for (i = 0; i < n; i++)
		cps += ((unsigned char)s[i] & 0xC0) != 0x80;
	if (cps < 3 || !stem || strlen(stem) >= n ||
	    strncmp(stem, s, strlen(stem)) != 0)
		return NULL;
	const char *c = lmi_arena_strndup(&ix->arena, s, n);
	*oom = !c;
	return c;
}

/* Post a name under its first token's fold and skeleton less the last
 * letter, where a Norwegian text token's stem may be that (suggest.c:
 * lmi_sg_stem_plus_one; "hygienen" is "hygiene"). */
static int post_cut(builder *b, const lmi_sg_tok *t, uint32_t id)
{
	bool oom = false;
	const char *f[2];

	f[0] = cut_last(b->ix, t->fold, t->nb, &oom);
	if (!oom)
		f[1] = cut_last(b->ix, t->skel, t->nb_skel, &oom);
	if (oom)
		return LM_ENOMEM;
	return post_forms(b, LMI_SG_WORD_NB, f, 2, id);
}

/* Post the names under their first token's stems in `lang`, and (for
 * Norwegian) one-token names as the stem of a compound's last part. */
static int post_stems(builder *b, unsigned lang)
{
	struct lmi_suggest_index *ix = b->ix;
	int word = lang == LMI_LANG_NB ? LMI_SG_WORD_NB : LMI_SG_WORD_EN;
	size_t i;

	for (i = 0; i < ix->n_name; i++) {
		const lmi_sg_name *nm = &ix->name[i];
		const lmi_sg_tok *t = &ix->tok[nm->tok];
		uint32_t id = (uint32_t)i;

		if (t->kind != LMI_SG_STEM)
			continue;
		const char *f[] = {lang == LMI_LANG_NB ? t->nb : t->en,
		                   lang == LMI_LANG_NB ? t->nb_skel : t->en_skel};
		if (post_forms(b, word, f, 2, id) ||
		    (lang == LMI_LANG_NB && post_cut(b, t, id)))
			return LM_ENOMEM;
		if (lang != LMI_LANG_NB || nm->ntok != 1 ||
		    t->cps < LMI_SG_MIN_PART || strlen(t->nb) < LMI_SG_MIN_PART)
			continue;
		const char *skel = strcmp(t->nb_skel, t->nb) ? t->nb_skel : NULL;
		if (post(b, LMI_SG_SUF_NB, t->nb, id) ||
		    post_forms(b, LMI_SG_SUF_NB_SKEL, &skel, 1, id))
			return LM_ENOMEM;
	}
	return LM_OK;
}

int lmi_suggest_index_stem(struct lmi_suggest_index *ix, unsigned langs)
{
	static const int maps[] = {LMI_SG_WORD_NB, LMI_SG_WORD_EN,
	                           LMI_SG_SUF_NB, LMI_SG_SUF_NB_SKEL};
	lmi_sg_post fresh[LMI_SG_MAPS];
	builder b;
	unsigned todo = langs & LMI_LANG_ALL & ~ix->langs, lang;
	size_t max_part = ix->max_part, i;
	int rc = LM_ENOMEM;

	if (!todo)
		return LM_OK;
	memset(&b, 0, sizeof(b));
	memset(fresh, 0, sizeof(fresh));
	b.ix = ix;
	for (lang = LMI_LANG_NB; lang <= LMI_LANG_EN; lang <<= 1)
		if ((todo & lang) &&
		    (stem_tokens(ix, lang) || post_stems(&b, lang)))
			goto done;
	for (i = 0; i < sizeof maps / sizeof *maps; i++)
		if (b.pairs[maps[i]].n &&
		    build_post(&fresh[maps[i]], &b.pairs[maps[i]]))
			goto done;
	/* Every map built: swap them in. */
	for (i = 0; i < sizeof maps / sizeof *maps; i++)
		if (b.pairs[maps[i]].n) {
			post_free(&ix->map[maps[i]]);
			ix->map[maps[i]] = fresh[maps[i]];
			memset(&fresh[maps[i]], 0, sizeof(fresh[0]));
		}
	ix->langs |= todo;
	rc = LM_OK;
done:
	if (rc)
		ix->max_part = max_part;
	for (i = 0; i < LMI_SG_MAPS; i++) {
		post_free(&fresh[i]);
		free(b.pairs[i].v);
	}
	return rc;
}

struct lmi_suggest_index *lmi_suggest_index_get(lm_catalog *cat)
{
	struct lmi_suggest_index *ix = cat->r.suggest.obj;

	if (ix)
		return ix;
	ix = index_build(cat);
	if (!ix) {
		lmi_err_set(&cat->err, LM_ENOMEM,
		            "out of memory building the suggest index");
		return NULL;
	}
	lmi_slot_set(&cat->r.suggest, ix, index_free_slot);
	return ix;
}
