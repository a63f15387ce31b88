#!/bin/sh
# ablation_build.sh NAME [SED-EXPR [FILE]]: a copy of csrc/ under build/NAME with one part
# taken out by SED-EXPR applied to csrc/n1/FILE (default n1_stream.c), and the scratch
# driver (ablation_driver.c) linked to it. Rows of docs/n1-codec.md's format-2 ablation:
#   f        ''                                                             (as committed)
#   A        's/for (int t = 0; t < 6; t++)/for (int t = 0; t < 1; t++)/; s/prior \&\& t < 6; t += 2/prior \&\& t < 1; t += 2/'
#   B        's/for (int t = 0; t < 6; t++)/for (int t = 0; t < 4; t++)/; s/prior \&\& t < 6; t += 2/prior \&\& t < 4; t += 2/'
#   noshift  's/    p->hist_shift = shift;/    p->hist_shift = 4;/'
#   noprior  's/prior = e->grid.aligned10;/prior = 0;/'
#   Enodef   's/e->level == N1_LEVEL_MAX ? 0 : 1/1/'
#   Enobias  's/{32, 4, 1}}/{32, 4, 0}}/'
#   notable  's/    if (d >= TABLE_MIN_VALUES/    if (0 \&\& d >= TABLE_MIN_VALUES/' n1_grid.c
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/build/$1"
rm -rf "$out" && mkdir -p "$out" && cp -r "$here/../../../csrc" "$out/"
[ -n "$2" ] && sed -i "$2" "$out/csrc/n1/${3:-n1_stream.c}"
gcc -O3 -I"$out/csrc" "$here/ablation_driver.c" "$out"/csrc/n1/*.c "$out"/csrc/common/*.c -lm -o "$out/drv"
