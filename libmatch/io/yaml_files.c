/* SPDX-License-Identifier: MIT */
/*
 * yaml_files.c -- the YAML reader's entry points (io/yaml.h): files named
 * by the caller, folders walked in name order for their *.yaml and *.yml
 * files, and buffers in memory.  Each file or buffer is held to the size
 * limit and parsed as one document stream (yaml_records.c reading the
 * events of yaml_events.c).  A YAML syntax error or a broken limit stops
 * that file only; the call's status says whether anything was reported.
 * A folder without any YAML file is a problem; a *.yaml of a folder that
 * is not a regular file is a note (lmi_err_note), not read.
 *
 * Memory: a file's contents are malloc'd here and freed once it is
 * parsed; its name is copied into the batch's arena for positions.
 */
#include "io/yaml_parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files ------------------------------------------------------------------ */

/* Set the name used in positions from now on. */
static int set_file(yctx *c, const char *name)
{
	c->file = lmi_arena_strdup(&c->b->arena, name);
	return c->file ? LM_OK : LM_ENOMEM;
}

/* Parse one whole document stream from memory (c->file already set). */
static int parse_data(yctx *c, const char *data, size_t len)
{
	int rc;

	if (len > LM_YAML_MAX_BYTES) {
		lmi_yaml_diag(c, 1, 1, "file is %zu bytes; the limit is %zu",
		              len, LM_YAML_MAX_BYTES);
		return c->nomem ? LM_ENOMEM : LM_OK;
	}
	rc = lmi_yaml_source_open(c, data, len);
	if (rc != LM_OK)
		return rc;
	rc = lmi_yaml_parse_stream(c);
	lmi_yaml_source_close(c);
	if (rc == STOP)
		rc = LM_OK;
	if (rc == LM_OK && c->nomem)
		rc = LM_ENOMEM;
	return rc;
}

/* Read and parse one file.  Any extension is accepted for a file named
 * by the caller; the size limit is checked before reading. */
static int parse_file(yctx *c, const char *path)
{
	int rc = LM_OK;
	char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path, strerror(EISDIR));
		goto cleanup;
	}
	rc = set_file(c, path);
	if (rc != LM_OK)
		goto cleanup;
	c->nfiles++;
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > LM_YAML_MAX_BYTES) {
		lmi_yaml_diag(c, 1, 1, "file is %jd bytes; the limit is %zu",
		              (intmax_t)st.st_size, LM_YAML_MAX_BYTES);
		goto cleanup;
	}
	/* A regular file's size is a good first guess; pipes and devices
	 * grow the buffer up to one byte past the limit. */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024;
	buf = malloc(cap);
	if (!buf) {
		rc = LM_ENOMEM;
		goto cleanup;
	}
	for (;;) {
		if (len == cap) {
			if (cap > LM_YAML_MAX_BYTES)
				break;
			size_t ncap = cap * 2 > LM_YAML_MAX_BYTES + 1
				? LM_YAML_MAX_BYTES + 1 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				rc = LM_ENOMEM;
				goto cleanup;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
			                strerror(errno));
			goto cleanup;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > LM_YAML_MAX_BYTES) {
		lmi_yaml_diag(c, 1, 1,
		              "file is more than %zu bytes; the limit is %zu",
		              LM_YAML_MAX_BYTES, LM_YAML_MAX_BYTES);
		goto cleanup;
	}
	rc = parse_data(c, buf, len);
cleanup:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A *.yaml file of a folder that is not a regular file (a FIFO, a socket,
 * a device) is not read: reading a FIFO would wait for a writer, and a
 * device could be endless.  Said as a note, which does not fail the load;
 * a file named on the command line is read whatever it is. */
static int skipped_note(yctx *c, const char *path)
{
	lmi_pos pos = {NULL, 0, 0};
	int rc = set_file(c, path);
	pos.file = c->file;
	if (rc == LM_OK)
		rc = lmi_err_note(c->err, &pos, "skipped: not a regular file");
	return rc;
}

/* Parse every *.yaml / *.yml below dir, in name order, skipping names
 * that start with '.' and symlinked folders.  Recursion is bounded by
 * LM_YAML_MAX_DIR_DEPTH. */
