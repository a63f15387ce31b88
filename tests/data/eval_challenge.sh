#!/usr/bin/env bash
# Test double of the Neuralink compression challenge's eval.sh: the same steps in the
# same order, so `n1codec challenge-kit` can be checked without the original script.
#
# Run it in a folder that holds ./encode, ./decode and data.zip (whose WAV files sit
# under data/). Like the original it: replaces data/ with the unzipped archive; for
# every file runs ./encode FILE FILE.brainwire and ./decode FILE.brainwire FILE.copy
# as two processes; compares FILE with FILE.copy using diff and exits 1 at the first
# difference; adds up original and compressed sizes, where the compressed total starts
# from the sizes of the files ./encode and ./decode; prints the ratio to two decimals.
set -e

rm -rf data
unzip -q data.zip

size_in_bytes() {
  find "$1" -printf "%s\n"
}

ratio_2dp() {  # truncated to 2 decimals, as bc's scale=2 does
  if command -v bc > /dev/null; then
    echo "scale=2; $1 / $2" | bc
  else
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", int(100 * a / b) / 100 }'
  fi
}

raw_total=0
compressed_total=$(( $(size_in_bytes encode) + $(size_in_bytes decode) ))

for file in data/*
do
  echo "Processing $file"
  brainwire="${file}.brainwire"
  copy="${file}.copy"

  ./encode "$file" "$brainwire"
  ./decode "$brainwire" "$copy"

  file_size=$(size_in_bytes "$file")
  compressed_size=$(size_in_bytes "$brainwire")

  if diff -q "$file" "$copy" > /dev/null; then
    echo "${file} losslessly compressed from ${file_size} bytes to ${compressed_size} bytes"
  else
    echo "ERROR: ${file} and ${copy} are different."
    exit 1
  fi

  raw_total=$((raw_total + file_size))
  compressed_total=$((compressed_total + compressed_size))
done

echo "All recordings successfully compressed."
echo "Original size (bytes): ${raw_total}"
echo "Compressed size (bytes): ${compressed_total}"
echo "Compression ratio: $(ratio_2dp "$raw_total" "$compressed_total")"
