#!/bin/sh
# Regenerates xoshiro256starstar.json from the reference C code with the system's C
# compiler. The JSON is committed, so the tests never need a compiler.
set -eu
cd "$(dirname "$0")"
out=$(mktemp)
gcc -std=c99 -O2 -Wall -o "$out" xoshiro256starstar.c
"$out" > xoshiro256starstar.json
rm -f "$out"
