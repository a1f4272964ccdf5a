/* SPDX-License-Identifier: MIT */
/*
 * words.c -- a text cut into tokens for the suggester: Unicode categories
 * through utf8proc decide what a token is, utf8proc folds it, a skeleton
 * drops diacritics (for text typed without æ/ø/å), the stop word lists
 * below mark the words that name nothing, and libstemmer's Snowball
 * stemmers (Norwegian, English) give the stems.  words.h has the data;
 * docs/suggest.md the rules.
 *
 * The stop word lists are language, not domain data, so they live here:
 * Snowball's Norwegian and English lists, with the fragments the tokeniser
 * cuts from English contractions ("we'd" -> "we", "d") and a few very
 * common Norwegian words Snowball's list lacks (våre, hos, mye ...).
 */
#include "engine/words.h"

#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

static const char *const nb_stop[] = {
	"og", "i", "jeg", "det", "at", "en", "et", "den", "til", "er", "som",
	"på", "de", "med", "han", "av", "ikke", "ikkje", "der", "så", "var",
	"meg", "seg", "men", "ett", "har", "om", "vi", "min", "mitt", "ha",
	"hadde", "hun", "nå", "over", "da", "ved", "fra", "du", "ut", "sin",
	"dem", "oss", "opp", "man", "kan", "hans", "eller", "hva",
	"skal", "selv", "sjøl", "her", "alle", "vil", "bli", "ble", "blei",
	"blitt", "kunne", "inn", "når", "være", "kom", "noen", "noe", "ville",
	"dere", "deres", "kun", "ja", "etter", "ned", "skulle", "denne", "for",
	"deg", "si", "sine", "sitt", "mot", "å", "meget", "hvorfor", "dette",
	"disse", "uten", "hvordan", "ingen", "din", "ditt", "blir", "samme",
	"hvilken", "hvilke", "sånn", "inni", "mellom", "vår", "hver", "hvem",
	"vors", "hvis", "både", "bare", "enn", "fordi", "før", "mange", "også",
	"slik", "vært", "båe", "begge", "siden", "dykk", "dykkar", "dei",
	"deira", "deires", "deim", "di", "då", "eg", "ein", "eit", "eitt",
	"elles", "honom", "hjå", "ho", "hoe", "henne", "hennar", "hennes",
	"hoss", "hossen", "ingi", "inkje", "korleis", "korso", "kva", "kvar",
	"kvarhelst", "kven", "kvi", "kvifor", "me", "medan", "mi", "mine",
	"mykje", "no", "nokon", "noka", "nokor", "noko", "nokre", "sia",
	"sidan", "so", "somt", "somme", "um", "upp", "vere", "vore", "verte",
	"vort", "varte", "vart",
	/* not in Snowball's list */
	"våre", "vårt", "hos", "mye", "litt", "under", "gjennom", "ei",
	"dens", "deras", "hennes", "vel", "jo", "nok", "altså", "ganske",
	"helt", "veldig", "enda", "ennå", "bør", "må", "kanskje",
};

static const char *const en_stop[] = {
	"i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
	"your", "yours", "yourself", "yourselves", "he", "him", "his",
	"himself", "she", "her", "hers", "herself", "it", "its", "itself",
	"they", "them", "their", "theirs", "themselves", "what", "which",
	"whom", "this", "that", "these", "those", "am", "is", "are",
	"was", "were", "be", "been", "being", "have", "has", "had", "having",
	"do", "does", "did", "doing", "would", "should", "ought",
	"a", "an", "the", "and", "but", "if", "or", "because", "as", "until",
	"while", "of", "at", "by", "for", "with", "about", "against",
	"between", "into", "through", "during", "before", "after", "above",
	"below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
	"under", "again", "further", "then", "once", "here", "there", "when",
	"where", "why", "how", "all", "any", "both", "each", "few", "more",
	"most", "other", "some", "such", "no", "nor", "not", "only", "own",
	"same", "so", "than", "too", "very", "cannot", "will", "just",
	"now", "us", "let", "also",
	/* what the tokeniser leaves of contractions */
	"s", "t", "d", "ll", "ve", "re", "m", "don", "isn", "aren", "wasn",
	"weren", "hasn", "haven", "hadn", "doesn", "didn", "won", "wouldn",
	"shan", "shouldn", "couldn", "mustn",
};

