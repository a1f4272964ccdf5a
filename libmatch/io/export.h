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

#endif /* LMI_EXPORT_H */
