#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "n1/n1.h"
/* Scratch measurement driver (not part of the library): codes each channel of an
 * int16 .npy (samples x channels) as one n1 stream, decodes it back and compares.
 * usage: drv file.npy level force_version [key=val ...]
 * prints: total bytes of all streams, ratio (raw bytes / total). */
int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long sz = ftell(f); fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(sz); fread(buf, 1, sz, f); fclose(f);
    int hl = buf[8] | buf[9] << 8; char *hdr = (char *)buf + 10;
    char *sp = strstr(hdr, "shape"); long R = 0, C = 1; sscanf(strchr(sp, '(') + 1, "%ld, %ld", &R, &C);
    int16_t *a = (int16_t *)(buf + 10 + hl);
    int level = atoi(argv[2]), ver = atoi(argv[3]);
    n1_params p; n1_level_params(level, &p);
    for (int i = 4; i < argc; i++) {
        char k[64]; int v; sscanf(argv[i], "%63[^=]=%d", k, &v);
        if (!strcmp(k, "taps")) p.taps = v; else if (!strcmp(k, "var")) p.var_shift = v;
        else if (!strcmp(k, "decay")) p.ls_decay = v; else if (!strcmp(k, "period")) p.ls_period = v;
        else if (!strcmp(k, "widths")) p.learn_widths = v; else if (!strcmp(k, "ridge")) p.ls_ridge = v;
        else if (!strcmp(k, "floor")) p.floor_freq = v; else if (!strcmp(k, "mode")) p.pred_mode = v;
        else if (!strcmp(k, "mu")) p.lms_mu = v; else if (!strcmp(k, "vf")) p.var_fast = v;
    }
    int16_t *x = malloc(R * 2), *y = malloc(R * 2);
    size_t cap = n1_codec_bound(R); uint8_t *out = malloc(cap);
    n1_encoder *e = malloc(sizeof *e); n1_decoder *d = malloc(sizeof *d);
    long total = 0;
    for (long c = 0; c < C; c++) {
        for (long i = 0; i < R; i++) x[i] = a[i * C + c];
        n1_encoder_init_params(e, level, &p); n1_encoder_set_version(e, ver);
        size_t l1 = 0, l2 = 0;
        if (n1_encoder_block(e, x, R, out, cap, &l1) || n1_encoder_finish(e, out + l1, cap - l1, &l2)) { printf("enc fail\n"); return 1; }
        n1_decoder_init(d);
        size_t pos = 0, got = 0;
        while (got < (size_t)R) { size_t u, g; int st = n1_decoder_block(d, out + pos, l1 + l2 - pos, &u, y + got, R - got, &g); if (st) { printf("dec fail %d ch %ld\n", st, c); return 1; } pos += u; got += g; }
        if (memcmp(x, y, R * 2)) { printf("mismatch ch %ld\n", c); return 1; }
        total += l1 + l2; if (getenv("DBG")) fprintf(stderr, "final %zu\n", l1 + l2);
    }
    printf("%ld %.4f\n", total, (double)R * C * 2 / total);
    return 0;
}
