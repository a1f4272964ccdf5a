/* SPDX-License-Identifier: MIT */
/*
 * period.c -- quarters (YYYY-QN) and dates (YYYY-MM-DD) parsed strictly
 * and turned into numbers that order them (period.h).  One parser for
 * every place a quarter or a date is read: the YAML reader (engagement
 * periods, a need's from/until, an expert's availability, retired dates)
 * and the merge, which resolves them for the engine.
 */
#include "model/period.h"

#include "libmatch.h"

#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 9999

/* n decimal digits at s as a number; false if one is not a digit. */
static bool digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool lmi_period_parse(const char *s, size_t len, uint32_t *q)
{
	unsigned year, quarter;
	if (len != 7 || !digits(s, 4, &year) || s[4] != '-' ||
	    (s[5] != 'Q' && s[5] != 'q') || !digits(s + 6, 1, &quarter) ||
	    year < YEAR_MIN || year > YEAR_MAX || quarter < 1 || quarter > 4)
		return false;
	*q = (uint32_t)(year * 4 + quarter - 1);
	return true;
}

void lmi_period_format(uint32_t q, char buf[LMI_PERIOD_SIZE])
{
	snprintf(buf, LMI_PERIOD_SIZE, "%04u-Q%u", (unsigned)(q / 4 % 10000),
	         (unsigned)(q % 4 + 1));
}

bool lmi_period_canon(const char *s, char out[LMI_PERIOD_SIZE], uint32_t *q)
{
	char cur[16];
	uint32_t v;
	if (!s) {
		if (lm_period_current(-1, cur, sizeof(cur)) != LM_OK)
			return false;
		s = cur;
	}
	if (!lmi_period_parse(s, strlen(s), &v))
		return false;
	lmi_period_format(v, out);
	if (q)
		*q = v;
	return true;
}

bool lmi_date_parse(const char *s, size_t len, uint32_t *ymd)
{
	static const unsigned char mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned y, m, d;
	if (len != 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*ymd = (uint32_t)(y * 10000 + m * 100 + d);
	return true;
}
