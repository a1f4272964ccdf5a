/* SPDX-License-Identifier: MIT */
/*
 * store_schema.h -- the SQL schema of a libmatch database, one version per
 * constant, for store_open.c, which creates and upgrades a database (and
 * for tests/test_image.c, which builds a database of an old version).
 *
 * The tables are normalised: one row per record, child tables for lists
 * (skill aliases, expert skills, languages, conflicts, need skills), and
 * every reference is a foreign key to a canonical id (the loader resolves
 * names and aliases before anything is written).  A value the profile did
 * not give is stored as NULL, not as its default, so that an export writes
 * back what was loaded and a later change of a default applies to it.
 *
 * A database is recognised by PRAGMA application_id (LM_DB_APPLICATION_ID)
 * and versioned by PRAGMA user_version (LM_DB_SCHEMA_VERSION).  A new
 * schema version gets its own constant here and an upgrade step in
 * store_open.c; an old constant is never edited.
 */
#ifndef LMI_STORE_SCHEMA_H
#define LMI_STORE_SCHEMA_H

/* 0x4c4d6174, "LMat" in ASCII: marks the file as a libmatch database (the
 * application_id pragma; file(1) and other tools can recognise it).  In
 * decimal because it is spliced into a PRAGMA statement. */
#define LM_DB_APPLICATION_ID 1280139636
#define LM_DB_SCHEMA_VERSION 4

/* Schema version 1, one statement per string (NULL-terminated), executed
 * in order inside a write transaction by store_open.c, which then sets
 * user_version and application_id. */