static int walk_dir(yctx *c, const char *dir, int depth)
{
	int rc = LM_OK;
	char **names = NULL;
	size_t n = 0, cap = 0;
	char *path = NULL;
	DIR *d = opendir(dir);

	if (!d)
		return lmi_err_set(c->err, LM_EIO, "%s: %s", dir, strerror(errno));
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				rc = lmi_err_set(c->err, LM_EIO, "%s: %s", dir,
				                strerror(errno));
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		char **slot = lmi_vec_push((void **)&names, &n, &cap,
		                          sizeof(*names));
		if (!slot || !(*slot = strdup(de->d_name))) {
			if (slot)
				n--;
			rc = LM_ENOMEM;
			break;
		}
	}
	closedir(d);
	if (rc != LM_OK)
		goto cleanup;
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	size_t dlen = strlen(dir);
	bool slash = dlen > 0 && dir[dlen - 1] == '/';
	for (size_t i = 0; i < n && rc == LM_OK; i++) {
		size_t nlen = strlen(names[i]);
		free(path);
		path = malloc(dlen + nlen + 2);
		if (!path) {
			rc = LM_ENOMEM;
			break;
		}
		memcpy(path, dir, dlen);
		if (!slash)
			path[dlen] = '/';
		memcpy(path + dlen + !slash, names[i], nlen + 1);

		struct stat st;
		if (lstat(path, &st) != 0) {
			rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
			                strerror(errno));
			break;
		}
		bool link = S_ISLNK(st.st_mode);
		if (link && stat(path, &st) != 0) {
			/* A dangling link is an error only where a file
			 * would have been read. */
			if (yaml_name(names[i]))
				rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
				                strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (link)
				continue;
			if (depth + 1 > LM_YAML_MAX_DIR_DEPTH) {
				rc = set_file(c, path);
				if (rc == LM_OK)
					lmi_yaml_diag(c, 0, 0,
					              "folders nested deeper than "
					              "%d levels; not read",
					              LM_YAML_MAX_DIR_DEPTH);
				continue;
			}
			rc = walk_dir(c, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && yaml_name(names[i])) {
			rc = parse_file(c, path);
		} else if (yaml_name(names[i])) {
			rc = skipped_note(c, path);
		}
	}
cleanup:
	free(path);
	lmi_strv_free(names, n);
	return rc;
}

/* ---- entry points ------------------------------------------------------------ */

static int ctx_init(yctx *c, lm_catalog *batch, lmi_err *err)
{
	memset(c, 0, sizeof(*c));
	c->b = batch;
	c->err = err;
	c->replay = SIZE_MAX;
	c->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	return c->cloc ? LM_OK : LM_ENOMEM;
}

/* Free the context; the final status from the run's status. */
static int ctx_finish(yctx *c, int rc)
{
	lmi_yaml_events_free(c);
	if (c->cloc)
		freelocale(c->cloc);
	if (rc == LM_OK && c->nomem)
		rc = LM_ENOMEM;
	if (rc == LM_OK && c->ndiag)
		rc = LM_EINPUT;
	return rc;
}

int lmi_yaml_parse_paths(lm_catalog *batch, const char *const *paths,
                        size_t npaths, lmi_err *err)
{
	yctx c;
	int rc;

	if (!batch || !err || (npaths && !paths))
		return LM_EINVAL;
	rc = ctx_init(&c, batch, err);
	for (size_t i = 0; i < npaths && rc == LM_OK; i++) {
		struct stat st;
		if (!paths[i]) {
			rc = lmi_err_set(err, LM_EINVAL, "path %zu is NULL", i);
		} else if (stat(paths[i], &st) != 0) {
			rc = lmi_err_set(err, LM_EIO, "%s: %s", paths[i],
			                strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			size_t before = c.nfiles;
			rc = walk_dir(&c, paths[i], 0);
			/* A folder given on purpose that holds nothing to load
			 * is a mistake (a wrong path), as no path at all is. */
			if (rc == LM_OK && c.nfiles == before) {
				c.ndiag++;
				if (lmi_err_diag(err, NULL, "no YAML file found in "
				                 "%s (*.yaml or *.yml)", paths[i]) ==
				    LM_ENOMEM)
					c.nomem = true;
			}
		} else {
			rc = parse_file(&c, paths[i]);
		}
	}
	return ctx_finish(&c, rc);
}

int lmi_yaml_parse_buffer(lm_catalog *batch, const char *name,
                         const char *data, size_t len, lmi_err *err)
{
	return lmi_yaml_parse_buffer_threads(batch, name, data, len, err,
	                                    LM_YAML_THREADS_AUTO);
}

int lmi_yaml_parse_buffer_threads(lm_catalog *batch, const char *name,
                                 const char *data, size_t len, lmi_err *err,
                                 lmi_yaml_threads threads)
{
	yctx c;
	int rc;

	if (!batch || !err || (!data && len))
		return LM_EINVAL;
	rc = ctx_init(&c, batch, err);
	c.threads = threads;
	if (rc == LM_OK)
		rc = set_file(&c, name ? name : "(buffer)");
	if (rc == LM_OK)
		rc = parse_data(&c, data, len);
	return ctx_finish(&c, rc);
}