/* Words that make a sentence ask for something (docs/suggest.md,
 * "A passing mention gives way"), as skeletons, sorted (bsearch): the
 * verbs of asking and of intent ("trenger", "vil", "skal", "plan") and
 * the question words of bokmål and English.  Language, like the stop
 * words, not domain data. */
static const char *const request_words[] = {
	"advice", "assist", "assistance", "bistand", "considering", "help",
	"hjelp", "hjelpe", "hjelper", "how", "hva", "hvem", "hvilke",
	"hvilken", "hvordan", "hvorfor", "kan", "looking", "lure", "lurer",
	"ma", "must", "need", "needed", "needs", "noen", "onske", "onsker",
	"onsket", "plan", "planlegge", "planlegger", "planning", "plans",
	"rad", "radgivning", "seeking", "should", "skal", "sporsmal",
	"tenker", "trenge", "trenger", "trengs", "vil", "ville", "vurdere",
	"vurderer", "want", "wants", "what", "which", "who", "would",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool lmi_words_request(const char *skel)
{
	return bsearch(&skel, request_words,
	               sizeof request_words / sizeof *request_words,
	               sizeof *request_words, cmp_str) != NULL;
}

/* ---- the skeleton ------------------------------------------------------ */

/* Append the skeleton of code point `c` (already without its marks). */
static void skel_cp(lmi_buf *b, utf8proc_int32_t c)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t k;

	switch (c) {
	case 0x00F8: lmi_buf_puts(b, "o"); return;  /* ø */
	case 0x00E6: lmi_buf_puts(b, "ae"); return; /* æ */
	case 0x0153: lmi_buf_puts(b, "oe"); return; /* œ */
	case 0x0111: lmi_buf_puts(b, "d"); return;  /* đ */
	case 0x00F0: lmi_buf_puts(b, "d"); return;  /* ð */
	case 0x0142: lmi_buf_puts(b, "l"); return;  /* ł */
	case 0x00FE: lmi_buf_puts(b, "th"); return; /* þ */
	default:
		k = utf8proc_encode_char(c, u);
		lmi_buf_put(b, u, (size_t)k);
	}
}

/* The skeleton of the folded s[0..n) in `a`: without diacritics (NFKD,
 * marks stripped), æ ø œ đ ð ł þ spelt in ASCII, and "aa" (the old å, and
 * how å is typed on a keyboard without it) made "a".  *cps (may be NULL)
 * gets its length in code points.  NULL on OOM.  One code point at a time
 * through utf8proc_decompose_char, into w's scratch buffer: no
 * allocation of its own for the common case. */
