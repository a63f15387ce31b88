/* test_tools_file.c -- the C program's in-memory path (tools/n1file.h): WAV -> .n1 -> WAV is
 * byte-exact at every level for canonical and verbatim WAVs, every single-bit flip of the .n1
 * header and every truncation is an error, and foreign input is refused. */
#include <stdlib.h>
#include <string.h>

#include "common/status.h"
#include "n1/n1.h"
#include "n1container.h"
#include "n1file.h"
#include "n1wav.h"
#include "test_util.h"

/* A canonical WAV of `frames` frames x `channels` channels of a noisy 10-bit-like signal,
 * optionally with a LIST chunk before the data and `trailer` bytes after it. */
static uint8_t *make_wav(size_t frames, unsigned channels, int with_list, size_t trailer, size_t *len)
{
    static const uint8_t list[] = {'L', 'I', 'S', 'T', 4, 0, 0, 0, 'I', 'N', 'F', 'O'};
    size_t extra = with_list ? sizeof list : 0, data = frames * channels * 2, i;
    uint8_t header[44], *wav;
    uint32_t seed = 12345;
    n1_wav_canonical_header(19531, channels, frames, header);
    *len = 44 + extra + data + trailer;
    wav = malloc(*len);
    memcpy(wav, header, 36);
    memcpy(wav + 36, list, extra);
    memcpy(wav + 36 + extra, header + 36, 8);
    for (i = 0; i < frames * channels; i++) {
        int16_t v;
        seed = seed * 1103515245u + 12345u;
        v = (int16_t)(((int)(i % 200) - 100) * 64 + (int)((seed >> 16) % 5) * 64);
        wav[44 + extra + 2 * i] = (uint8_t)v;
        wav[44 + extra + 2 * i + 1] = (uint8_t)((uint16_t)v >> 8);
    }
    memset(wav + 44 + extra + data, 0xAB, trailer);
    if (with_list) {  /* the RIFF size covers the LIST chunk too */
        uint32_t riff = (uint32_t)(*len - 8 - trailer);
        wav[4] = (uint8_t)riff; wav[5] = (uint8_t)(riff >> 8); wav[6] = (uint8_t)(riff >> 16); wav[7] = 0;
    }
    return wav;
}

static void check_round_trip(const uint8_t *wav, size_t len, int level, int flip_header)
{
    uint8_t *n1 = NULL, *back = NULL;
    size_t n1_len = 0, back_len = 0, bit;
    char msg[256];
    n1_container c;
    CHECK(n1_file_encode_wav(wav, len, level, &n1, &n1_len, msg, sizeof msg) == N1_OK);
    if (!n1)
        return;
    CHECK(n1_file_decode_wav(n1, n1_len, 0, &back, &back_len, msg, sizeof msg) == N1_OK);
    CHECK(back && back_len == len && memcmp(back, wav, len) == 0);
    free(back);
    CHECK(n1_file_decode_wav(n1, n1_len, (len - 44) / 2 + 1, &back, &back_len, msg, sizeof msg) == N1_OK);
    if (len > 44 + 2 && !flip_header) {  /* a limit below the declared count refuses the file */
        free(back);
        back = NULL;
        CHECK(n1_file_decode_wav(n1, n1_len, 1, &back, &back_len, msg, sizeof msg) == N1_ERR_TOO_LARGE);
        CHECK(back == NULL && strstr(msg, "more than the limit of 1") != NULL);
    }
    free(back);
    CHECK(n1_container_parse(n1, n1_len, &c, msg, sizeof msg) == N1_OK);
    if (flip_header) {
        size_t header_len = (size_t)(c.payload - n1);
        for (bit = 0; bit < header_len * 8; bit++) {
            n1[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            CHECK(n1_file_decode_wav(n1, n1_len, 0, &back, &back_len, msg, sizeof msg) != N1_OK);
            CHECK(back == NULL);
            n1[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (bit = 0; bit < n1_len; bit++)
            CHECK(n1_file_decode_wav(n1, bit, 0, &back, &back_len, msg, sizeof msg) != N1_OK);
    }
    free(n1);
}

int main(void)
{
    size_t len;
    char msg[256];
    uint8_t *out = NULL, *wav;
    size_t out_len;
    int level;
    for (level = N1_LEVEL_FAST; level <= N1_LEVEL_MAX; level++) {
        wav = make_wav(5000, 1, 0, 0, &len);
        check_round_trip(wav, len, level, level == N1_LEVEL_DEFAULT);
        free(wav);
        wav = make_wav(700, 3, 1, 3, &len);  /* verbatim header and trailer, odd length */
        check_round_trip(wav, len, level, level == N1_LEVEL_MAX);
        free(wav);
        wav = make_wav(0, 2, 0, 0, &len);
        check_round_trip(wav, len, level, 0);
        free(wav);
    }
    CHECK(n1_file_encode_wav((const uint8_t *)"not a wav file", 14, 1, &out, &out_len, msg, sizeof msg)
          == N1_ERR_UNSUPPORTED);
    CHECK(out == NULL && strstr(msg, "not a WAV file") != NULL);
    CHECK(n1_file_decode_wav((const uint8_t *)"RIFF", 4, 0, &out, &out_len, msg, sizeof msg) == N1_ERR_INVALID_ARG);
    CHECK(n1_file_decode_wav(NULL, 0, 0, &out, &out_len, msg, sizeof msg) == N1_ERR_INVALID_ARG);
    wav = make_wav(10, 1, 0, 0, &len);
    CHECK(n1_file_encode_wav(wav, len, 7, &out, &out_len, msg, sizeof msg) == N1_ERR_INVALID_ARG);
    wav[24] = wav[25] = wav[26] = wav[27] = 0;  /* 0 Hz */
    CHECK(n1_file_encode_wav(wav, len, 1, &out, &out_len, msg, sizeof msg) == N1_ERR_UNSUPPORTED);
    free(wav);
    return test_report("test_tools_file");
}
