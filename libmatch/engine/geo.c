/* SPDX-License-Identifier: MIT */
/*
 * geo.c -- distances on the Earth for libmatch: the great-circle distance
 * (haversine) and the road distance the engine uses between an expert's
 * home and a need's location, which prefers the `distances` table and
 * otherwise scales the great circle by settings.road_factor.
 *
 * Nothing here allocates or keeps state; everything is a pure function of
 * its arguments and the catalogue's resolved layer.
 */
#include "engine/geo.h"

#include <math.h>
#include <stdio.h>


static double lmi_rad(double deg)
{
	return deg * (3.14159265358979323846 / 180.0);
}

LM_EXTERN double lm_haversine_km(double lat1, double lon1, double lat2,
                                 double lon2)
{
	double p1 = lmi_rad(lat1), p2 = lmi_rad(lat2);
	double dp = lmi_rad(lat2 - lat1), dl = lmi_rad(lon2 - lon1);
	double sp = sin(dp / 2.0), sl = sin(dl / 2.0);
	double h = sp * sp + cos(p1) * cos(p2) * sl * sl;

	/* Rounding can push h a hair past 1 for antipodal points; asin of
	 * more than 1 would be NaN. */
	if (h > 1.0)
		h = 1.0;
	if (h < 0.0)
		h = 0.0;
	return 2.0 * LM_EARTH_RADIUS_KM * asin(sqrt(h));
}

double lmi_geo_km_src(const lm_catalog *cat, uint32_t place_a, double lat_a,
                     double lon_a, uint32_t place_b, double lat_b,
                     double lon_b, bool *from_table)
{
	if (from_table)
		*from_table = false;
	if (place_a != LM_NONE && place_b != LM_NONE && place_a != place_b &&
	    cat->r.dist_map.len > 0) {
		/* The table is keyed by the two place indices, smaller first, so
		 * one entry serves both directions.  Two uint32 in decimal plus
		 * the separator fit comfortably in 32 bytes. */
		uint32_t a = place_a < place_b ? place_a : place_b;
		uint32_t b = place_a < place_b ? place_b : place_a;
		char key[32];
		uint32_t v;

		snprintf(key, sizeof key, "%u\x1f%u", (unsigned)a, (unsigned)b);
		if (lmi_map_get(&cat->r.dist_map, key, &v)) {
			if (from_table)
				*from_table = true;
			return cat->r.dist_km[v];
		}
	}
	return lm_haversine_km(lat_a, lon_a, lat_b, lon_b) * cat->eff.road_factor;
}

double lmi_geo_km(const lm_catalog *cat, uint32_t place_a, double lat_a,
                 double lon_a, uint32_t place_b, double lat_b, double lon_b)
{
	return lmi_geo_km_src(cat, place_a, lat_a, lon_a, place_b, lat_b, lon_b,
	                     NULL);
}

double lmi_geo_lat_bound_km(double lat_a, double lat_b)
{
	/* Any path between two points spans at least their difference in
	 * latitude along a meridian, so this never exceeds lm_haversine_km
	 * (up to rounding, which callers allow for). */
	return LM_EARTH_RADIUS_KM * fabs(lmi_rad(lat_a - lat_b));
}
