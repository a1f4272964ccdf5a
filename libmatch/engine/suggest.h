/* SPDX-License-Identifier: MIT */
/*
 * suggest.h -- the suggester's index of the taxonomy's words (suggest_index.c)
 * and what the matcher (suggest.c) reads of it.  docs/suggest.md has the
 * rules; words.h cuts both the names and the texts.
 *
 * Every name of a skill -- its label, its aliases and its keywords -- is
 * cut into tokens like a text.  The index maps each form a name's first
 * token can be met in (fold, stems, skeletons; "whole") to the names, and
 * the forms of one-token names that are long enough to be a part of a
 * compound to those names ("pre": the start of a longer word, "suf": its
 * end).  One index per catalogue, built on first use and kept in the slot
 * cat->r.suggest, so that it goes with the resolved layer it was built
 * from.  It owns its stemmers (words.h): a catalogue is one thread's at
 * a time, so they are too.
 */
#ifndef LMI_SUGGEST_H
#define LMI_SUGGEST_H

#include "engine/words.h"
#include "model/catalog.h"

#include <string.h>

/* The compound rule (docs/suggest.md): a one-token name is found inside a
 * longer word only when it has LMI_SG_MIN_PART code points or more and
 * the rest of the word LMI_SG_MIN_REST or more. */
#define LMI_SG_MIN_PART 4
#define LMI_SG_MIN_HEAD 5
#define LMI_SG_MIN_REST 3
/* A first part also leaves this many code points of the word's stem. */
#define LMI_SG_MIN_STEM_REST 2
/* A text token written in capitals is an acronym, matched unstemmed,
 * only up to this many code points ("HMS", "HACCP"; not "EKSPORTEN"). */
#define LMI_SG_ACRONYM_MAX 5

/* How a name's token is compared with a text's token. */
enum {
	LMI_SG_STEM,    /* fold, Snowball stems, skeletons */
	LMI_SG_ACRONYM, /* fold and skeleton only: "ERP", "HMS" */
	LMI_SG_STOP,    /* a stop word inside a phrase: by skeleton */
	LMI_SG_EXACT    /* a name that is one stop word ("IT", "SoMe"): only
	                 * the same letters in the same case */
};

/* Where a name comes from. */
enum { LMI_SG_LABEL, LMI_SG_ALIAS, LMI_SG_KEYWORD };

typedef struct lmi_sg_tok {
	const char *orig, *fold, *skel;
	const char *nb, *nb_skel, *en, *en_skel;
	uint32_t cps;       /* code points of the skeleton */
	uint32_t fold_cps;  /* code points of the fold */
	unsigned kind;      /* LMI_SG_* */
} lmi_sg_tok;

typedef struct lmi_sg_name {
	uint32_t skill;
	uint32_t tok, ntok; /* its tokens in the index's `tok` */
	uint32_t content;   /* tokens that are not stop words */
	unsigned origin;    /* LMI_SG_LABEL, ... */
} lmi_sg_name;

/* A string -> list of name indices map (a CSR behind a lmi_map). */
typedef struct lmi_sg_post {
	lmi_map map;        /* key -> list number */
	uint32_t *off;      /* list i is id[off[i] .. off[i + 1]) */
	uint32_t *id;
	size_t n_lists;
} lmi_sg_post;

/* The index's maps: what a key is.  The stems' maps are built when the
 * first text in their language comes (lmi_suggest_index_stem). */
enum {
	LMI_SG_WORD,     /* a name's first token as written: fold, skeleton */
	LMI_SG_WORD_NB,  /* ... its Norwegian stem and the stem's skeleton */
	LMI_SG_WORD_EN,  /* ... its English stem and the stem's skeleton */
	LMI_SG_STOPWORD, /* a stop word starting a phrase, by skeleton */
	LMI_SG_SPELLING, /* a one-stop-word name, as spelt ("IT", "SoMe") */
	LMI_SG_PRE,      /* one-token names as a compound's first part: fold */
	LMI_SG_PRE_SKEL, /* ... its skeleton, when not the fold */
	LMI_SG_SUF,      /* ... as its last part: fold */
	LMI_SG_SUF_SKEL, /* ... its skeleton, when not the fold */
	LMI_SG_SUF_NB,   /* ... its Norwegian stem */
	LMI_SG_SUF_NB_SKEL, /* ... the stem's skeleton, when not the stem */
	LMI_SG_MAPS
};

struct lmi_suggest_index {
	lmi_words words;
	lmi_arena arena;    /* every string of the index */
	lmi_sg_tok *tok;
	size_t n_tok;
	lmi_sg_name *name;
	size_t n_name;
	unsigned langs;     /* LMI_LANG_* the names are stemmed in so far */
	/* Keys are the tokens' own strings (in `arena`): a text token looks
	 * up its forms as they are.  Only a text word in ASCII looks up
	 * skeletons, so that "øst" never finds "ost". */
	lmi_sg_post map[LMI_SG_MAPS];
	size_t max_part;    /* bytes of the longest key of a part map */
	uint32_t n_skills;
	uint32_t *parent;   /* the skill's parent or LM_NONE */
};

/* Is `name` the stem `stem` and one code point more, and its own stem
 * `name_stem` shorter than `stem` (suggest.c)? */
bool lmi_sg_stem_plus_one(const char *stem, const char *name,
                          const char *name_stem);

/* Is forms[i] a string none of forms[0..i) is (NULL ones count as none)?
 * A token's forms often coincide (a fold that is its own stem), and the
 * index posts and looks up each once. */
static inline bool lmi_sg_new_form(const char *const *forms, size_t i)
{
	size_t j;

	if (!forms[i])
		return false;
	for (j = 0; j < i; j++)
		if (forms[j] && strcmp(forms[i], forms[j]) == 0)
			return false;
	return true;
}

/* The catalogue's index, built if it is not there yet (its names cut and
 * folded, not stemmed); NULL on OOM (the message in cat->err). */
struct lmi_suggest_index *lmi_suggest_index_get(lm_catalog *cat);
/* Stem the names in the languages of `langs` they are not stemmed in yet,
 * with their maps.  LM_OK or LM_ENOMEM (then the index is as it was). */
int lmi_suggest_index_stem(struct lmi_suggest_index *ix, unsigned langs);

/* The names posted under `key` (n set to their number). */
const uint32_t *lmi_sg_post_get(const lmi_sg_post *p, const char *key,
                                size_t *n);

#endif /* LMI_SUGGEST_H */
