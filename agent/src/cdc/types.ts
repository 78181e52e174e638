/** The CDC pipeline's model: the SPI's generic change records (connectors/changes.ts). */
export * from '../connectors/changes';
