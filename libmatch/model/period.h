/* SPDX-License-Identifier: MIT */
/*
 * period.h -- quarters and dates as libmatch reads and writes them
 * (period.c): a quarter is YYYY-QN, read in any case and always written
 * "2027-Q1"; a date is YYYY-MM-DD, a real day of the Gregorian calendar.
 * Years are 1900..9999.  Both have a comparable number (0 is "none").
 */
#ifndef LMI_PERIOD_H
#define LMI_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bytes of a quarter's text with its NUL, "2027-Q1". */
#define LMI_PERIOD_SIZE 8

/* s[0..len) as a quarter, strictly YYYY-QN (the Q in any case): *q is
 * year * 4 + quarter - 1, which orders quarters (never 0). */
bool lmi_period_parse(const char *s, size_t len, uint32_t *q);
/* Quarter q (from lmi_period_parse) as "YYYY-QN" into buf. */
void lmi_period_format(uint32_t q, char buf[LMI_PERIOD_SIZE]);
/* The period a caller gave (NULL: the current quarter, in local time) as
 * "YYYY-QN" in out and its number in *q (may be NULL).  False when `s` is
 * not a quarter YYYY-QN (any case), or the current quarter is unknown. */
bool lmi_period_canon(const char *s, char out[LMI_PERIOD_SIZE], uint32_t *q);
/* s[0..len) as a date, strictly YYYY-MM-DD and a day that exists (29
 * February only in leap years): *ymd is year * 10000 + month * 100 + day,
 * which orders dates (never 0). */
bool lmi_date_parse(const char *s, size_t len, uint32_t *ymd);

#endif /* LMI_PERIOD_H */