static char *skeleton(lmi_words *w, lmi_arena *a, const char *s, size_t n,
                      uint32_t *cps)
{
	lmi_buf *b = &w->scratch;
	const char *src = s;
	size_t sn = n, i, j;
	uint32_t count = 0;
	char *out;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i < n) {
		lmi_buf_reset(b);
		lmi_buf_put(b, s, i);
		while (i < n) {
			utf8proc_int32_t c, d[32];
			utf8proc_ssize_t k = utf8proc_iterate(
				(const utf8proc_uint8_t *)s + i,
				(utf8proc_ssize_t)(n - i), &c);
			int bc = 0;
			if (k <= 0) { /* not for valid text: skip the byte */
				i++;
				continue;
			}
			i += (size_t)k;
			if (c < 0x80) {
				char ch = (char)c;
				lmi_buf_put(b, &ch, 1);
				continue;
			}
			utf8proc_ssize_t m = utf8proc_decompose_char(
				c, d, 32,
				UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
					UTF8PROC_STRIPMARK,
				&bc);
			if (m < 0 || m > 32) { /* no room: keep it as it is */
				d[0] = c;
				m = 1;
			}
			for (utf8proc_ssize_t q = 0; q < m; q++)
				skel_cp(b, d[q]);
		}
		if (b->oom)
			return NULL;
		src = b->v ? b->v : "";
		sn = b->n;
	}
	out = lmi_arena_alloc(a, sn + 1);
	if (!out)
		return NULL;
	for (i = j = 0; i < sn; i++) {
		if (src[i] == 'a' && j > 0 && out[j - 1] == 'a' &&
		    (j < 2 || out[j - 2] != 'a'))
			continue;
		out[j++] = src[i];
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			count++;
	}
	out[j] = '\0';
	if (cps)
		*cps = count;
	return out;
}

/* ---- init ---------------------------------------------------------------- */

static int add_stops(lmi_words *w, const char *const *list, size_t n,
                     unsigned bit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *k = skeleton(w, &w->arena, list[i], strlen(list[i]), NULL);
		uint32_t have = 0;

		if (!k)
			return LM_ENOMEM;
		lmi_map_get(&w->stop, k, &have);
		if (lmi_map_put(&w->stop, k, have | bit) != LM_OK)
			return LM_ENOMEM;
	}
	return LM_OK;
}

int lmi_words_init(lmi_words *w)
{
	memset(w, 0, sizeof(*w));
	w->nb = sb_stemmer_new("norwegian", "UTF_8");
	w->en = sb_stemmer_new("english", "UTF_8");
	if (!w->nb || !w->en ||
	    add_stops(w, nb_stop, sizeof nb_stop / sizeof *nb_stop,
	              LMI_LANG_NB) ||
	    add_stops(w, en_stop, sizeof en_stop / sizeof *en_stop,
	              LMI_LANG_EN)) {
		lmi_words_free(w);
		return LM_ENOMEM;
	}
	return LM_OK;
}

void lmi_words_free(lmi_words *w)
{
	if (!w)
		return;
	if (w->nb)
		sb_stemmer_delete(w->nb);
	if (w->en)
		sb_stemmer_delete(w->en);
	lmi_map_free(&w->stop);
	lmi_arena_free(&w->arena);
	lmi_buf_free(&w->scratch);
	lmi_words_memo(w, false);
	memset(w, 0, sizeof(*w));
}

unsigned lmi_words_stop(const lmi_words *w, const char *skel)
{
	uint32_t v = 0;

	return lmi_map_get(&w->stop, skel, &v) ? (unsigned)v : 0;
}

/* ---- cutting ------------------------------------------------------------- */

enum { C_WORD, C_HYPHEN, C_JOIN, C_SPACE, C_HARD };

static int cp_class(utf8proc_int32_t c)
{
	if (c == '-' || c == 0x2010 || c == 0x2011)
		return C_HYPHEN;
	if (c == '.' || c == '&' || c == '\'' || c == 0x2019)
		return C_JOIN;
	if (c == ' ' || c == '\t')
		return C_SPACE;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_WORD;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	default:
		return C_HARD;
	}
}

/* Decode one code point of the valid text at p (n bytes left). */
static utf8proc_ssize_t next_cp(const char *p, size_t n, utf8proc_int32_t *c)
{
	if ((unsigned char)*p < 0x80) {
		*c = (unsigned char)*p;
		return 1;
	}
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p,
	                                      (utf8proc_ssize_t)n, c);
	if (k <= 0) { /* not for valid text; step over the byte */
		*c = 0xFFFD;
		return 1;
	}
	return k;
}

/* Is c a precomposed Latin-1 or Latin Extended-A letter whose case fold
 * is its lower case (so not ß, İ, ŉ, ſ, nor × and ÷)? */
