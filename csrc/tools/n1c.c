/*
 * n1c.c -- the native n1 command line: WAV files to .n1 files and back, no Python.
 *
 *   n1c encode INPUT.wav OUTPUT.n1 [--level fast|default|max] [--force]
 *   n1c decode INPUT.n1 OUTPUT.wav [--force] [--max-samples N]
 *   n1c-encode INPUT.wav OUTPUT.n1 [...]   n1c-decode INPUT.n1 OUTPUT.wav [...]
 *
 * The .n1 files are byte for byte those of `n1codec compress` with the codecs
 * n1:fast, n1 and n1:max, and each side decodes the other's. Output is written
 * to a temporary file and renamed, so a failure leaves no output; an existing
 * output needs --force; the input is never overwritten. Errors: one line on
 * stderr, exit status 1 (2 for a usage error). Decoding refuses a file that
 * declares more than --max-samples samples (default 2^28, as `n1codec decode`;
 * 0: no limit) before allocating anything.
 *
 * Built three ways (N1C_ROLE): n1c does both; n1c-encode and n1c-decode do one
 * direction each, so that each is small (the challenge counts their bytes).
 * Started as `encode` or `decode` (the names the Neuralink compression
 * challenge's eval.sh runs: ./encode IN OUT, ./decode IN OUT), a build takes
 * exactly two paths and overwrites OUTPUT as that script expects. The level
 * `encode` uses is the text after "=" in kit_level below: `n1codec challenge-kit`
 * rewrites those bytes in its copy of the program for --codec n1:fast or n1:max.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "n1/n1.h"
#include "n1file.h"
#include "n1io.h"

#ifndef N1C_VERSION
#define N1C_VERSION "unknown"
#endif

#define MSG_CAP 512
#define DEFAULT_MAX_SAMPLES ((uint64_t)1 << 28)
#define N1C_ROLE_BOTH 0
#define N1C_ROLE_ENCODE 1
#define N1C_ROLE_DECODE 2
#ifndef N1C_ROLE
#define N1C_ROLE N1C_ROLE_BOTH
#endif
#define CAN_ENCODE (N1C_ROLE != N1C_ROLE_DECODE)
#define CAN_DECODE (N1C_ROLE != N1C_ROLE_ENCODE)

/* "N1C-KIT-LEVEL=" then the level name, padded with NULs to 10 bytes. volatile
 * keeps the compiler from folding the default into the code. */
static volatile const char kit_level[] = "N1C-KIT-LEVEL=default\0\0\0";

#if N1C_ROLE == N1C_ROLE_ENCODE
#define PROGRAM "n1c-encode"
static const char usage[] = "usage: n1c-encode INPUT.wav OUTPUT.n1 [--level fast|default|max] [--force]\n";
#elif N1C_ROLE == N1C_ROLE_DECODE
#define PROGRAM "n1c-decode"
static const char usage[] = "usage: n1c-decode INPUT.n1 OUTPUT.wav [--force] [--max-samples N]\n";
#else
#define PROGRAM "n1c"
static const char usage[] =
    "usage: n1c encode INPUT.wav OUTPUT.n1 [--level fast|default|max] [--force]\n"
    "       n1c decode INPUT.n1 OUTPUT.wav [--force] [--max-samples N]\n"
    "Lossless n1 compression of 16-bit PCM WAV files (the n1codec .n1 format).\n";
#endif

static int parse_level(const char *name)
{
    if (strcmp(name, "fast") == 0)
        return N1_LEVEL_FAST;
    if (strcmp(name, "default") == 0)
        return N1_LEVEL_DEFAULT;
    if (strcmp(name, "max") == 0)
        return N1_LEVEL_MAX;
    return -1;
}

static int kit_default_level(void)
{
    char name[11];
    size_t i, at = sizeof "N1C-KIT-LEVEL=" - 1;
    for (i = 0; i + 1 < sizeof name && kit_level[at + i]; i++)
        name[i] = kit_level[at + i];
    name[i] = '\0';
    return parse_level(name);
}

