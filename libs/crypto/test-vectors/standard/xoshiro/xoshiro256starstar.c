/*
 * xoshiro256** 1.0, the reference implementation by David Blackman and Sebastiano
 * Vigna (public domain, CC0), https://prng.di.unimi.it/xoshiro256starstar.c —
 * next() and rotl() below are that file's, unchanged. The main() is ours: it prints
 * known-answer vectors as JSON for libs/crypto/src/xoshiro256.spec.ts.
 *
 * Build and run (from this folder): sh generate.sh
 */
#include <stdint.h>
#include <stdio.h>

static inline uint64_t rotl(const uint64_t x, int k) {
	return (x << k) | (x >> (64 - k));
}

static uint64_t s[4];

uint64_t next(void) {
	const uint64_t result = rotl(s[1] * 5, 7) * 9;

	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];

	s[2] ^= t;

	s[3] = rotl(s[3], 45);

	return result;
}

static const uint64_t states[][4] = {
	{ 1, 2, 3, 4 },
	{ 0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x0f1e2d3c4b5a6978ULL, 0x8796a5b4c3d2e1f0ULL },
	{ 0xffffffffffffffffULL, 0, 0, 0 },
};

int main(void) {
	const int count = 20;
	const int n = sizeof states / sizeof states[0];
	printf("{\n  \"source\": \"xoshiro256starstar.c (reference next() by Blackman and Vigna), compiled with gcc\",\n  \"vectors\": [\n");
	for (int v = 0; v < n; v++) {
		for (int i = 0; i < 4; i++) s[i] = states[v][i];
		printf("    {\n      \"state\": [");
		for (int i = 0; i < 4; i++) printf("%s\"%016llx\"", i ? ", " : "", (unsigned long long) states[v][i]);
		printf("],\n      \"outputs\": [\n");
		for (int i = 0; i < count; i++) {
			printf("        \"%016llx\"%s\n", (unsigned long long) next(), i + 1 < count ? "," : "");
		}
		printf("      ]\n    }%s\n", v + 1 < n ? "," : "");
	}
	printf("  ]\n}\n");
	return 0;
}
