#!/bin/sh
# ablation_total.sh NAME LEVEL VERSION: total ratio of build/NAME's driver over the nine
# recordings of ../shared/ephys-data/dev (LEVEL 1 = n1, 2 = n1:max; VERSION 0 = chosen
# per stream, 1 = format 1 forced), then the per-recording ratios in name order.
here=$(cd "$(dirname "$0")" && pwd)
D=${EPHYS_DATA:-/work/shared/ephys-data/dev}
tot=0; raw=0; line=""
for f in "$D"/*.npy; do
  out=$("$here/build/$1/drv" "$f" "$2" "$3")
  b=$(echo $out | cut -d' ' -f1); r=$(echo $out | cut -d' ' -f2)
  sz=$(python3 -c "print(int($b*$r+0.5))")
  tot=$((tot+b)); raw=$((raw+sz)); line="$line $r"
done
python3 -c "print('$1 level $2 v$3 total %.4f |' % ($raw/$tot) + '$line')"
