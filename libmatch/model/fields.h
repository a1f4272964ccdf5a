/* SPDX-License-Identifier: MIT */
/*
 * fields.h -- every record kind described once: a table of its fields
 * (key, type, required, where the value sits in the record, range,
 * default, column, the noun of messages) and one of the settings, which
 * the YAML reader (io/yaml_records.c), the exporter (io/export.c) and the
 * store's row readers and writers (io/store_read.c, io/store_load.c,
 * io/store_vtab.c) walk, in the table's order -- as Redis's
 * static_configs[] describes every setting once.  Adding a field is a row
 * here, its column in io/store_schema.h, and its tests.
 *
 * It describes records; it reads and writes nothing.  fields.c holds the
 * tables and the few generic accesses (a field's value in a record,
 * whether it was given, a record with its defaults).
 */
#ifndef LMI_FIELDS_H
#define LMI_FIELDS_H

#include "model/catalog.h"

#include <stddef.h>

/* The types of a field, and what sits at its offsets in the record. */
typedef enum lmi_ftype {
	LMI_T_STR,     /* const char *: one line of text; NULL when absent */
	LMI_T_REF,     /* lmi_ref: a record of kind `ref` by id or name */
	LMI_T_NUM,     /* double in [lo, hi] (more than lo with lo_open) */
	LMI_T_INT,     /* int, a whole number in [lo, hi] */
	LMI_T_BOOL,    /* int: dflt (-1) when absent, else 0 or 1 */
	LMI_T_FLAG,    /* bool: false unless given true */
	LMI_T_ENUM,    /* int: an index of names[], read in any case */
	LMI_T_PERIOD,  /* const char *: a quarter, YYYY-QN */
	LMI_T_DATE,    /* const char *: a day, YYYY-MM-DD */
	LMI_T_TEXT,    /* const char *: free text, newlines allowed, at most
	                  hi bytes */
	LMI_T_LOC,     /* a place (lmi_ref at off) or coordinates: bool at
	                  off_coords, doubles at off_lat and off_lon */
	LMI_T_STRS,    /* const char ** at off, uint32_t count at off_count,
	                  with LMI_F_POS an lmi_pos * of each at off_pos */
	LMI_T_REFS,    /* lmi_ref * at off, uint32_t count at off_count */
	LMI_T_LEVELS,  /* lmi_level_rec * at off, uint32_t count at off_count:
	                  skill: level (LMI_F_LONG: or {level, weight,
	                  optional}, lmi_level_desc) */
	LMI_T_AVAIL    /* lmi_availability_rec * at off, uint32_t count at
	                  off_count: quarter: capacity in [lo, hi] */
} lmi_ftype;

/* Flags of a field. */
#define LMI_F_REQUIRED 0x01u /* the key must be given */
#define LMI_F_NULLABLE 0x02u /* a YAML null is as if the key were absent */
#define LMI_F_POS      0x04u /* the value's position is kept at off_pos */
#define LMI_F_EXPORT_DEFAULT 0x08u /* exported even when it is dflt */
#define LMI_F_STORE_DEFAULT  0x10u /* stored even when it is dflt (the
                                      column is NOT NULL) */
#define LMI_F_REPEATS  0x20u /* values many records share (a garden, a
                                language): the store reads one copy */
#define LMI_F_LONG     0x40u /* LEVELS: the long form is allowed */

typedef struct lmi_field {
	const char *key;        /* the YAML (and JSON) key */
	lmi_ftype type;
	unsigned flags;         /* LMI_F_* */
	size_t off;             /* offsetof the value in the record */
	size_t off_count;       /* lists: the uint32_t count */
	size_t off_pos;         /* LMI_F_POS: the lmi_pos (lists: lmi_pos *) */
	size_t off_coords, off_lat, off_lon; /* LOC */
	double lo, hi;          /* NUM, INT, AVAIL: the range; TEXT: hi the
	                           most bytes; a team's REFS: how many */
	bool lo_open;           /* NUM: more than lo, not lo itself */
	double dflt;            /* NUM, INT, BOOL, ENUM: the value when the
	                           key is absent; also the value that is not
	                           exported or stored */
	const char *noun;       /* names the value in range messages
	                           ("latitude"), a list's item in others
	                           ("language"); NULL: the key */
	lm_kind ref;            /* REF, REFS, LOC: the kind referred to */
	const char *const *names; /* ENUM: names[0..n_names), lower case */
	size_t n_names;
	/* Another key that stands for this one: exactly one of the two is
	 * given (the required one is named when neither is). */
	const char *alt;
	/* Storage: a column of the kind's table (lists: as JSON), from
	 * schema version `since` on; a list kept in rows of its own is in
	 * table `child` (parent column: the kind's noun, then pos, then
	 * `child_value`), from `since` on when it has no column, or before
	 * `since` when it has one (where it was kept then).  NULL column
	 * and child: not stored (LOC: column_lat and column_lon hold the
	 * coordinates). */
	const char *column;
	const char *column_lat, *column_lon;
	int since;
	const char *child, *child_value;
} lmi_field;

