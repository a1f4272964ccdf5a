/* SPDX-License-Identifier: MIT */
/*
 * image.h -- the engine image: what the engine reads of the experts of a
 * catalogue, laid out so that a ranking reads only the experts it may
 * score, without parsing or merging anything.
 *
 * Why: ranking one need scores a few thousand of 100,000 experts, but
 * reading experts as rows (SQL steps, strings, id maps, the merge) costs
 * about 2.5 us an expert, and even a flat copy of every expert is 15 MB.
 * lm_db_load writes an image of the merged catalogue in the same
 * transaction as the rows; lm_db_rank_need reads everything else as rows
 * (places, gardens, skills, settings, distances, the one need and its
 * company), opens the image on that catalogue, loads the candidate-index
 * entries of the skills the need's candidates come from, asks the engine
 * for the candidates (score.h), and loads just those experts.
 *
 * An image is a few parts, each stored as one value (a row of
 * engine_image), so that reading a small piece of one part never walks
 * through the others:
 *
 *   part 0  the header; post_off uint32[S+1]: skill s has
 *           post_off[s+1] - post_off[s] index entries; rec_off
 *           uint32[N+1]: expert e's record is bytes [rec_off[e],
 *           rec_off[e+1]) of part 1
 *   part 1  the experts' records, in index (id) order:
 *             flags      uint8: 1 remote, 2 home given as coordinates,
 *                        4 own travel limit, 8 own capacity, 16 retired,
 *                        32 capacity per quarter
 *             home       uint32 place index (without flag 2)
 *             lat, lon   double (with flag 2; else the place's)
 *             garden     uint32
 *             max_km     double (with flag 4; else the default)
 *             capacity   int32 (with flag 8; else the default)
 *             availability  count (varint), then quarter (uint32, year
 *                        * 4 + quarter - 1, ascending) and capacity
 *                        (int32) pairs (with flag 32; else none)
 *             skills     count (varint), then indices (1, 2 or 4 bytes as
 *                        the header says, ascending), then levels (uint8)
 *             conflicts  count (varint), then company ids (NUL-terminated)
 *             languages  count (varint), then NUL-terminated strings
 *             id, name   NUL-terminated
 *   part 2 + s  the candidate-index entries of skill s (score.h): expert
 *           uint32[], level uint8[] (the remote flag in bit 7), home
 *           latitude double[]
 *
 * Numbers are in the machine's byte order and sizes (checked by the
 * header): an image is a cache of rows of the same database, not an
 * exchange format.  It refers to places, gardens and skills by index, so
 * the header carries a fingerprint of them (ids in index order, place
 * coordinates, the settings that become per-expert defaults): opening it
 * on a catalogue with other records fails.  Companies are named by id: a
 * ranking reads only its need's company, and an expert's conflicts with
 * other companies cannot matter to it.  What is read is checked
 * (structure and value ranges) before it is used, so a damaged image is
 * refused or, where the damage is a value the rows could hold too (a
 * level 3 made 4), believed: never followed out of bounds.
 */
#ifndef LMI_IMAGE_H
#define LMI_IMAGE_H

#include "model/catalog.h"

#include <stdatomic.h>

/* The parts of an image, from lmi_image_build. */
typedef struct lmi_image_parts {
	void **data;    /* malloc'd, each */
	size_t *len;
	size_t n;
} lmi_image_parts;

/* The part holding the index entries of skill s. */
#define LM_IMAGE_POSTINGS(s) (2 + (size_t)(s))

/* An image of the experts of merged catalogue `cat` (it builds the
 * candidate index if needed).  LM_OK, LM_ENOMEM (message in cat->err),
 * or LM_ERROR when the catalogue is too large for 32-bit offsets (there
 * is then no image).  Free the parts with lmi_image_parts_free. */
int lmi_image_build(lm_catalog *cat, lmi_image_parts *out);
/* The same, given up (LM_ECANCELED, no parts) soon after *stop turns true:
 * a load that fails does not wait for the whole build. */
int lmi_image_build_until(lm_catalog *cat, const atomic_bool *stop,
                         lmi_image_parts *out);
void lmi_image_parts_free(lmi_image_parts *p);

/* How an image is read: the size of a part, and bytes of it. */
typedef struct lmi_image_reader {
	/* The bytes in part `part`, or -1 when there is no such part. */
	int64_t (*size)(void *ctx, size_t part);
	/* Read `n` bytes at `offset` of part `part` into `dst`: LM_OK,
	 * LM_ERROR when the part is missing or shorter, or an error the
	 * reader recorded. */
	int (*read)(void *ctx, size_t part, void *dst, size_t n,
	            uint64_t offset);
	void *ctx;
} lmi_image_reader;

/* Open the image read through `rd` on the one need of `cat` (a merged
 * catalogue with one need, no experts and no engagements), or for the
 * ad-hoc `query` when it is not NULL (then `cat` has no needs), with
 * options `opts`, and load what ranking that need reads: the candidate-index
 * entries of the skills related to its required skills, then the
 * engine's candidates for it (every expert when no required skill
 * narrows them).  Afterwards the catalogue holds exactly those experts,
 * as experts 0..n-1 in the image's order, with their resolved arrays
 * (languages in r.expert_lang), ids and names; the other fields of their
 * records are empty, and there is no candidate index: they are all
 * candidates (candidates.c).  *list (malloc'd) maps them back: expert i
 * is image expert (*list)[i].  The reader is not used after the call.
 *
 * LM_ERROR when the image does not fit the catalogue or is damaged: its
 * structure (offsets, counts against the parts' sizes, indices, strings)
 * and its values (the ranges the schema's CHECKs allow in the rows) are
 * checked before anything is used or allocated by them.  Also LM_ENOMEM,
 * the scorer's errors (LM_EINVAL for bad options; a query's own errors,
 * LM_ENOTFOUND for an unknown skill), or the reader's.
 * After an error the catalogue is not usable. */
int lmi_image_load_for(lm_catalog *cat, const lm_query *query,
                      const lm_match_options *opts,
                      const lmi_image_reader *rd, uint32_t **list, size_t *n);

/* Open the image read through `rd` on `cat` (a merged catalogue with no
 * experts and no engagements) and load the one expert with id `id`: the
 * catalogue then holds it as expert 0, found by its id, and *index is its
 * index in the image.  LM_ENOTFOUND when the image has no such expert;
 * other errors as lmi_image_load_for's. */
int lmi_image_load_expert(lm_catalog *cat, const lmi_image_reader *rd,
                         const char *id, uint32_t *index);

/* How many experts the image opened on `cat` (by lmi_image_load_for or
 * lmi_image_load_expert) holds: as many as the rows it was made of.  0
 * when the catalogue was not loaded from an image. */
uint32_t lmi_image_expert_total(const lm_catalog *cat);

/* Add an engagement of a catalogue loaded by lmi_image_load_for or
 * lmi_image_load_expert (for the capacity its experts have left): of need id `need` and expert id
 * `expert` in `period`.  One of an expert not loaded is left out: the
 * ranking cannot show that expert.  LM_OK, LM_ENOMEM, or LM_ERROR when
 * the catalogue was not loaded from an image. */
int lmi_image_add_engagement(lm_catalog *cat, const char *period,
                            const char *need, const char *expert);

/* Free what an opened image owns; the catalogue calls it through the
 * slot cat->r.image when it drops its resolved layer. */
struct lmi_image;
void lmi_image_free(struct lmi_image *im);

#endif /* LMI_IMAGE_H */
