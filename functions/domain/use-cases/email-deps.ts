import type { ClassificationRule } from '../email/classification.js';
import type { MailObjectStore, MailParser, MailStore } from '../email/email-ports.js';
import type { MailSettings } from '../email/mail-settings.js';
import type { LanguageDetector } from '../ports.js';
import type { CaseDeps } from './deps.js';

/** What the mail use cases need beyond the case use cases' dependencies. */
export interface EmailDeps extends CaseDeps {
  mail: MailStore;
  objects: MailObjectStore;
  parser: MailParser;
  language: LanguageDetector;
  mailSettings: MailSettings;
  rules: readonly ClassificationRule[];
}
