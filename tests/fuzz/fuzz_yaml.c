/* SPDX-License-Identifier: MIT */
/*
 * fuzz_yaml.c -- libFuzzer harness for the YAML loader.  Any byte string
 * loaded with lm_catalog_load_buffer, on top of a small valid catalogue,
 * must give LM_OK or LM_EINPUT (never a crash, leak, hang or other code).
 * On LM_EINPUT there is at least one diagnostic and the catalogue holds
 * exactly what it held before; on LM_OK its YAML export must load again
 * into a fresh catalogue and the plan must compute.  The loader's own
 * parse, with libyaml on a second thread and without, must give the
 * same result, records and diagnostics.
 * `make fuzz` builds it with clang and runs it over tests/fuzz/corpus/yaml.
 */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmatch.h"
#include "io/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
	"places:\n"
	"  - {id: tynset, name: Tynset, lat: 62.274, lon: 10.777}\n"
	"  - {id: magnor, name: Magnor, lat: 59.957, lon: 12.206}\n"
	"gardens: [{id: magnor, name: Magnor Næringshage, place: magnor}]\n"
	"skills:\n"
	"  - {id: export, label: Eksport}\n"
	"  - {id: se, label: Svensk marked, parent: export, aliases: [Sverige]}\n"
	"experts:\n"
	"  - {id: e-a, name: Anne, garden: magnor, home: magnor,\n"
	"     skills: {se: 4}, languages: [sv]}\n"
	"companies: [{id: c-t, name: Tynset Tre, place: tynset, garden: magnor}]\n"
	"needs: [{id: n-x, company: c-t, skills: {export: 2}, mode: hybrid}]\n";

/* The input parsed with libyaml on one thread and on two (handing over
 * three events at a time, so that every boundary case between the
 * threads occurs): the same status, record counts and diagnostics. */
static void same_on_two_threads(const uint8_t *data, size_t size)
{
	lm_catalog *b[2] = {NULL, NULL};
	lmi_err err[2];
	int rc[2];
	memset(err, 0, sizeof(err));
	for (int t = 0; t < 2; t++) {
		if (lm_catalog_new(&b[t]) != LM_OK)
			abort();
		rc[t] = lmi_yaml_parse_buffer_threads(
			b[t], "fuzz.yaml", (const char *)data, size, &err[t],
			t ? LM_YAML_THREADS_TINY : LM_YAML_THREADS_NEVER);
	}
	if (rc[0] != rc[1] || err[0].ndiags != err[1].ndiags)
		abort();
	for (size_t i = 0; i < err[0].ndiags; i++)
		if (err[0].diags[i].line != err[1].diags[i].line ||
		    err[0].diags[i].column != err[1].diags[i].column ||
		    strcmp(err[0].diags[i].message, err[1].diags[i].message))
			abort();
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		if (lm_catalog_count(b[0], (lm_kind)k) !=
		    lm_catalog_count(b[1], (lm_kind)k))
			abort();
	for (int t = 0; t < 2; t++) {
		lmi_err_free(&err[t]);
		lm_catalog_free(b[t]);
	}
}

static void counts(lm_catalog *cat, size_t *out)
{
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		out[k] = lm_catalog_count(cat, (lm_kind)k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lm_catalog *cat = NULL, *again = NULL;
	lm_plan *plan = NULL;
	char *text = NULL;
	size_t len = 0, before[LMI_KIND_COUNT], after[LMI_KIND_COUNT];
	same_on_two_threads(data, size);
	if (lm_catalog_new(&cat) != LM_OK ||
	    lm_catalog_load_buffer(cat, "base.yaml", base, sizeof(base) - 1))
		abort();
	counts(cat, before);
	int rc = lm_catalog_load_buffer(cat, "fuzz.yaml", (const char *)data,
	                                size);
	if (rc != LM_OK && rc != LM_EINPUT)
		abort();
	if (rc == LM_EINPUT) {
		counts(cat, after);
		if (lm_catalog_diag_count(cat) == 0 ||
		    memcmp(before, after, sizeof(before)) != 0)
			abort();
		goto done;
	}
	/* What was accepted must export and load back. */
	FILE *fp = open_memstream(&text, &len);
	if (!fp)
		abort();
	if (lm_catalog_export(cat, LM_FORMAT_YAML, fp) != LM_OK)
		abort();
	fclose(fp);
	if (lm_catalog_new(&again) != LM_OK ||
	    lm_catalog_load_buffer(again, "export.yaml", text, len) != LM_OK)
		abort();
	counts(cat, before);
	counts(again, after);
	if (memcmp(before, after, sizeof(before)) != 0)
		abort();
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-Q1";
	rc = lm_plan_compute(cat, NULL, 0, &o, &plan);
	if (rc != LM_OK)
		abort();
done:
	lm_plan_free(plan);
	free(text);
	lm_catalog_free(again);
	lm_catalog_free(cat);
	return 0;
}