static const char *const lmi_schema_v1[] = {
	"CREATE TABLE places (\n"
	"  id   TEXT PRIMARY KEY NOT NULL,\n"
	"  name TEXT NOT NULL,\n"
	"  lat  REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),\n"
	"  lon  REAL NOT NULL CHECK (lon BETWEEN -180 AND 180)\n"
	")",
	"CREATE TABLE gardens (\n"
	"  id    TEXT PRIMARY KEY NOT NULL,\n"
	"  name  TEXT NOT NULL,\n"
	"  place TEXT NOT NULL REFERENCES places(id)\n"
	")",
	/* A parent may be written after its child within one load. */
	"CREATE TABLE skills (\n"
	"  id     TEXT PRIMARY KEY NOT NULL,\n"
	"  label  TEXT NOT NULL,\n"
	"  parent TEXT REFERENCES skills(id) DEFERRABLE INITIALLY DEFERRED\n"
	")",
	"CREATE TABLE skill_aliases (\n"
	"  skill TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,\n"
	"  pos   INTEGER NOT NULL,\n"
	"  alias TEXT NOT NULL,\n"
	"  PRIMARY KEY (skill, pos)\n"
	") WITHOUT ROWID",
	/* A company sits at a place or at coordinates, never both. */
	"CREATE TABLE companies (\n"
	"  id     TEXT PRIMARY KEY NOT NULL,\n"
	"  name   TEXT NOT NULL,\n"
	"  place  TEXT REFERENCES places(id),\n"
	"  lat    REAL,\n"
	"  lon    REAL,\n"
	"  garden TEXT REFERENCES gardens(id),\n"
	"  CHECK ((place IS NOT NULL AND lat IS NULL AND lon IS NULL) OR\n"
	"         (place IS NULL AND lat IS NOT NULL AND lon IS NOT NULL))\n"
	")",
	/* NULL capacity / max_travel_km / remote: the settings' default. */
	"CREATE TABLE experts (\n"
	"  id            TEXT PRIMARY KEY NOT NULL,\n"
	"  name          TEXT NOT NULL,\n"
	"  garden        TEXT NOT NULL REFERENCES gardens(id),\n"
	"  home          TEXT REFERENCES places(id),\n"
	"  home_lat      REAL,\n"
	"  home_lon      REAL,\n"
	"  capacity      INTEGER CHECK (capacity >= 0),\n"
	"  max_travel_km REAL CHECK (max_travel_km >= 0),\n"
	"  remote        INTEGER CHECK (remote IN (0, 1)),\n"
	"  CHECK ((home IS NOT NULL AND home_lat IS NULL AND home_lon IS NULL) OR\n"
	"         (home IS NULL AND home_lat IS NOT NULL AND home_lon IS NOT NULL))\n"
	")",
	"CREATE TABLE expert_skills (\n"
	"  expert TEXT NOT NULL REFERENCES experts(id) ON DELETE CASCADE,\n"
	"  skill  TEXT NOT NULL REFERENCES skills(id),\n"
	"  level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),\n"
	"  PRIMARY KEY (expert, skill)\n"
	") WITHOUT ROWID",
	"CREATE TABLE expert_languages (\n"
	"  expert TEXT NOT NULL REFERENCES experts(id) ON DELETE CASCADE,\n"
	"  pos    INTEGER NOT NULL,\n"
	"  lang   TEXT NOT NULL,\n"
	"  PRIMARY KEY (expert, pos)\n"
	") WITHOUT ROWID",
	"CREATE TABLE expert_conflicts (\n"
	"  expert  TEXT NOT NULL REFERENCES experts(id) ON DELETE CASCADE,\n"
	"  pos     INTEGER NOT NULL,\n"
	"  company TEXT NOT NULL REFERENCES companies(id),\n"
	"  PRIMARY KEY (expert, pos)\n"
	") WITHOUT ROWID",
	/* NULL max_km: no limit of its own. */
	"CREATE TABLE needs (\n"
	"  id       TEXT PRIMARY KEY NOT NULL,\n"
	"  company  TEXT NOT NULL REFERENCES companies(id),\n"
	"  title    TEXT,\n"
	"  mode     TEXT NOT NULL DEFAULT 'onsite'\n"
	"           CHECK (mode IN ('onsite', 'remote', 'hybrid')),\n"
	"  experts  INTEGER NOT NULL DEFAULT 1 CHECK (experts >= 0),\n"
	"  language TEXT,\n"
	"  max_km   REAL CHECK (max_km > 0)\n"
	")",
	"CREATE TABLE need_skills (\n"
	"  need     TEXT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,\n"
	"  pos      INTEGER NOT NULL,\n"
	"  skill    TEXT NOT NULL REFERENCES skills(id),\n"
	"  level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),\n"
	"  weight   REAL NOT NULL DEFAULT 1,\n"
	"  optional INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1)),\n"
	"  PRIMARY KEY (need, pos)\n"
	") WITHOUT ROWID",
	/* Kept as written (a = from, b = to); a load keeps at most one row
	 * per unordered pair. */
	"CREATE TABLE distances (\n"
	"  a  TEXT NOT NULL REFERENCES places(id),\n"
	"  b  TEXT NOT NULL REFERENCES places(id),\n"
	"  km REAL NOT NULL CHECK (km >= 0),\n"
	"  PRIMARY KEY (a, b)\n"
	") WITHOUT ROWID",
	/* Only the keys a profile gave; the rest are the library's defaults. */
	"CREATE TABLE settings (\n"
	"  key   TEXT PRIMARY KEY NOT NULL,\n"
	"  value REAL NOT NULL\n"
	") WITHOUT ROWID",
	"CREATE TABLE engagements (\n"
	"  period       TEXT NOT NULL,\n"
	"  need         TEXT NOT NULL REFERENCES needs(id),\n"
	"  expert       TEXT NOT NULL REFERENCES experts(id),\n"
	"  score        REAL NOT NULL DEFAULT 0,\n"
	"  committed_at TEXT NOT NULL,\n"
	"  PRIMARY KEY (period, need, expert)\n"
	") WITHOUT ROWID",
	/* Child-key indexes: foreign-key checks and the capacity re-check of
	 * lm_db_commit_plan would otherwise scan whole tables. */
	"CREATE INDEX gardens_place ON gardens(place)",
	"CREATE INDEX skills_parent ON skills(parent)",
	"CREATE INDEX companies_place ON companies(place)",
	"CREATE INDEX companies_garden ON companies(garden)",
	"CREATE INDEX experts_garden ON experts(garden)",
	"CREATE INDEX experts_home ON experts(home)",
	"CREATE INDEX expert_skills_skill ON expert_skills(skill)",
	"CREATE INDEX expert_conflicts_company ON expert_conflicts(company)",
	"CREATE INDEX needs_company ON needs(company)",
	"CREATE INDEX need_skills_skill ON need_skills(skill)",
	"CREATE INDEX distances_b ON distances(b)",
	"CREATE INDEX engagements_expert ON engagements(period, expert)",
	"CREATE INDEX engagements_need ON engagements(need)",
	"CREATE INDEX engagements_expert_any ON engagements(expert)",
	NULL
};

