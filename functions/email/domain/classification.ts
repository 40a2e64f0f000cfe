import type { Priority } from '#cases';
import { PRIORITIES } from '#cases';

/** A rule that sets priority, category and tags on a new case when its text matches. */
export interface ClassificationRule {
  name: string;
  /** Case-insensitive regular expressions (source text); any match fires the rule. */
  patterns: readonly string[];
  set: { priority?: Priority; category?: string; tags?: readonly string[] };
}

/**
 * Privacy requests (GDPR, RODO in Poland, DSGVO in Germany) have legal deadlines, so the seed
 * scenario puts them first: access, correction, erasure and consent withdrawal in Polish, English,
 * German, Slovak and Finnish.
 */
export const DEFAULT_CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  {
    name: 'privacy-request',
    patterns: [
      '\\b(gdpr|rodo|dsgvo|gdpr-u|rodo\\b)',
      'dane osobow|danych osobowych|usuni[eę]ci[ae] (moich )?danych|prawo do bycia zapomnianym|cofni[eę]ci[ae] zgody|wycofuj[eę] zgod|dost[eę]p do (moich )?danych|sprostowani[ae] danych',
      'personal data|right to (be forgotten|erasure|access)|data (access|erasure|deletion) request|delete (all )?my (personal )?data|withdraw (my )?consent|subject access request',
      'personenbezogene|datenauskunft|auskunft .*daten|l[öo]schung (meiner|der) daten|daten l[öo]schen|einwilligung widerrufen|widerruf(e)? (meine )?einwilligung',
      'osobn[ýy]ch [úu]dajov|v[ýy]maz (mojich )?[úu]dajov|odvolanie s[úu]hlasu|pr[íi]stup k (mojim )?[úu]dajom',
      'tietosuoja|henkil[öo]tie|tietojen? (poisto|poistaminen)|poistakaa tietoni|suostumuksen peruutus|peruutan suostumukseni',
    ],
    set: { priority: 'urgent', category: 'privacy', tags: ['gdpr'] },
  },
];

export interface Classification {
  priority: Priority | null;
  category: string | null;
  tags: string[];
  rules: string[];
}

/** Applies the rules to a subject and text: the highest priority and the first category win; tags add up. */
export function classify(subject: string, text: string, rules: readonly ClassificationRule[]): Classification {
  const haystack = `${subject}\n${text}`;
  const fired = rules.filter((rule) => rule.patterns.some((pattern) => new RegExp(pattern, 'iu').test(haystack)));
  const priorities = fired.map((rule) => rule.set.priority).filter((priority): priority is Priority => Boolean(priority));
  return {
    priority: priorities.sort((a, b) => PRIORITIES.indexOf(b) - PRIORITIES.indexOf(a))[0] ?? null,
    category: fired.find((rule) => rule.set.category)?.set.category ?? null,
    tags: [...new Set(fired.flatMap((rule) => rule.set.tags ?? []))],
    rules: fired.map((rule) => rule.name),
  };
}
