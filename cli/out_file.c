/* SPDX-License-Identifier: MIT */
/*
 * out_file.c -- a document written to the file a command names ("-":
 * stdout).  A regular file, or one that is not there yet, is written to
 * a temporary file beside it and renamed into place, so that a failure
 * leaves no half-written file; anything else (a pipe, a device) is
 * written directly.
 */
#include "out.h"

#include "libmatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file `tmp` made the file `path` (rc LM_OK), or removed
 * (rc a failure).  mkstemp made it 0600; the document is an ordinary
 * file, with the mode the umask gives. */
static int put_in_place(char *tmp, const char *path, int rc, int *sys_errno)
{
	mode_t um = umask(0);
	umask(um);
	if (!rc && (chmod(tmp, 0666 & ~um) != 0 || rename(tmp, path) != 0)) {
		*sys_errno = errno;
		rc = LM_EIO;
	}
	if (rc)
		remove(tmp);
	free(tmp);
	return rc;
}

int out_write_file(const char *path, out_writer write, void *ctx,
                   int *sys_errno)
{
	*sys_errno = 0;
	if (!strcmp(path, "-")) {
		/* main() reports a failed write to stdout, as for every command. */
		return write(ctx, stdout);
	}
	struct stat st;
	FILE *fp;
	char *tmp = NULL;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fp = fopen(path, "w");
	} else {
		if (!(tmp = out_strf("%s.XXXXXX", path)))
			return LM_ENOMEM;
		int fd = mkstemp(tmp);
		fp = fd < 0 ? NULL : fdopen(fd, "w");
		if (!fp && fd >= 0) {
			*sys_errno = errno;
			close(fd);
			remove(tmp);
			free(tmp);
			return LM_EIO;
		}
	}
	if (!fp) {
		*sys_errno = errno;
		free(tmp);
		return LM_EIO;
	}
	int rc = write(ctx, fp);
	errno = 0;
	bool bad = ferror(fp) != 0;
	if (fclose(fp) != 0 || bad) {
		*sys_errno = errno ? errno : EIO;
		if (!rc)
			rc = LM_EIO;
	}
	return tmp ? put_in_place(tmp, path, rc, sys_errno) : rc;
}
