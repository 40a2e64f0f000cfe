/** How long contact records of ours (handled events, dialled contacts) are kept: 90 days, in seconds. */
const CONTACT_RECORD_TTL_SECONDS = 90 * 86_400;

/** The TTL (epoch seconds) of a contact record written at an instant (ISO). */
export const contactRecordExpiresAt = (iso: string) => Math.floor(Date.parse(iso) / 1000) + CONTACT_RECORD_TTL_SECONDS;
