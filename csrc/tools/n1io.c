/* n1io.c -- whole-file reads and atomic writes (contract in n1io.h). */
#define _POSIX_C_SOURCE 200809L
#include "n1io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file being written, removed by the signal handler on an interrupt.
 * The program's only mutable static state, and only for that handler. */
static char pending_tmp[4096];
static volatile sig_atomic_t pending_active;

static void remove_pending_and_exit(int sig)
{
    if (pending_active)
        unlink(pending_tmp);
    _exit(128 + sig);
}

int n1_io_read(const char *path, uint8_t **data, size_t *len, char *msg, size_t cap)
{
    struct stat st;
    size_t got = 0;
    uint8_t *buf;
    int fd = open(path, O_RDONLY);
    *data = NULL;
    if (fd < 0) {
        snprintf(msg, cap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, cap, "cannot read %s: %s", path,
                 S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
        close(fd);
        return -1;
    }
    buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
    if (!buf) {
        close(fd);
        snprintf(msg, cap, "cannot read %s: not enough memory", path);
        return -1;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(msg, cap, "cannot read %s: %s", path, n < 0 ? strerror(errno) : "it shrank while being read");
            free(buf);
            close(fd);
            return -1;
        }
        got += (size_t)n;
    }
    close(fd);
    *data = buf;
    *len = got;
    return 0;
}

/* The refusals that come before any byte is written. */
static int check_target(const char *path, int force, const char *input, char *msg, size_t cap)
{
    struct stat out, in;
    if (stat(path, &out) != 0)
        return 0;  /* absent (or unreachable: the temp file's creation will say why) */
    if (input && stat(input, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        snprintf(msg, cap, "input and output are the same file (%s); the input is never overwritten", path);
        return -1;
    }
    if (S_ISDIR(out.st_mode)) {
        snprintf(msg, cap, "%s is a directory", path);
        return -1;
    }
    if (!force) {
        snprintf(msg, cap, "%s exists; pass --force to overwrite it", path);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int n1_io_write_atomic(const char *path, const uint8_t *data, size_t len, int force,
                       const char *input, char *msg, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    mode_t mask;
    int fd, saved, failed;
    if (check_target(path, force, input, msg, cap) != 0)
        return -1;
    if ((size_t)snprintf(pending_tmp, sizeof pending_tmp, "%.*s.%s.tmp.XXXXXX", (int)dir_len, path,
                         path + dir_len) >= sizeof pending_tmp) {
        snprintf(msg, cap, "cannot write %s: the path is too long", path);
        return -1;
    }
    signal(SIGINT, remove_pending_and_exit);
    signal(SIGTERM, remove_pending_and_exit);
    signal(SIGHUP, remove_pending_and_exit);
    fd = mkstemp(pending_tmp);
    if (fd < 0) {
        snprintf(msg, cap, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    pending_active = 1;
    mask = umask(0);
    umask(mask);
    failed = write_all(fd, data, len) != 0 || fchmod(fd, 0666 & ~mask) != 0;
    saved = errno;
    if (close(fd) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed && rename(pending_tmp, path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(pending_tmp);
        pending_active = 0;
        snprintf(msg, cap, "cannot write %s: %s", path, strerror(saved));
        return -1;
    }
    pending_active = 0;
    return 0;
}
