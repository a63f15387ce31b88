/*
 * n1_api.c -- the public header's view of the n1 states (csrc/include/n1codec.h):
 * heap create/free and, for N1CODEC_STATIC_LINKING_ONLY users, the state sizes and
 * initialisation inside caller-provided memory. The states themselves and every
 * other n1 function live in n1.h / n1_stream.c.
 *
 * Including n1.h before n1codec.h makes the compiler check each public prototype
 * against the library's own declaration (a mismatch is a "conflicting types" error).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "n1.h"
#define N1CODEC_STATIC_LINKING_ONLY
#include "n1codec.h"

/* Alignment a state needs, in C99: the offset of a member after a lone char. */
typedef struct { char c; n1_encoder state; } encoder_alignment;
typedef struct { char c; n1_decoder state; } decoder_alignment;

int n1_encoder_create(n1_encoder **encoder, int level)
{
    if (!encoder) return N1_ERR_INVALID_ARG;
    *encoder = NULL;
    n1_encoder *e = malloc(sizeof *e);
    if (!e) return N1_ERR_NOMEM;
    int st = n1_encoder_init(e, level);
    if (st != N1_OK) {
        free(e);
        return st;
    }
    *encoder = e;
    return N1_OK;
}

void n1_encoder_free(n1_encoder *encoder)
{
    free(encoder);
}

int n1_decoder_create(n1_decoder **decoder)
{
    if (!decoder) return N1_ERR_INVALID_ARG;
    *decoder = NULL;
    n1_decoder *d = malloc(sizeof *d);
    if (!d) return N1_ERR_NOMEM;
    int st = n1_decoder_init(d);
    if (st != N1_OK) {
        free(d);
        return st;
    }
    *decoder = d;
    return N1_OK;
}

void n1_decoder_free(n1_decoder *decoder)
{
    free(decoder);
}

size_t n1_encoder_state_size(void)
{
    return sizeof(n1_encoder);
}

size_t n1_decoder_state_size(void)
{
    return sizeof(n1_decoder);
}

/* Memory fit for a state of `need` bytes and alignment `align`, else 0. */
static int workspace_fits(const void *workspace, size_t size, size_t need, size_t align)
{
    return workspace && size >= need && (uintptr_t)workspace % align == 0;
}

n1_encoder *n1_encoder_init_static(void *workspace, size_t size, int level)
{
    if (!workspace_fits(workspace, size, sizeof(n1_encoder), offsetof(encoder_alignment, state)))
        return NULL;
    n1_encoder *e = workspace;
    return n1_encoder_init(e, level) == N1_OK ? e : NULL;
}

n1_decoder *n1_decoder_init_static(void *workspace, size_t size)
{
    if (!workspace_fits(workspace, size, sizeof(n1_decoder), offsetof(decoder_alignment, state)))
        return NULL;
    n1_decoder *d = workspace;
    return n1_decoder_init(d) == N1_OK ? d : NULL;
}