/*
 * Schema version 2 adds the engine image (libmatch/io/image.h): a cache of
 * what the engine reads of the experts, written by every load in the same
 * transaction as the rows, so that ranking one need reads a few MB
 * instead of every expert row.  It is only a cache: the triggers below
 * drop it whenever an expert's rows change by any other means (SQL by
 * hand), or a company an expert's conflicts may name is deleted or
 * renamed; the image also carries a fingerprint of the places, gardens,
 * skills and defaults its indices and values depend on.  A load drops the
 * triggers while it writes rows and creates them again before COMMIT.
 * A version 1 database can still be read (without an image); a load or
 * 'match init' upgrades it.
 */
static const char *const lmi_schema_v2[] = {
	"CREATE TABLE engine_image (\n"
	"  part INTEGER PRIMARY KEY,\n"
	"  data BLOB NOT NULL\n"
	")",
	NULL
};

/* The oldest schema this libmatch reads. */
#define LM_DB_SCHEMA_READABLE 1

/*
 * Schema version 3 keeps an expert's skills and languages in the expert's
 * row, as JSON text, where versions 1 and 2 had a row for each in
 * expert_skills and expert_languages: a national load of 100,000 experts
 * writes 100,000 rows instead of 650,000, which was most of its time
 * (docs/performance.md).  Views of the old names give SQL the same rows
 * as before, read-only.
 *
 *   skills     a JSON object, canonical skill id -> level (an integer
 *              1..5), in skill id order: {"accounting":4,"tax-law":3}
 *   languages  a JSON array of the languages in the order given:
 *              ["nb","en"]; NULL when the profile gave none
 *
 * SQLite does not check what is inside them (a foreign key cannot point
 * out of a JSON value); every libmatch write is checked before it is made
 * and every read checks the values again (store_json.c).  The child-key
 * indexes on experts(garden) and experts(home) go too: they served only
 * foreign-key checks when a garden or place is deleted, which libmatch
 * never does, and cost a load a fifth of its time.
 *
 * The upgrade keeps language order by position and sorts skills by id;
 * the statements run in order in the write transaction of the upgrade.
 */
static const char *const lmi_schema_v3[] = {
	"ALTER TABLE experts ADD COLUMN skills TEXT NOT NULL DEFAULT '{}'",
	"ALTER TABLE experts ADD COLUMN languages TEXT",
	/* The ORDER BY of a subquery feeding an aggregate is the order the
	 * aggregate sees (SQLite does not flatten such a subquery);
	 * tests/test_image.c checks the languages keep theirs. */
	"UPDATE experts SET\n"
	"  skills = coalesce((SELECT json_group_object(skill, level) FROM\n"
	"    (SELECT skill, level FROM expert_skills\n"
	"     WHERE expert = experts.id ORDER BY skill)), '{}'),\n"
	"  languages = (SELECT CASE WHEN count(*) > 0\n"
	"                 THEN json_group_array(lang) END FROM\n"
	"    (SELECT lang FROM expert_languages\n"
	"     WHERE expert = experts.id ORDER BY pos))",
	"DROP TABLE expert_skills",
	"DROP TABLE expert_languages",
	"DROP INDEX IF EXISTS experts_garden",
	"DROP INDEX IF EXISTS experts_home",
	"CREATE VIEW expert_skills (expert, skill, level) AS\n"
	"  SELECT e.id, j.key, j.value\n"
	"  FROM experts AS e, json_each(e.skills) AS j",
	"CREATE VIEW expert_languages (expert, pos, lang) AS\n"
	"  SELECT e.id, j.key, j.value\n"
	"  FROM experts AS e, json_each(e.languages) AS j",
	NULL
};

