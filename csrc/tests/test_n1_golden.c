/* test_n1_golden.c -- prints the CRC-32 of n1 streams of fixed signals, one line per
 * (signal, level). tests/test_n1_codec.py builds the C core at -O0 and at -O3
 * -march=native and requires identical output: the codec is integer-only, so the
 * bytes may not depend on the compiler, flags or CPU. Also checks each stream
 * decodes back to its signal, and that the bytes are the frozen ones below: a
 * change there is a change of the n1 stream format (old files would no longer
 * decode), which needs a new stream version, not new constants. */
#include <stdlib.h>
#include <string.h>
#include "common/crc32.h"
#include "n1/n1.h"
#include "test_util.h"

static uint32_t rnd(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return (uint32_t)(*s >> 16);
}

/* CRC-32 of the stream for signal s at level l: golden[s][l]. Levels 1 and 2
 * (format version 1) are unchanged since the format was frozen. Level 0 (fast)
 * is the table-driven level: its version-1 streams (frozen 2026-11-24, CRCs
 * e8808863 3ba55554 f99f8588 8793a896) are no longer written but still decode
 * (tests/fixtures/format_v1); these are its version-2 streams (N1_TABLE_VERSION,
 * frozen 2026-12-01). */
static const uint32_t golden[4][3] = {
    {0x99f330e6u, 0x3ff1a0deu, 0x3aa2e0e7u},
    {0xb22eba9eu, 0x55ca5060u, 0x9844063bu},
    {0xa77e33e2u, 0x644f557cu, 0xb777edf2u},
    {0xbfaefdbeu, 0x221fbb5fu, 0x35ede2e1u}, /* added 2026-11-24 */
};

int main(void)
{
    const size_t n = 100000;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    size_t cap = n1_codec_bound(n);
    uint8_t *buf = (uint8_t *)malloc(cap);
    /* signal 3 quantises with uneven steps (the N1 pattern of n1_fast_w32) */
    static int32_t edge[1025];
    edge[0] = 0;
    for (int k = 0; k < 1024; k++) edge[k + 1] = edge[k] + n1_fast_w32[k & 31];
    for (int sig = 0; sig < 4; sig++) {
        uint64_t s = 12345u + (uint64_t)sig;
        int32_t c = 512, v = 0;
        for (size_t i = 0; i < n; i++) {
            if (sig == 0) { /* 10-bit ADC codes, AR(2)-ish walk with spikes */
                v = (v * 7) / 8 + (int32_t)(rnd(&s) % 21u) - 10;
                if (rnd(&s) % 5000u == 0) v += 300;
                c = 512 + v / 2;
                if (c < 0) c = 0;
                if (c > 1023) c = 1023;
                x[i] = (int16_t)(((int64_t)c * 65535 - 32768 * 1023) / 1023);
            } else if (sig == 1) { /* 16-bit audio-like */
                v += (int32_t)(rnd(&s) % 801u) - 400;
                v -= v / 64;
                x[i] = (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
            } else if (sig == 2) { /* noise */
                x[i] = (int16_t)(uint16_t)rnd(&s);
            } else { /* 10-bit ADC with uneven steps, slow AR walk */
                v = (v * 31) / 32 + (int32_t)(rnd(&s) % 2049u) - 1024;
                int32_t pos = edge[512] + v, lo = 0, hi = 1023;
                if (pos < 0) pos = 0;
                while (lo < hi) { /* last code whose left edge is <= pos */
                    int32_t mid = (lo + hi + 1) / 2;
                    if (edge[mid] <= pos) lo = mid; else hi = mid - 1;
                }
                x[i] = (int16_t)(((int64_t)lo * 65535 - 32768 * 1023) / 1023);
            }
        }
        for (int level = 0; level <= 2; level++) {
            size_t len = 0;
            CHECK(n1_codec_encode(x, n, level, buf, cap, &len) == N1_OK);
            uint32_t crc = n1_crc32(0, buf, len);
            printf("n1 golden signal %d level %d: %zu bytes crc %08x\n", sig, level, len,
                   (unsigned)crc);
            CHECK(crc == golden[sig][level]);
            if (sig == 3 && level == 0) { /* the fast level's phase tables are in use */
                size_t q = 2;
                for (int k = 0; k < 2; k++) {
                    while (q < len && (buf[q] & 0x80)) q++;
                    q++;
                }
                CHECK(q < len && (buf[q] & 1) == 1);
            }
            CHECK(n1_codec_decode(buf, len, y, n) == N1_OK);
            CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
        }
    }
    free(x); free(y); free(buf);
    return test_report("test_n1_golden");
}
