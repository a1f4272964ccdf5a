/* SPDX-License-Identifier: MIT */
/*
 * words.h -- the words of a text as the suggester sees them (words.c):
 * tokens cut by Unicode category, each folded (NFC + case fold), its
 * skeleton (the fold without diacritics, æ -> ae, ø -> o, aa -> a, for
 * text typed without æ/ø/å), stop word or not, and its Snowball stems,
 * Norwegian and English.  The rules are those of docs/suggest.md.
 *
 * A text is cut into words (runs of letters, marks and digits joined by
 * single hyphens: "HMS-systemet" is one word) and each word into tokens
 * (its hyphen parts: "HMS", "systemet").  A word of several parts also
 * has its joined form ("hmssystemet"), so that "nett-butikk" finds
 * "nettbutikk".
 *
 * A lmi_words holds the two stemmers, which are not thread-safe: one
 * lmi_words belongs to one suggest index (and so to one catalogue, which
 * is one thread's at a time), never to the process.
 */
#ifndef LMI_WORDS_H
#define LMI_WORDS_H

#include "model/util.h"

struct sb_stemmer;

/* Languages, as bits: which stemmers a text is stemmed with. */
#define LMI_LANG_NB 1u /* Norwegian bokmål (Snowball "norwegian") */
#define LMI_LANG_EN 2u /* English (Snowball "english") */
#define LMI_LANG_ALL (LMI_LANG_NB | LMI_LANG_EN)
/* For lmi_words_split: cut and fold only, stem later (lmi_words_stem). */
#define LMI_LANG_CUT 4u

/* Flags of a token. */
enum {
	/* Only horizontal space, or one joining character (hyphen, '.',
	 * '&', apostrophe) lies between the previous token and this one:
	 * a phrase may continue across it.  Anything else (a comma, a
	 * full stop and a space, a dash, a line break) ends phrases. */
	LMI_TOK_SOFT = 1,
	LMI_TOK_ASCII = 2,   /* written in ASCII only (may lack æ/ø/å) */
	LMI_TOK_ACRONYM = 4, /* no lower-case letter, two upper-case or more */
	LMI_TOK_STOP = 8     /* a stop word (by its skeleton) */
};

typedef struct lmi_token {
	uint32_t start, end;  /* bytes of the text */
	uint32_t word;        /* index of its word */
	unsigned flags;       /* LMI_TOK_* */
	uint32_t cps;         /* code points of the skeleton */
	const char *orig;     /* as written */
	const char *fold;     /* NFC + case fold */
	const char *skel;     /* the skeleton (ASCII for Latin text) */
	/* Stems of the fold and their skeletons; NULL for a language the
	 * token was not stemmed in. */
	const char *nb, *nb_skel;
	const char *en, *en_skel;
} lmi_token;

typedef struct lmi_word {
	uint32_t start, end;  /* bytes of the text */
	uint32_t first, n;    /* its tokens */
	lmi_token joined;     /* the parts written together; only when n > 1 */
} lmi_word;

typedef struct lmi_text {
	lmi_token *tok;
	uint32_t n_tok;
	lmi_word *word;
	uint32_t n_word;
	unsigned langs;       /* the languages the tokens were stemmed in
	                       * (detected ones with LMI_LANG_CUT too) */
} lmi_text;

typedef struct lmi_words {
	struct sb_stemmer *nb, *en;
	lmi_map stop;         /* skeleton -> LMI_LANG_* bits of its lists */
	lmi_arena arena;      /* keys of `stop` */
	lmi_buf scratch;      /* for building one skeleton */
	/* lmi_words_memo: forms of the tokens cut so far, by spelling */
	bool memo_on;
	lmi_map memo;
	LM_VEC(lmi_token) memo_tok;
} lmi_words;

/* Create the stemmers and the stop word table.  LM_OK or LM_ENOMEM (also
 * when libstemmer lacks a language). */
int lmi_words_init(lmi_words *w);
void lmi_words_free(lmi_words *w);

/* Cut text[0..len) (valid UTF-8, checked by the caller) into words and
 * tokens, every string in `a`.  `langs` are the languages to stem in;
 * 0 means: decide from the text's stop words (Norwegian when it has more
 * Norwegian-only than English-only stop words, English for the opposite,
 * both on a tie); LMI_LANG_CUT: none yet (out->langs still says which
 * the text is in).  LM_OK or LM_ENOMEM; on LM_OK free `out` with
 * lmi_text_free. */
int lmi_words_split(lmi_words *w, lmi_arena *a, const char *text, size_t len,
                   unsigned langs, lmi_text *out);

/* Stem a cut token in `langs` (its nb/nb_skel, en/en_skel), strings in
 * `a`.  LM_OK or LM_ENOMEM. */
int lmi_words_stem(lmi_words *w, lmi_arena *a, lmi_token *t, unsigned langs);

/* With `on`, every text only cut (LMI_LANG_CUT) is remembered token by
 * token, and a token spelt as one before takes its forms instead of being
 * folded again: for the many names of an index, which repeat their
 * words.  All of them must be cut into the same arena, which must outlive
 * the memo.  Off forgets it all. */
void lmi_words_memo(lmi_words *w, bool on);

/* Free the arrays of a split text (its strings are in the arena). */
void lmi_text_free(lmi_text *tx);

/* LMI_LANG_* bits of the stop word lists that hold this skeleton, or 0. */
unsigned lmi_words_stop(const lmi_words *w, const char *skel);

/* Whether a token with this skeleton makes its sentence ask for something
 * ("trenger", "hjelp", "hvordan", "need", "how" ...). */
bool lmi_words_request(const char *skel);

#endif /* LMI_WORDS_H */
