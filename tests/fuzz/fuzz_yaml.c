/*
 * fuzz_yaml.c -- libFuzzer harness for the YAML loader: any byte string
 * fed to lm_catalog_load_buffer must give LM_OK or LM_EINPUT (never a
 * crash, leak, hang or other code) and, on failure, leave the catalogue
 * as it was.  Build with clang, linking every source of libmatch/:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L
 *     -D_DEFAULT_SOURCE -Iinclude -Ilibmatch tests/fuzz/fuzz_yaml.c
 *     LIBMATCH_SOURCES -lyaml -lutf8proc -lsqlite3 -lm -o build/fuzz_yaml
 *   build/fuzz_yaml -max_total_time=60 tests/data/good tests/data/bad
 */
#include <stdint.h>
#include <stdlib.h>

#include "libmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lm_catalog *cat = NULL;
	if (lm_catalog_new(&cat) != LM_OK)
		abort();
	int rc = lm_catalog_load_buffer(cat, "fuzz.yaml", (const char *)data,
	                                size);
	if (rc != LM_OK && rc != LM_EINPUT)
		abort();
	if (rc == LM_EINPUT && (lm_catalog_diag_count(cat) == 0 ||
	                        lm_catalog_count(cat, LM_PLACE) != 0))
		abort();
	lm_catalog_free(cat);
	return 0;
}
