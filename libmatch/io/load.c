/* SPDX-License-Identifier: MIT */
/*
 * load.c -- the YAML loading entry points of a catalogue: parse into a
 * fresh batch (io/yaml.h), then merge it (model/merge.c), so that a load
 * is all or nothing.  lmi_load_batch (load.h) is the parsing half, which
 * the store's lm_db_load shares.
 *
 * The public entry points always free the batch.  On success the
 * catalogue has taken over the batch's records and memory; on any failure
 * the catalogue is exactly as before and cat->err holds the message and
 * diagnostics.
 */
#include "io/load.h"
#include "io/yaml.h"

int lmi_load_batch(const char *const *paths, size_t npaths,
                   lm_catalog **batch_out, lmi_err *err)
{
	lm_catalog *batch = NULL;
	*batch_out = NULL;
	int rc = lm_catalog_new(&batch);
	if (rc == LM_OK)
		rc = lmi_yaml_parse_paths(batch, paths, npaths, err);
	if (rc != LM_OK) {
		/* Partial records of a failed parse are never merged. */
		lm_catalog_free(batch);
		return rc;
	}
	*batch_out = batch;
	return LM_OK;
}

/* Shared tail of both entry points: merge a parsed batch, free it. */
static int finish(lm_catalog *cat, lm_catalog *batch, int rc)
{
	if (rc == LM_OK)
		rc = lmi_catalog_merge(cat, batch, &cat->err);
	if (rc == LM_OK)
		rc = lmi_engagement_notes(cat, &cat->err);
	else if (rc == LM_ENOMEM && !cat->err.msg)
		lmi_err_set(&cat->err, rc, "out of memory while loading");
	lm_catalog_free(batch);
	return rc;
}

int lm_catalog_load_paths(lm_catalog *cat, const char *const *paths,
                          size_t npaths)
{
	lm_catalog *batch = NULL;
	int rc;

	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (npaths && !paths)
		return lmi_err_set(&cat->err, LM_EINVAL, "no paths given");
	rc = lmi_load_batch(paths, npaths, &batch, &cat->err);
	return finish(cat, batch, rc);
}

int lm_catalog_load_buffer(lm_catalog *cat, const char *name,
                           const char *data, size_t len)
{
	lm_catalog *batch = NULL;
	int rc;

	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!data && len)
		return lmi_err_set(&cat->err, LM_EINVAL, "no data given");
	rc = lm_catalog_new(&batch);
	if (rc != LM_OK)
		return lmi_err_set(&cat->err, rc, "out of memory while loading");
	rc = lmi_yaml_parse_buffer(batch, name, data, len, &cat->err);
	return finish(cat, batch, rc);
}