/* A field whose value is a const char * (STR, PERIOD, DATE, TEXT). */
static inline bool lmi_ftype_text(lmi_ftype t)
{
	return t == LMI_T_STR || t == LMI_T_PERIOD || t == LMI_T_DATE ||
	       t == LMI_T_TEXT;
}

/* The most bytes of a free text (a need's description). */
#define LMI_TEXT_MAX 4000

/* The most fields a kind has (readers size arrays by it). */
#define LMI_FIELDS_MAX 24

/* A record kind. */
typedef struct lmi_kind_desc {
	lm_kind kind;
	const char *noun;       /* "place", in messages */
	const char *plural;     /* "places": its YAML key and SQL table */
	size_t size;            /* of its record */
	size_t off_pos;         /* the record's lmi_pos */
	const lmi_field *fields;
	size_t n_fields;
	/* Its table's primary key: ON CONFLICT of a write, ORDER BY of a
	 * read.  Columns not in it are replaced by a write. */
	const char *key_columns;
	/* A column only an INSERT sets, and its SQL value; NULL: none. */
	const char *insert_column, *insert_value;
} lmi_kind_desc;

/* The kinds, indexed by lm_kind. */
extern const lmi_kind_desc lmi_kinds[LMI_KIND_COUNT];

/* Sub-records: a place given as {lat, lon} (lmi_coords), and a need's
 * skill in the long form {level, weight, optional} (lmi_level_rec). */
typedef struct lmi_coords {
	double lat, lon;
} lmi_coords;
extern const lmi_kind_desc lmi_coords_desc;
extern const lmi_kind_desc lmi_level_desc;

/* Room for a record of any kind, built before it is added to a batch. */
typedef union lmi_any_rec {
	lmi_place_rec place;
	lmi_garden_rec garden;
	lmi_skill_rec skill;
	lmi_expert_rec expert;
	lmi_company_rec company;
	lmi_need_rec need;
	lmi_distance_rec distance;
	lmi_engagement_rec engagement;
} lmi_any_rec;

/* ---- values in a record ---------------------------------------------------- */

/* The member of type T at byte offset `off` of record `rec`. */
#define LMI_AT(T, rec, off) ((T *)(void *)((char *)(rec) + (off)))
#define LMI_CAT(T, rec, off) \
	((T const *)(const void *)((const char *)(rec) + (off)))

/* A NUM, INT, BOOL or ENUM field as a number, and set from one. */
double lmi_field_num(const lmi_field *f, const void *rec);
void lmi_field_set_num(const lmi_field *f, void *rec, double v);
/* Whether the record holds a value for f other than its default (a
 * required field always does): what an export writes (with the default
 * too under LMI_F_EXPORT_DEFAULT), and what the store keeps as other
 * than NULL (LMI_F_STORE_DEFAULT). */
bool lmi_field_given(const lmi_field *f, const void *rec);
/* The field of kind `kd` with key `key`, or NULL. */
const lmi_field *lmi_field_find(const lmi_kind_desc *kd, const char *key);
/* Every field of `rec` set to its default (the rest left as they are). */
void lmi_record_init(const lmi_kind_desc *kd, void *rec);

/* *dst = *src (records of kind kd) with the text of its fields (strings,
 * references' ids) copied into `a`; its lists and position still point
 * to src's.  LM_OK or LM_ENOMEM. */
int lmi_record_copy_text(const lmi_kind_desc *kd, void *dst, const void *src,
                         lmi_arena *a);

/* Record i of kind k (not bounds-checked). */
void *lmi_record_at(const lm_catalog *c, lm_kind k, size_t i);
/* A new record of kind k appended to batch b, with its defaults; NULL
 * on OOM. */
void *lmi_record_add(lm_catalog *b, lm_kind k);

/* ---- settings ---------------------------------------------------------------- */

/* A setting: its key, where its value sits in lmi_settings_rec, whether
 * it is a whole number, its default and its range (checked at merge
 * time: lo < v with lo_open, else lo <= v; and v <= hi). */
typedef struct lmi_setting_desc {
	const char *key;
	size_t off;           /* of a double, or of an int (is_int) */
	bool is_int;
	double dflt;
	double lo, hi;
	bool lo_open;
} lmi_setting_desc;

/* Indexed by LM_SET_*. */
extern const lmi_setting_desc lmi_settings[LM_SET_COUNT];

/* Every setting of `s` to its default, none given. */
void lmi_settings_init(lmi_settings_rec *s);
double lmi_setting_get(const lmi_settings_rec *s, int key);
/* A whole-number setting out of int range becomes -1, which its range
 * refuses. */
void lmi_setting_set(lmi_settings_rec *s, int key, double v);

#endif /* LMI_FIELDS_H */
