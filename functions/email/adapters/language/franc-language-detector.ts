import { franc } from 'franc';
import type { LanguageDetector } from '../../domain/email-ports.js';

/**
 * The languages we serve, ISO 639-3 (what franc answers) → ISO 639-1 (what the domain uses).
 * `franc` rather than `franc-min`: franc-min has no Slovak or Finnish model and reads Slovak as
 * Czech and Finnish as German.
 */
const SERVED: Readonly<Record<string, string>> = {
  pol: 'pl',
  eng: 'en',
  deu: 'de',
  slk: 'sk',
  fin: 'fi',
  ces: 'cs',
};
const ONLY = Object.keys(SERVED);

/** Below this many letters trigram statistics are guesswork, so the answer is "unknown". */
const MIN_LETTERS = 20;

/** The trigram profile has settled long before this; the cap bounds the work on huge bodies (characters). */
const MAX_SAMPLE = 5_000;

/**
 * Language-neutral noise that would skew the trigrams: URLs, e-mail addresses, our reference markers.
 * An address is only tried from the start of a word, which keeps a long run without "@" linear.
 */
const NOISE: readonly RegExp[] = [
  /\b(?:https?:\/\/|www\.)\S+/giu,
  /(?<=^|[\s<>()[\]])[^\s<>()[\]@]+@[^\s<>()[\]@]+/gu,
  /\[ref:[^\]\s]*\]/giu,
];

const LETTER = /\p{L}/gu;

/** Detects Polish, English, German, Slovak, Finnish and Czech with franc; null when unsure. */
export const francLanguageDetector: LanguageDetector = {
  detect(text: string): string | null {
    const sample = NOISE.reduce((rest, pattern) => rest.replace(pattern, ' '), text.slice(0, MAX_SAMPLE));
    if ((sample.match(LETTER)?.length ?? 0) < MIN_LETTERS) return null;
    return SERVED[franc(sample, { only: ONLY, minLength: MIN_LETTERS })] ?? null;
  },
};
