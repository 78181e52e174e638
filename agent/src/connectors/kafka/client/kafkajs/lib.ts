/**
 * kafkajs's runtime exports, loaded through require: its CommonJS index builds the export object in a
 * way Node's ESM named-export detection does not see (CompressionCodecs, ConfigResourceTypes, ...).
 * The faster produce encoding and fetch decoding (`fast-paths.ts`) are installed first: it must be in place before kafkajs loads.
 */
import { createRequire } from 'node:module';
import { installFastPaths } from './fast-paths';

installFastPaths();

export const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
