/* status.c -- human-readable messages for n1_status codes (see status.h). */
#include "status.h"

const char *n1_status_message(int status)
{
    switch (status) {
    case N1_OK: return "success";
    case N1_ERR_TRUNCATED: return "the compressed stream is truncated";
    case N1_ERR_CORRUPT: return "the compressed stream is corrupt";
    case N1_ERR_OUTPUT_FULL: return "the output buffer is too small";
    case N1_ERR_NOMEM: return "out of memory";
    case N1_ERR_INVALID_ARG: return "invalid argument";
    case N1_ERR_UNSUPPORTED: return "the stream uses an unsupported feature";
    case N1_ERR_TOO_LARGE: return "a size exceeds the supported maximum";
    default: return "unknown error";
    }
}
