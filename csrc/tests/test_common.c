/* test_common.c -- CRC-32 known answers and bit writer/reader round trips. */
#include <stdio.h>
#include <string.h>
#include "common/bitio.h"
#include "common/crc32.h"
#include "common/status.h"
#include "test_util.h"

static void test_crc32_known_values(void)
{
    CHECK(n1_crc32(0, "", 0) == 0u);
    CHECK(n1_crc32(0, "123456789", 9) == 0xCBF43926u);
    /* Incremental use gives the same value as one call. */
    uint32_t crc = n1_crc32(0, "1234", 4);
    CHECK(n1_crc32(crc, "56789", 5) == 0xCBF43926u);
}

/* The dispatched CRC (carry-less multiply on x86 CPUs that have it) equals the
 * portable one at every length, alignment and starting value, including the
 * lengths around its 64-byte threshold and 16-byte blocks. */
static void test_crc32_paths_agree(void)
{
    static uint8_t buf[4096 + 32];
    uint32_t s = 1;
    for (size_t i = 0; i < sizeof buf; i++) {
        s = s * 1103515245u + 12345u;
        buf[i] = (uint8_t)(s >> 16);
    }
    CHECK(n1_crc32_portable(0, "123456789", 9) == 0xCBF43926u);
    int bad = 0;
    for (size_t len = 0; len <= 4096; len += (len < 300 ? 1 : 97))
        for (size_t off = 0; off < 32; off += 5) {
            uint32_t start = (uint32_t)(len * 2654435761u + off);
            bad += n1_crc32(start, buf + off, len) != n1_crc32_portable(start, buf + off, len);
        }
    CHECK(bad == 0);
}

static void test_bits_round_trip(void)
{
    uint8_t buf[256];
    n1_bitwriter w;
    n1_bw_init(&w, buf, sizeof buf);
    for (unsigned n = 1; n <= 32; n++) n1_bw_put(&w, 0xA5A5A5A5u ^ n, n);
    size_t len = 0;
    CHECK(n1_bw_finish(&w, &len) == N1_OK);
    CHECK(len == (528 + 7) / 8);

    n1_bitreader r;
    n1_br_init(&r, buf, len);
    for (unsigned n = 1; n <= 32; n++) {
        uint32_t want = (0xA5A5A5A5u ^ n) & (n == 32 ? 0xffffffffu : ((1u << n) - 1));
        CHECK(n1_br_get(&r, n) == want);
    }
    CHECK(!n1_br_overrun(&r));
    n1_br_get(&r, 8);
    CHECK(n1_br_overrun(&r));
}

static void test_writer_reports_full_buffer(void)
{
    uint8_t buf[3];
    n1_bitwriter w;
    n1_bw_init(&w, buf, sizeof buf);
    for (int i = 0; i < 10; i++) n1_bw_put(&w, 0xffffffffu, 32);
    size_t len = 0;
    CHECK(n1_bw_finish(&w, &len) == N1_ERR_OUTPUT_FULL);
}

static void test_reader_never_reads_past_end(void)
{
    const uint8_t one = 0xff;
    n1_bitreader r;
    n1_br_init(&r, &one, 1);
    CHECK(n1_br_get(&r, 8) == 0xffu);
    CHECK(n1_br_get(&r, 32) == 0u);  /* missing bits read as zero */
    CHECK(n1_br_overrun(&r));
}

static void test_status_messages(void)
{
    CHECK(strcmp(n1_status_message(N1_OK), "success") == 0);
    CHECK(n1_status_message(-1000) != NULL);
}

int main(void)
{
    test_crc32_known_values();
    test_crc32_paths_agree();
    test_bits_round_trip();
    test_writer_reports_full_buffer();
    test_reader_never_reads_past_end();
    test_status_messages();
    return test_report("test_common");
}
