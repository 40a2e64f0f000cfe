/**
 * The email feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { mailSettingsFromEnv } from './mail-settings-from-env.js';
