/* test_n1_adc.c -- the ADC code mappings (n1_adc.h): for every stretch and shift
 * grid, n1_adc_to_code finds a code for exactly the int16 values n1_adc_value
 * gives (all_fit relies on it to check short blocks without a bitmap), and the
 * detection finds a grid every sample fits, as coarse as the one they were drawn
 * from, whether a block is shorter or longer than that grid's code count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "n1/n1_adc.h"
#include "test_util.h"

/* to_code(x) >= 0 exactly for the values of the grid, and then value(to_code(x)) == x. */
static void check_grid(int kind, int bits)
{
    n1_adc_map m;
    n1_adc_set(&m, kind, bits);
    static uint8_t on[65536];
    memset(on, 0, sizeof(on));
    for (int32_t c = 0; c < m.ncodes; c++) on[(uint16_t)(int16_t)n1_adc_value(&m, c)] = 1;
    int bad = 0;
    for (int32_t x = -32768; x <= 32767; x++) {
        int32_t c = n1_adc_to_code(&m, x);
        bad += (c >= 0) != on[(uint16_t)(int16_t)x];
        bad += c >= 0 && n1_adc_value(&m, c) != x;
    }
    CHECK(bad == 0);
}

/* A block of n samples on the shift grid of `bits` bits (random codes, fixed seed)
 * is detected as that grid (or a coarser one it also fits). */
static void check_detect(int bits, size_t n)
{
    int16_t *x = malloc(n * sizeof(int16_t));
    uint32_t s = 12345;
    n1_adc_map grid, found;
    n1_adc_set(&grid, N1_ADC_SHIFT, bits);
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (int16_t)n1_adc_value(&grid, (int32_t)((s >> 8) % (uint32_t)grid.ncodes));
    }
    n1_adc_detect(x, n, &found);
    CHECK(found.kind != N1_ADC_IDENTITY && found.bits <= bits);
    for (size_t i = 0; i < n; i++) CHECK(n1_adc_to_code(&found, x[i]) >= 0);
    x[n / 2] = (int16_t)(x[n / 2] + 1); /* one value off the grid: a grid all still fit */
    n1_adc_detect(x, n, &found);
    CHECK(found.bits > bits);
    for (size_t i = 0; i < n; i++) CHECK(n1_adc_to_code(&found, x[i]) >= 0);
    free(x);
}

int main(void)
{
    for (int bits = 1; bits <= 15; bits++) {
        check_grid(N1_ADC_STRETCH, bits);
        check_grid(N1_ADC_SHIFT, bits);
    }
    for (int bits = 10; bits <= 14; bits++) {
        check_detect(bits, 500);    /* fewer samples than codes: checked code by code */
        check_detect(bits, 40000);  /* more: checked against a bitmap */
    }
    return test_report("test_n1_adc");
}