/*
 * Schema version 4 (round 2 of the data model) adds, all optional and
 * NULL when not given:
 *
 *   needs.team          1..8 (a team need takes one team: experts is 1)
 *   needs.status        'open', 'done' or 'withdrawn' (NULL: open)
 *   needs.period_from   the first quarter it is for, "YYYY-QN"
 *   needs.period_until  the last one, not before period_from
 *   needs.description   free text, at most 4,000 bytes
 *   needs.retired, experts.retired, companies.retired
 *                       the day it was retired, "YYYY-MM-DD"
 *   experts.availability  capacity per quarter, a JSON object of quarter
 *                       -> 0..1000 in quarter order: {"2027-Q1":0}
 *   skill_keywords      a skill's keywords, like skill_aliases
 *   meta                data_version, 1 when created, and one more for
 *                       every load that changes a row, so that a reader
 *                       can tell that the profiles changed since it read
 *                       them
 *
 * The CHECKs hold the forms libmatch writes; a load checks more (real
 * dates, the form of availability) before it writes.
 */
static const char *const lmi_schema_v4[] = {
	"ALTER TABLE needs ADD COLUMN team INTEGER\n"
	"  CHECK (team BETWEEN 1 AND 8 AND (team = 1 OR experts = 1))",
	"ALTER TABLE needs ADD COLUMN status TEXT\n"
	"  CHECK (status IN ('open', 'done', 'withdrawn'))",
	"ALTER TABLE needs ADD COLUMN period_from TEXT\n"
	"  CHECK (period_from GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]')",
	"ALTER TABLE needs ADD COLUMN period_until TEXT\n"
	"  CHECK (period_until GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]' AND\n"
	"         (period_from IS NULL OR period_until >= period_from))",
	"ALTER TABLE needs ADD COLUMN description TEXT\n"
	"  CHECK (length(CAST(description AS BLOB)) BETWEEN 1 AND 4000)",
	"ALTER TABLE needs ADD COLUMN retired TEXT\n"
	"  CHECK (retired GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')",
	"ALTER TABLE experts ADD COLUMN retired TEXT\n"
	"  CHECK (retired GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')",
	"ALTER TABLE experts ADD COLUMN availability TEXT",
	"ALTER TABLE companies ADD COLUMN retired TEXT\n"
	"  CHECK (retired GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')",
	"CREATE TABLE skill_keywords (\n"
	"  skill   TEXT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,\n"
	"  pos     INTEGER NOT NULL,\n"
	"  keyword TEXT NOT NULL,\n"
	"  PRIMARY KEY (skill, pos)\n"
	") WITHOUT ROWID",
	"CREATE TABLE meta (\n"
	"  key   TEXT PRIMARY KEY NOT NULL,\n"
	"  value\n"
	") WITHOUT ROWID",
	"INSERT INTO meta (key, value) VALUES ('data_version', 1)",
	NULL
};

/* The triggers that drop the engine image: name, table, event.  Version
 * 2 also had them on expert_skills and expert_languages, which version 3
 * drops with those tables. */
static const char *const lmi_image_triggers[][3] = {
	{"engine_image_experts_ins", "experts", "INSERT"},
	{"engine_image_experts_upd", "experts", "UPDATE"},
	{"engine_image_experts_del", "experts", "DELETE"},
	{"engine_image_conflicts_ins", "expert_conflicts", "INSERT"},
	{"engine_image_conflicts_upd", "expert_conflicts", "UPDATE"},
	{"engine_image_conflicts_del", "expert_conflicts", "DELETE"},
	{"engine_image_companies_id", "companies", "UPDATE OF id"},
	{"engine_image_companies_del", "companies", "DELETE"},
};

#endif /* LMI_STORE_SCHEMA_H */