/* Encodes or decodes one file; prints the one-line error itself. */
static int run(const char *prog, int encode, const char *in, const char *out, int level, int force,
               uint64_t max_samples)
{
    char msg[MSG_CAP] = "";
    uint8_t *data = NULL, *result = NULL;
    size_t len = 0, result_len = 0;
    int status = 1;
    (void)level;  /* unused by a decode-only build */
    (void)max_samples;  /* and by an encode-only one */
    if (n1_io_read(in, &data, &len, msg, sizeof msg) != 0) {
        fprintf(stderr, "%s: error: %s\n", prog, msg);
        return 1;
    }
#if CAN_ENCODE
    if (encode)
        status = n1_file_encode_wav(data, len, level, &result, &result_len, msg, sizeof msg);
#endif
#if CAN_DECODE
    if (!encode)
        status = n1_file_decode_wav(data, len, max_samples, &result, &result_len, msg, sizeof msg);
#endif
    free(data);
    if (status != 0) {
        fprintf(stderr, "%s: error: %s: %s\n", prog, in, msg);
        return 1;
    }
    status = n1_io_write_atomic(out, result, result_len, force, in, msg, sizeof msg);
    free(result);
    if (status != 0) {
        fprintf(stderr, "%s: error: %s\n", prog, msg);
        return 1;
    }
    return 0;
}

/* A whole number of samples, 0 .. 2^63: returns 0 on success. */
static int parse_count(const char *text, uint64_t *value)
{
    uint64_t v = 0;
    if (!*text)
        return -1;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*text - '0');
    }
    *value = v;
    return 0;
}

static int usage_error(const char *what)
{
    fprintf(stderr, PROGRAM ": error: %s (run '" PROGRAM " --help' for usage)\n", what);
    return 2;
}

/* n1c CMD IN OUT [options], or n1c-encode / n1c-decode IN OUT [options]. */
static int main_program(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int npaths = 0, level = N1_LEVEL_DEFAULT, force = 0, encode = N1C_ROLE == N1C_ROLE_ENCODE, i = 1;
    uint64_t max_samples = DEFAULT_MAX_SAMPLES;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf(PROGRAM " %s\n", N1C_VERSION);
        return 0;
    }
    if (N1C_ROLE == N1C_ROLE_BOTH) {
        if (argc < 2 || (strcmp(argv[1], "encode") != 0 && strcmp(argv[1], "decode") != 0))
            return usage_error("expected the command 'encode' or 'decode'");
        encode = argv[1][0] == 'e';
        i = 2;
    }
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--force") == 0 || strcmp(arg, "-f") == 0) {
            force = 1;
        } else if (encode && (strcmp(arg, "--level") == 0 || strncmp(arg, "--level=", 8) == 0)) {
            const char *name = arg[7] == '=' ? arg + 8 : (i + 1 < argc ? argv[++i] : "");
            if ((level = parse_level(name)) < 0)
                return usage_error("--level takes fast, default or max");
        } else if (!encode && (strcmp(arg, "--max-samples") == 0 || strncmp(arg, "--max-samples=", 14) == 0)) {
            const char *count = arg[13] == '=' ? arg + 14 : (i + 1 < argc ? argv[++i] : "");
            if (parse_count(count, &max_samples) != 0)
                return usage_error("--max-samples takes a whole number (0: no limit)");
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return usage_error("unknown option");
        } else if (npaths < 2) {
            paths[npaths++] = arg;
        } else {
            return usage_error("expected exactly two paths, INPUT and OUTPUT");
        }
    }
    if (npaths != 2)
        return usage_error("expected exactly two paths, INPUT and OUTPUT");
    return run(N1C_ROLE != N1C_ROLE_BOTH ? PROGRAM : encode ? "n1c encode" : "n1c decode", encode,
               paths[0], paths[1], level, force, max_samples);
}

/* ./encode IN OUT and ./decode IN OUT, as the challenge's eval.sh runs them. */
static int main_kit(int encode, int argc, char **argv)
{
    const char *prog = encode ? "encode" : "decode";
    int level = kit_default_level();
    if ((encode && !CAN_ENCODE) || (!encode && !CAN_DECODE)) {
        fprintf(stderr, "%s: error: this is " PROGRAM ", which cannot %s\n", prog, prog);
        return 2;
    }
    if (argc != 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: %s INPUT OUTPUT (overwrites OUTPUT)\n", prog);
        return 2;
    }
    if (level < 0)
        level = N1_LEVEL_DEFAULT;
    return run(prog, encode, argv[1], argv[2], level, 1, DEFAULT_MAX_SAMPLES);
}

int main(int argc, char **argv)
{
    const char *name = argc > 0 && argv[0] ? argv[0] : PROGRAM;
    const char *slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    if (strcmp(name, "encode") == 0 || strcmp(name, "decode") == 0)
        return main_kit(name[0] == 'e', argc, argv);
    return main_program(argc, argv);
}