static bool latin_simple(utf8proc_int32_t c)
{
	return c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7 &&
	       c != 0xDF && c != 0x130 && c != 0x149 && c != 0x17F;
}

/* Fold, skeleton, flags of a token whose `orig` is set. */
static int fill_token(lmi_words *w, lmi_arena *a, lmi_token *t)
{
	size_t n = strlen(t->orig), i;
	unsigned upper = 0, lower = 0;
	bool ascii = true, latin = true;

	for (i = 0; i < n;) {
		utf8proc_int32_t c;
		i += (size_t)next_cp(t->orig + i, n - i, &c);
		if (c >= 0x80) {
			ascii = false;
			latin = latin && latin_simple(c);
		}
		switch (utf8proc_category(c)) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
			upper++;
			break;
		case UTF8PROC_CATEGORY_LL:
			lower++;
			break;
		default:
			break;
		}
	}
	if (ascii) {
		char *f = lmi_arena_strndup(a, t->orig, n);
		if (!f)
			return LM_ENOMEM;
		for (i = 0; i < n; i++)
			if (f[i] >= 'A' && f[i] <= 'Z')
				f[i] = (char)(f[i] - 'A' + 'a');
		t->fold = f;
	} else if (latin) {
		/* Precomposed Latin letters only: the string is NFC and its
		 * case fold is its lower case, one code point each, no longer
		 * than it is. */
		char *f = lmi_arena_alloc(a, n + 1);
		size_t j = 0;
		if (!f)
			return LM_ENOMEM;
		for (i = 0; i < n;) {
			utf8proc_int32_t c;
			i += (size_t)next_cp(t->orig + i, n - i, &c);
			j += (size_t)utf8proc_encode_char(
				utf8proc_tolower(c), (utf8proc_uint8_t *)f + j);
		}
		f[j] = '\0';
		t->fold = f;
	} else {
		utf8proc_uint8_t *f = NULL;
		utf8proc_ssize_t fn = utf8proc_map(
			(const utf8proc_uint8_t *)t->orig, (utf8proc_ssize_t)n, &f,
			UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		if (fn < 0)
			return LM_ENOMEM;
		t->fold = lmi_arena_strndup(a, (const char *)f, (size_t)fn);
		free(f);
		if (!t->fold)
			return LM_ENOMEM;
	}
	t->skel = skeleton(w, a, t->fold, strlen(t->fold), &t->cps);
	if (!t->skel)
		return LM_ENOMEM;
	if (ascii)
		t->flags |= LMI_TOK_ASCII;
	if (!lower && upper >= 2)
		t->flags |= LMI_TOK_ACRONYM;
	if (lmi_words_stop(w, t->skel))
		t->flags |= LMI_TOK_STOP;
	return LM_OK;
}

/* The Snowball stem of `s` in `a` (*skel gets its skeleton); NULL on
 * OOM. */
static const char *stem(lmi_words *w, struct sb_stemmer *st, lmi_arena *a,
                        const lmi_token *t, size_t shortest,
                        const char **skel)
{
	size_t n = strlen(t->fold), cps = 0, i, m;
	const sb_symbol *r;
	const char *out;

	/* Snowball leaves a word alone that is too short for its regions:
	 * up to 3 letters in Norwegian, 2 in English.  What it leaves alone
	 * keeps the fold's strings. */
	for (i = 0; i < n && cps <= shortest; i++)
		cps += ((unsigned char)t->fold[i] & 0xC0) != 0x80;
	if (cps <= shortest || n >= (size_t)INT_MAX / 4)
		goto same;
	r = sb_stemmer_stem(st, (const sb_symbol *)t->fold, (int)n);
	if (!r)
		return NULL;
	m = (size_t)sb_stemmer_length(st);
	if (m == n && memcmp(r, t->fold, n) == 0)
		goto same;
	out = lmi_arena_strndup(a, (const char *)r, m);
	if (!out)
		return NULL;
	*skel = skeleton(w, a, out, m, NULL);
	return *skel ? out : NULL;
same:
	*skel = t->skel;
	return t->fold;
}

