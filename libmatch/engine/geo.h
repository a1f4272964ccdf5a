/* SPDX-License-Identifier: MIT */
/*
 * geo.h -- geography for the engine: road km between two places or
 * points, from the distances table where it has the pair, else the
 * great-circle distance (lm_haversine_km, on the Earth radius of the
 * public header, LM_EARTH_RADIUS_KM) times the road factor.
 */
#ifndef LMI_GEO_H
#define LMI_GEO_H

#include "model/catalog.h"

/* Road km between place/coordinates, using the distances table for place
 * pairs (place indices, LM_NONE for bare coordinates), else haversine *
 * road_factor. */
double lmi_geo_km(const lm_catalog *cat, uint32_t place_a, double lat_a,
                 double lon_a, uint32_t place_b, double lat_b, double lon_b);
/* lmi_geo_km, also telling whether the distances table gave the value. */
double lmi_geo_km_src(const lm_catalog *cat, uint32_t place_a, double lat_a,
                     double lon_a, uint32_t place_b, double lat_b,
                     double lon_b, bool *from_table);
/* A lower bound of the great-circle km between two latitudes (meridian
 * arc), for cheap rejections before the haversine. */
double lmi_geo_lat_bound_km(double lat_a, double lat_b);

#endif /* LMI_GEO_H */
