/**
 * The email feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/email/ is the feature's own.
 */
export { type MailSettings, senderAddressOf } from './domain/mail-settings.js';
export { referenceMarker, subjectTag } from './domain/reference.js';
