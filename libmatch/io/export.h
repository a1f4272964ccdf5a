/* SPDX-License-Identifier: MIT */
/*
 * export.h -- writing a merged catalogue back out as YAML or JSON that
 * `match load` reads again (export.c).
 */
#ifndef LMI_EXPORT_H
#define LMI_EXPORT_H

#include "model/catalog.h"

#include <stdio.h>

/* Write the catalogue as YAML or JSON (export.c). */
int lmi_export(const lm_catalog *cat, lm_format format, FILE *fp, lmi_err *err);

/* Record i of kind k as its export writes it (JSON, one line), in
 * *out (malloc'd, *len bytes): two records that give the same text are
 * the same record for a load (store_load.c counts what a load changed
 * by it).  Numbers are written in the caller's locale: switch to the
 * C locale (uselocale) around the calls.  LM_OK or LM_ENOMEM. */
int lmi_export_record(const lm_catalog *cat, lm_kind k, uint32_t i,
                      char **out, size_t *len);

#endif /* LMI_EXPORT_H */
