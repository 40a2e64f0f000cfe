import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logger shared by every function (service name, level and sampling from Powertools' env). */
export const logger = new Logger({ serviceName: 'switchboard' });