int lmi_words_stem(lmi_words *w, lmi_arena *a, lmi_token *t, unsigned langs)
{
	if ((langs & LMI_LANG_NB) &&
	    !(t->nb = stem(w, w->nb, a, t, 3, &t->nb_skel)))
		return LM_ENOMEM;
	if ((langs & LMI_LANG_EN) &&
	    !(t->en = stem(w, w->en, a, t, 2, &t->en_skel)))
		return LM_ENOMEM;
	return LM_OK;
}

/* The joined form of a word of several parts. */
static int join_word(lmi_words *w, lmi_arena *a, lmi_text *tx, lmi_word *wd)
{
	lmi_buf b = {0};
	uint32_t i;
	unsigned all = LMI_TOK_ASCII | LMI_TOK_ACRONYM;

	for (i = 0; i < wd->n; i++) {
		lmi_buf_puts(&b, tx->tok[wd->first + i].orig);
		all &= tx->tok[wd->first + i].flags;
	}
	char *s = b.oom ? NULL : lmi_arena_strndup(a, b.v ? b.v : "", b.n);
	lmi_buf_free(&b);
	if (!s)
		return LM_ENOMEM;
	memset(&wd->joined, 0, sizeof(wd->joined));
	wd->joined.start = wd->start;
	wd->joined.end = wd->end;
	wd->joined.word = (uint32_t)(wd - tx->word);
	wd->joined.orig = s;
	wd->joined.flags = tx->tok[wd->first].flags & LMI_TOK_SOFT;
	if (fill_token(w, a, &wd->joined))
		return LM_ENOMEM;
	/* Joined parts are never a stop word, and an acronym only when
	 * every part is one ("CE-merking" is not). */
	wd->joined.flags &= ~(unsigned)(LMI_TOK_STOP | LMI_TOK_ACRONYM);
	wd->joined.flags |= all & LMI_TOK_ACRONYM;
	return LM_OK;
}

/* ---- the memo -------------------------------------------------------------- */

/* A token cut before with the same spelling: its forms (its SOFT flag
 * is its own), and the mark that they need no stemming.  The memo's
 * strings are in the arena the texts are cut into. */
#define TOK_MEMO 0x100u

static bool memo_get(lmi_words *w, lmi_token *t)
{
	uint32_t k;
	const lmi_token *m;

	if (!lmi_map_get(&w->memo, t->orig, &k))
		return false;
	m = &w->memo_tok.v[k];
	t->flags = (t->flags & LMI_TOK_SOFT) | (m->flags & ~(unsigned)LMI_TOK_SOFT) |
	           TOK_MEMO;
	t->cps = m->cps;
	t->fold = m->fold;
	t->skel = m->skel;
	t->nb = m->nb;
	t->nb_skel = m->nb_skel;
	t->en = m->en;
	t->en_skel = m->en_skel;
	return true;
}

static int memo_put(lmi_words *w, const lmi_token *t)
{
	uint32_t k = (uint32_t)w->memo_tok.n;
	lmi_token *m = LM_VEC_PUSH(w->memo_tok);

	if (!m)
		return LM_ENOMEM;
	*m = *t;
	return lmi_map_put(&w->memo, t->orig, k);
}

void lmi_words_memo(lmi_words *w, bool on)
{
	w->memo_on = on;
	if (!on) {
		lmi_map_free(&w->memo);
		free(w->memo_tok.v);
		memset(&w->memo_tok, 0, sizeof(w->memo_tok));
	}
}

void lmi_text_free(lmi_text *tx)
{
	if (!tx)
		return;
	free(tx->tok);
	free(tx->word);
	memset(tx, 0, sizeof(*tx));
}

