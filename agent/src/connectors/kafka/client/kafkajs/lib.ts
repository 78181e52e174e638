/**
 * kafkajs's runtime exports, loaded through require: its CommonJS index builds the export object in a
 * way Node's ESM named-export detection does not see (CompressionCodecs, ConfigResourceTypes, ...).
 */
import { createRequire } from 'node:module';

export const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
