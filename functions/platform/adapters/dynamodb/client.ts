import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from '../aws-clients.js';

/**
 * One DynamoDB client per execution environment, created at module scope so warm invocations reuse
 * its connections. The endpoint comes from the SDK's own configuration (`AWS_ENDPOINT_URL_DYNAMODB`
 * locally), never from a code path of our own.
 */
export const dynamoDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig()), {
  marshallOptions: { removeUndefinedValues: true },
});
