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
 *                        4 own travel limit, 8 own capacity
 *             home       uint32 place index (without flag 2)
 *             lat, lon   double (with flag 2; else the place's)
 *             garden     uint32
 *             max_km     double (with flag 4; else the default)
 *             capacity   int32 (with flag 8; else the default)
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
 * other companies cannot matter to it.  Every offset,
 * index and string read is checked, so a damaged image is refused, never
 * followed.
 */
#ifndef LM_IMAGE_H
#define LM_IMAGE_H

#include "internal.h"

/* The parts of an image, from lm_image_build. */
typedef struct lm_image_parts {
	void **data;    /* malloc'd, each */
	size_t *len;
	size_t n;
} lm_image_parts;

/* The part holding the index entries of skill s. */
#define LM_IMAGE_POSTINGS(s) (2 + (size_t)(s))

/* An image of the experts of merged catalogue `cat` (it builds the
 * candidate index if needed).  LM_OK, LM_ENOMEM (message in cat->err),
 * or LM_ERROR when the catalogue is too large for 32-bit offsets (there
 * is then no image).  Free the parts with lm_image_parts_free. */
int lm_image_build(lm_catalog *cat, lm_image_parts *out);
void lm_image_parts_free(lm_image_parts *p);

/* How an image is read: the size of a part, and bytes of it. */
typedef struct lm_image_reader {
	/* The bytes in part `part`, or -1 when there is no such part. */
	int64_t (*size)(void *ctx, size_t part);
	/* Read `n` bytes at `offset` of part `part` into `dst`: LM_OK,
	 * LM_ERROR when the part is missing or shorter, or an error the
	 * reader recorded. */
	int (*read)(void *ctx, size_t part, void *dst, size_t n,
	            uint64_t offset);
	void *ctx;
} lm_image_reader;

/* Open the image read through `rd` (copied) on merged catalogue `cat`, which must
 * hold no experts and no engagements.  On LM_OK the catalogue counts the
 * image's N experts but has neither their records nor their arrays, only
 * an empty candidate index: enough for lm_candidates, nothing else, until
 * lm_image_load_experts.  LM_ERROR when the image does not fit the
 * catalogue or is damaged (the catalogue unchanged), LM_ENOMEM, or the
 * reader's error.  Nothing is allocated in proportion to a count before
 * the parts' sizes have confirmed it. */
int lm_image_open(lm_catalog *cat, const lm_image_reader *rd);

/* Load the candidate-index entries of the skills s with want[s]; call
 * once, before lm_candidates.  Errors as lm_image_open's (LM_ERROR:
 * damaged). */
int lm_image_load_postings(lm_catalog *cat, const bool *want);

/* Load experts list[0..n) (strictly ascending image indices): afterwards
 * the catalogue holds exactly these, as experts 0..n-1 in the same order,
 * with their resolved arrays, ids, names and languages (the other record
 * fields are empty), and no candidate index: they are the candidates of
 * the need they were loaded for, and lm_candidates returns them all.
 * Call once.  Errors as lm_image_open's; after an error the catalogue is
 * not usable. */
int lm_image_load_experts(lm_catalog *cat, const uint32_t *list, size_t n);

/* All of the above for the one need of `cat` (a merged catalogue with
 * one need, no experts and no engagements) and options `opts`: open the
 * image, load the index entries of the skills related to the need's
 * required skills, take the engine's candidates for the need and load
 * them (every expert when no required skill narrows them).  On LM_OK
 * *list (malloc'd) holds the n image indices of the experts loaded, in
 * order: expert i of the catalogue is image expert (*list)[i].  Errors as
 * lm_image_open's, or the scorer's (LM_EINVAL for bad options); after an
 * error the catalogue is not usable.  The reader is forgotten on return. */
int lm_image_load_for(lm_catalog *cat, const lm_match_options *opts,
                      const lm_image_reader *rd, uint32_t **list, size_t *n);

/* Forget the reader (it is valid only while the stored image is open);
 * what was loaded stays. */
void lm_image_close_reader(lm_catalog *cat);

/* Free what an opened image owns (resolved_free calls it). */
void lm_image_free(struct lm_image *im);

#endif /* LM_IMAGE_H */
