/* test_n1_golden.c -- prints the CRC-32 of n1 streams of fixed signals, one line per
 * (signal, level). tests/test_n1_codec.py builds the C core at -O0 and at -O3
 * -march=native and requires identical output: the codec is integer-only, so the
 * bytes may not depend on the compiler, flags or CPU. Also checks each stream
 * decodes back to its signal, and that the bytes are the frozen ones below: a
 * change there is a change of the n1 stream format (old files would no longer
 * decode), which needs a new N1_FORMAT_VERSION, not new constants. */
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

/* CRC-32 of the stream for signal s at level l: golden[s][l] (format version 1).
 * Level 0 (fast) is the table-driven level (stream level field 3), frozen 2026-11-24
 * before any release; levels 1 and 2 are unchanged since the format was frozen. */
static const uint32_t golden[3][3] = {
    {0x67fa2c78u, 0x3ff1a0deu, 0x3aa2e0e7u},
    {0x3ba55554u, 0x55ca5060u, 0x9844063bu},
    {0xf99f8588u, 0x644f557cu, 0xb777edf2u},
};

int main(void)
{
    const size_t n = 100000;
    int16_t *x = (int16_t *)malloc(n * sizeof(int16_t));
    int16_t *y = (int16_t *)malloc(n * sizeof(int16_t));
    size_t cap = n1_codec_bound(n);
    uint8_t *buf = (uint8_t *)malloc(cap);
    for (int sig = 0; sig < 3; sig++) {
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
            } else { /* noise */
                x[i] = (int16_t)(uint16_t)rnd(&s);
            }
        }
        for (int level = 0; level <= 2; level++) {
            size_t len = 0;
            CHECK(n1_codec_encode(x, n, level, buf, cap, &len) == N1_OK);
            uint32_t crc = n1_crc32(0, buf, len);
            printf("n1 golden signal %d level %d: %zu bytes crc %08x\n", sig, level, len,
                   (unsigned)crc);
            CHECK(crc == golden[sig][level]);
            CHECK(n1_codec_decode(buf, len, y, n) == N1_OK);
            CHECK(memcmp(x, y, n * sizeof(int16_t)) == 0);
        }
    }
    free(x); free(y); free(buf);
    return test_report("test_n1_golden");
}
