import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

// How hard a new passphrase is to guess, by zxcvbn-ts (a maintained port of Dropbox's
// estimator: dictionaries, keyboard patterns, repeats, dates, l33t). The wrapped seed
// sits in IndexedDB, so the threat is an offline guess against scrypt: score 3
// ("safely unguessable: moderate protection from an offline slow-hash attack") is the
// least we accept; 0–2 are refused with the estimator's reason.

/** zxcvbn's scores, 0 (too guessable) to 4 (very unguessable). */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/** The lowest score a passphrase may have. */
export const MIN_STRENGTH_SCORE: StrengthScore = 3;

export interface Strength {
  readonly score: StrengthScore;
  readonly acceptable: boolean;
  /** "Too easy to guess", "Weak", "Fair", "Good", "Strong". */
  readonly label: string;
  /** Why it is refused and what to do instead; null when acceptable. */
  readonly problem: string | null;
}

const LABELS: Record<StrengthScore, string> = { 0: 'Too easy to guess', 1: 'Weak', 2: 'Fair', 3: 'Good', 4: 'Strong' };

let estimator: Promise<ZxcvbnFactory> | null = null;

/**
 * Loads the estimator and its dictionaries (about 1.6 MB) once, on first use, off the
 * initial bundle. A failed download (the server went away) is forgotten, so the next
 * call tries again.
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary },
        graphs: common.adjacencyGraphs,
        translations: english.translations,
      }),
    (error: unknown) => {
      estimator = null;
      throw error;
    },
  );
  return estimator;
}

/**
 * Rates `passphrase`; `userInputs` (the handle, the server name) count as easy to
 * guess too. Resolves with the score and, when refused, one or two sentences why.
 * Rejects when the estimator cannot be downloaded (callers say so and try again).
 */
export async function rateStrength(passphrase: string, userInputs: readonly string[] = []): Promise<Strength> {
  const zxcvbn = await loadEstimator();
  const result = zxcvbn.check(passphrase, ['kez', 'kez chat', ...userInputs]);
  const score = result.score;
  const acceptable = score >= MIN_STRENGTH_SCORE;
  const reason = result.feedback.warning ?? 'It would be guessed quickly by someone who got a copy of this browser’s data.';
  const advice = result.feedback.suggestions[0] ?? 'Add a few uncommon words.';
  return { score, acceptable, label: LABELS[score], problem: acceptable ? null : `Too easy to guess. ${reason} ${advice}` };
}
