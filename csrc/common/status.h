/*
 * status.h -- error codes shared by every n1codec C function.
 *
 * Contract: every fallible function returns an n1_status. N1_OK (0) means
 * success; every other value is negative and names what went wrong. No function
 * prints, aborts or exits. n1_status_message() maps a code to a static English
 * sentence (never NULL), which the Python layer puts into its exception.
 */
#ifndef N1_STATUS_H
#define N1_STATUS_H

typedef enum n1_status {
    N1_OK = 0,
    N1_ERR_TRUNCATED = -1,    /* the input stream ended before the data it announced */
    N1_ERR_CORRUPT = -2,      /* the input stream holds values no encoder writes */
    N1_ERR_OUTPUT_FULL = -3,  /* the caller's output buffer is too small */
    N1_ERR_NOMEM = -4,        /* an allocation failed */
    N1_ERR_INVALID_ARG = -5,  /* a parameter is outside its documented range */
    N1_ERR_UNSUPPORTED = -6,  /* a valid stream uses a feature this build lacks */
    N1_ERR_TOO_LARGE = -7     /* a size exceeds what the format or this build allows */
} n1_status;

const char *n1_status_message(int status);

#endif
