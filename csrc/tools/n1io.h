/*
 * n1io.h -- file input and safe file output for the n1c program (POSIX).
 *
 * n1_io_read(path, &data, &len, msg, cap)
 *   Reads a whole regular file into a malloc'd buffer (non-NULL, the caller
 *   frees). Returns 0, or -1 with a one-line message ("cannot read PATH: why").
 *
 * n1_io_write_atomic(path, data, len, force, input, msg, cap)
 *   Writes to a temporary file in the output's folder, then renames it over
 *   `path`, so a failure or an interrupt (SIGINT, SIGTERM, SIGHUP) leaves no
 *   partial output. Refuses, before writing anything: an existing `path`
 *   without force, a directory, and `path` being the file `input` (the input is
 *   never overwritten, even with force). The file gets the usual permissions
 *   (0666 less the umask). Returns 0, or -1 with a one-line message.
 */
#ifndef N1_TOOLS_IO_H
#define N1_TOOLS_IO_H

#include <stddef.h>
#include <stdint.h>

int n1_io_read(const char *path, uint8_t **data, size_t *len, char *msg, size_t cap);
int n1_io_write_atomic(const char *path, const uint8_t *data, size_t len, int force,
                       const char *input, char *msg, size_t cap);

#endif
