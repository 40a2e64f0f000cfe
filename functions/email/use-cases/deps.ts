import type { ClassificationRule } from '../domain/classification.js';
import type { MailObjectStore, MailParser, MailStore } from '../domain/email-ports.js';
import type { MailSettings } from '../domain/mail-settings.js';
import type { LanguageDetector } from '../domain/email-ports.js';
import type { CaseDeps } from '#cases';

/** What the mail use cases need beyond the case use cases' dependencies. */
export interface EmailDeps extends CaseDeps {
  mail: MailStore;
  objects: MailObjectStore;
  parser: MailParser;
  language: LanguageDetector;
  mailSettings: MailSettings;
  rules: readonly ClassificationRule[];
}