int lmi_words_split(lmi_words *w, lmi_arena *a, const char *text, size_t len,
                   unsigned langs, lmi_text *out)
{
	LM_VEC(lmi_token) toks = {0};
	LM_VEC(lmi_word) words = {0};
	size_t p = 0;
	/* What lies between the previous token and the next one: how many
	 * code points, the class of the first, and whether all are spaces. */
	size_t gap_n = 0;
	int gap_first = C_HARD;
	bool gap_space = true;
	uint32_t i;
	bool cut = langs == LMI_LANG_CUT, memo = w->memo_on && cut;

	memset(out, 0, sizeof(*out));
	while (p < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = next_cp(text + p, len - p, &c);
		int cl = cp_class(c);

		if (cl != C_WORD) {
			if (gap_n++ == 0)
				gap_first = cl;
			gap_space = gap_space && cl == C_SPACE;
			p += (size_t)k;
			continue;
		}
		/* A token: the run of word characters from p. */
		size_t s = p;
		while (p < len) {
			k = next_cp(text + p, len - p, &c);
			if (cp_class(c) != C_WORD)
				break;
			p += (size_t)k;
		}
		lmi_token *t = LM_VEC_PUSH(toks);
		if (!t)
			goto fail;
		t->start = (uint32_t)s;
		t->end = (uint32_t)p;
		t->orig = lmi_arena_strndup(a, text + s, p - s);
		if (!t->orig)
			goto fail;
		bool first = toks.n == 1;
		if (!first && (gap_space || (gap_n == 1 && (gap_first == C_HYPHEN ||
		                                           gap_first == C_JOIN))))
			t->flags |= LMI_TOK_SOFT;
		if (!first && gap_n == 1 && gap_first == C_HYPHEN) {
			lmi_word *wd = &words.v[words.n - 1];
			wd->n++;
			wd->end = t->end;
		} else {
			lmi_word *wd = LM_VEC_PUSH(words);
			if (!wd)
				goto fail;
			wd->start = t->start;
			wd->end = t->end;
			wd->first = (uint32_t)(toks.n - 1);
			wd->n = 1;
		}
		t->word = (uint32_t)(words.n - 1);
		gap_n = 0;
		gap_space = true;
		if (memo && memo_get(w, t))
			continue;
		if (fill_token(w, a, t))
			goto fail;
	}
	out->tok = toks.v;
	out->n_tok = (uint32_t)toks.n;
	out->word = words.v;
	out->n_word = (uint32_t)words.n;
	toks.v = NULL;
	words.v = NULL;
	for (i = 0; i < out->n_word; i++)
		if (out->word[i].n > 1 && join_word(w, a, out, &out->word[i]))
			goto fail;

	if (!langs || cut) {
		unsigned nb = 0, en = 0;
		for (i = 0; i < out->n_tok; i++) {
			unsigned m = lmi_words_stop(w, out->tok[i].skel);
			nb += m == LMI_LANG_NB;
			en += m == LMI_LANG_EN;
		}
		langs = nb > en ? LMI_LANG_NB : en > nb ? LMI_LANG_EN
		                                         : LMI_LANG_ALL;
	}
	out->langs = langs;
	if (cut)
		langs = 0;
	for (i = 0; i < out->n_tok; i++) {
		lmi_token *t = &out->tok[i];
		if (t->flags & TOK_MEMO) {
			t->flags &= ~(unsigned)TOK_MEMO;
			continue;
		}
		if (lmi_words_stem(w, a, t, langs) || (memo && memo_put(w, t)))
			goto fail;
	}
	for (i = 0; i < out->n_word; i++)
		if (out->word[i].n > 1 &&
		    lmi_words_stem(w, a, &out->word[i].joined, langs))
			goto fail;
	return LM_OK;

fail:
	free(toks.v);
	free(words.v);
	lmi_text_free(out);
	return LM_ENOMEM;
}
